"""The committee's meeting (the chair walks the ranking, the panel follows, decisions
are recorded) and the optional calibration round before scoring.

Discussion threads and decisions are panel-only: no city, public or conflicted
member page shows them (the views check ``entry_visible_to``).
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import Submission

from ..models import (
    Assignment,
    CalibrationScore,
    DiscussionPost,
    Meeting,
    MeetingDecision,
    OutcomeProposal,
    Panel,
    PanelMember,
    RankedEntry,
)
from .analysis import alpha_interval
from .assignment import is_automatic_conflict
from .outcomes import outcome_choices, proposal_move


def conflicted_entry_ids(panel: Panel, member: PanelMember | None, submissions) -> set[int]:
    """Entries among ``submissions`` (loaded with their organisation) the member may
    not see: an automatic conflict or a conflict they declared. One query."""
    if member is None:
        return set()
    found = {
        s.pk
        for s in submissions
        if is_automatic_conflict(member.country, s.organisation.country, panel.conflict_scope)
    }
    found |= set(
        Assignment.objects.filter(panel=panel, reviewer=member, state=Assignment.State.RELEASED)
        .exclude(conflict_reason="")
        .values_list("submission_id", flat=True)
    )
    return found


def entry_visible_to(panel: Panel, member: PanelMember | None, submission: Submission) -> bool:
    """Whether the member (None: the Secretariat) may see this entry's discussion."""
    return submission.pk not in conflicted_entry_ids(panel, member, [submission])


def _bump(panel: Panel) -> None:
    Meeting.objects.filter(panel=panel).update(version=F("version") + 1)


# --- The meeting --------------------------------------------------------------------


@transaction.atomic
def meeting_start(*, panel: Panel, by) -> Meeting:
    """Open the meeting on the first ranked entry (or resume an ended one)."""
    first = (
        RankedEntry.objects.filter(ranking__panel=panel)
        .order_by("rank")
        .values_list("submission_id", flat=True)
        .first()
    )
    if first is None:
        raise ValidationError(_("Close the stage and rank the entries before the meeting."))
    meeting, created = Meeting.objects.select_for_update().get_or_create(
        panel=panel, defaults={"current_id": first, "started_at": timezone.now()}
    )
    if not created and meeting.ended_at:
        meeting.ended_at = None
        meeting.version += 1
        meeting.save(update_fields=["ended_at", "version"])
    return meeting


@transaction.atomic
def meeting_go_to(*, panel: Panel, submission: Submission, by) -> Meeting:
    """The chair moves everybody's screen to ``submission`` (a ranked entry)."""
    meeting = Meeting.objects.select_for_update().filter(panel=panel, ended_at__isnull=True).first()
    if meeting is None:
        raise ValidationError(_("The meeting is not running."))
    if not RankedEntry.objects.filter(ranking__panel=panel, submission=submission).exists():
        raise ValidationError(_("This entry is not in the ranking."))
    meeting.current = submission
    meeting.version += 1
    meeting.save(update_fields=["current", "version"])
    return meeting


@transaction.atomic
def meeting_end(*, panel: Panel, by) -> Meeting:
    meeting = Meeting.objects.select_for_update().filter(panel=panel).first()
    if meeting is None:
        raise ValidationError(_("The meeting has not started."))
    if meeting.ended_at is None:
        meeting.ended_at = timezone.now()
        meeting.version += 1
        meeting.save(update_fields=["ended_at", "version"])
    return meeting


def discussion_post(
    *, panel: Panel, submission: Submission, member: PanelMember | None, body: str, by
) -> DiscussionPost:
    """A panel member (or the Secretariat: ``member`` None) posts on an entry's thread,
    before or during the meeting; refused to a member conflicted with the entry."""
    if not body.strip():
        raise ValidationError(_("Write something before posting."))
    if submission.cycle_id != panel.cycle_id:
        raise ValidationError(_("This entry does not belong to this panel."))
    if not entry_visible_to(panel, member, submission):
        raise ValidationError(_("You have a conflict with this entry."))
    post = DiscussionPost.objects.create(
        panel=panel, submission=submission, author=by, body=body.strip()[:5000]
    )
    _bump(panel)
    return post


