"""Reads for the meeting, the entry threads and the calibration pages: constant
queries whatever the number of entries."""

from django.db.models import Count, Prefetch

from submissions.models import Submission
from submissions.workflow import Status

from .models import (
    Assignment,
    CalibrationScore,
    CriterionScore,
    DiscussionPost,
    MeetingDecision,
    Panel,
    PanelKind,
    PanelMember,
    RankedEntry,
    Review,
)
from .services.meeting import conflicted_entry_ids


def meeting_agenda(panel: Panel, member: PanelMember | None) -> list[RankedEntry]:
    """The ranked entries in order, each with its decision and number of posts;
    entries the member is conflicted with are left out. Four queries."""
    rows = list(
        RankedEntry.objects.filter(ranking__panel=panel)
        .select_related("submission__organisation")
        .order_by("rank")
    )
    hidden = conflicted_entry_ids(panel, member, [r.submission for r in rows])
    decisions = {
        d.submission_id: d
        for d in MeetingDecision.objects.filter(panel=panel).select_related("moved_by__user")
    }
    posts = dict(
        DiscussionPost.objects.filter(panel=panel)
        .values("submission_id")
        .annotate(n=Count("pk"))
        .values_list("submission_id", "n")
    )
    visible = []
    for r in rows:
        if r.submission_id in hidden:
            continue
        r.decision = decisions.get(r.submission_id)
        r.post_count = posts.get(r.submission_id, 0)
        visible.append(r)
    return visible


def meeting_entry_context(panel: Panel, submission_id: int, member: PanelMember | None) -> dict:
    """What the panel sees of one entry: its rank, every submitted review with its
    scores and comments, the thread and the decision; or only ``conflicted`` when
    the member may not see it."""
    submission = Submission.objects.select_related("organisation").get(pk=submission_id)
    if submission.pk in conflicted_entry_ids(panel, member, [submission]):
        return {"submission": submission, "conflicted": True}
    reviews = list(
        Review.objects.filter(
            assignment__panel=panel,
            assignment__submission_id=submission_id,
            assignment__state=Assignment.State.ACTIVE,
            submitted_at__isnull=False,
        )
        .select_related("assignment__reviewer__user")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=CriterionScore.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion_id"
                ),
            )
        )
        .order_by("assignment__reviewer__user__email")
    )
    return {
        "submission": submission,
        "conflicted": False,
        "ranked": RankedEntry.objects.filter(ranking__panel=panel, submission_id=submission_id)
        .select_related("submission")
        .first(),
        "reviews": reviews,
        "posts": list(
            DiscussionPost.objects.filter(panel=panel, submission_id=submission_id).select_related(
                "author"
            )
        ),
        "decision": MeetingDecision.objects.filter(panel=panel, submission_id=submission_id)
        .select_related("moved_by__user", "recorded_by")
        .first(),
    }


def calibration_candidates(panel: Panel):
    """Entries the chair may pick for calibration: the cycle's eligible ones (TC) or
    shortlisted ones (jury)."""
    status = Status.ELIGIBLE if panel.kind == PanelKind.TECHNICAL_COMMITTEE else Status.SHORTLISTED
    return (
        Submission.objects.filter(cycle_id=panel.cycle_id, status=status)
        .select_related("organisation")
        .order_by("sequence")
    )


def calibration_entries_for(panel: Panel, member: PanelMember, criteria) -> list[Submission]:
    """The calibration entries the member may see, each with ``mine``: their saved
    values in criteria order (None where not scored)."""
    entries = list(panel.calibration_entries.select_related("organisation").order_by("sequence"))
    hidden = conflicted_entry_ids(panel, member, entries)
    saved = {
        s.submission_id: s.values
        for s in CalibrationScore.objects.filter(panel=panel, member=member)
    }
    visible = []
    for e in entries:
        if e.pk in hidden:
            continue
        values = saved.get(e.pk, {})
        e.mine = [(c, values.get(str(c.pk))) for c in criteria]
        e.done = bool(values)
        visible.append(e)
    return visible