@transaction.atomic
def decision_record(
    *,
    panel: Panel,
    submission: Submission,
    outcome: str,
    moved_by: PanelMember | None,
    reason: str,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    by,
) -> MeetingDecision:
    """Record what the meeting decided for an entry, who moved it and why (and the
    vote when one was taken). When the decision differs from the entry's outcome
    proposal, the proposal is moved with the same reason (quotas still apply)."""
    panel = Panel.objects.select_related("cycle").get(pk=panel.pk)
    if panel.released_at:
        raise ValidationError(_("The decisions are released: the record can no longer change."))
    if outcome not in dict(outcome_choices(panel)):
        raise ValidationError(_("This outcome is not available at this stage."))
    if not reason.strip():
        raise ValidationError(_("Say why the meeting decided so."))
    if moved_by is not None and moved_by.panel_id != panel.pk:
        raise ValidationError(_("The mover must be a member of this panel."))
    votes = [v for v in (votes_for, votes_against, abstentions) if v is not None]
    if any(v < 0 for v in votes) or sum(votes) > panel.members.count():
        raise ValidationError(_("The vote tally cannot exceed the number of members."))
    proposal = OutcomeProposal.objects.filter(panel=panel, submission=submission).first()
    if proposal is not None and proposal.outcome != outcome:
        proposal_move(proposal=proposal, outcome=outcome, reason=reason, by=by)
    decision, _created = MeetingDecision.objects.update_or_create(
        panel=panel,
        submission=submission,
        defaults={
            "outcome": outcome,
            "moved_by": moved_by,
            "reason": reason.strip(),
            "votes_for": votes_for,
            "votes_against": votes_against,
            "abstentions": abstentions,
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    _bump(panel)
    return decision


# --- Calibration ---------------------------------------------------------------------


@transaction.atomic
def calibration_configure(*, panel: Panel, entry_ids: list[int], active: bool, by) -> Panel:
    """Choose the 2–3 calibration entries and switch the round on or off (scoring
    opens when it is off)."""
    entries = list(Submission.objects.filter(pk__in=entry_ids, cycle_id=panel.cycle_id))
    if active and not 2 <= len(entries) <= 3:
        raise ValidationError(_("Choose two or three entries of the cycle for the calibration."))
    panel.calibration_round = active
    panel.save(update_fields=["calibration_round"])
    if entries or not active:
        panel.calibration_entries.set(entries)
    return panel


def calibration_score_save(
    *, panel: Panel, member: PanelMember, submission: Submission, values: dict[int, int], by
) -> CalibrationScore:
    """A member's calibration score of one entry ({criterion id: value}), every
    criterion within its scale. Never counted in the ranking."""
    if not panel.calibration_round:
        raise ValidationError(_("The calibration round is over."))
    if not panel.calibration_entries.filter(pk=submission.pk).exists():
        raise ValidationError(_("This entry is not a calibration entry."))
    errors = []
    for c in panel.criteria.all():
        value = values.get(c.pk)
        if value is None or not c.scale_min <= value <= c.scale_max:
            errors.append(
                _("%(name)s: give a score from %(lo)s to %(hi)s.")
                % {"name": c.name, "lo": c.scale_min, "hi": c.scale_max}
            )
    if errors:
        raise ValidationError(errors)
    score, _created = CalibrationScore.objects.update_or_create(
        member=member,
        submission=submission,
        defaults={"panel": panel, "values": {str(k): v for k, v in values.items()}},
    )
    return score


def calibration_results(panel: Panel) -> dict:
    """Per calibration entry and criterion: each member's value, the mean and the
    spread (standard deviation); and Krippendorff's alpha over all calibration
    scores of the weighted score. Three queries."""
    criteria = list(panel.criteria.all())
    entries = list(panel.calibration_entries.select_related("organisation").order_by("sequence"))
    scores = list(CalibrationScore.objects.filter(panel=panel).select_related("member__user"))
    total_weight = sum(float(c.weight) for c in criteria) or 1
    by_entry = defaultdict(list)
    weighted = {}
    for s in scores:
        by_entry[s.submission_id].append(s)
        if all(str(c.pk) in s.values for c in criteria):
            weighted[(s.member_id, s.submission_id)] = (
                sum(float(c.weight) * s.values[str(c.pk)] for c in criteria) / total_weight
            )
    rows = []
    for e in entries:
        mine = by_entry.get(e.pk, [])
        per_criterion = []
        for c in criteria:
            values = [s.values.get(str(c.pk)) for s in mine if s.values.get(str(c.pk)) is not None]
            per_criterion.append(
                {
                    "name": c.name,
                    "values": values,
                    "mean": round(statistics.fmean(values), 2) if values else None,
                    "spread": round(statistics.pstdev(values), 2) if values else None,
                }
            )
        rows.append(
            {
                "entry": e,
                "members": [
                    (s.member.user.display_name, [s.values.get(str(c.pk)) for c in criteria])
                    for s in mine
                ],
                "criteria": per_criterion,
                "count": len(mine),
            }
        )
    alpha = alpha_interval(weighted)
    return {
        "rows": rows,
        "criteria": criteria,
        "alpha": None if alpha is None else round(alpha, 3),
    }
