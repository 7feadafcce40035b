"""Who scores what: the automatic assignment of entries to panel members.

``plan_assignments`` (in ``matching``) is a pure function around a solver, so its
guarantees are tested with Hypothesis; the services here load rows, call it and
write assignments. Staffing one entry reads the reviewers' loads with one aggregate
and writes its assignments with one insert, whatever the size of the panel.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.continents import continent_of
from submissions.models import Submission
from submissions.services.dispatch import dispatch_on_commit
from submissions.workflow import Status

from ..models import Assignment, ConflictScope, EntryPreference, Panel, PanelKind, PanelMember
from .matching import EntryNeed, fit_score, plan_assignments

__all__ = ["EntryNeed", "plan_assignments", "is_automatic_conflict"]

logger = logging.getLogger(__name__)

LIVE = (Assignment.State.AWAITING_CONFLICT_CHECK, Assignment.State.ACTIVE)


# --- Pure part -----------------------------------------------------------------


def is_automatic_conflict(member_country: str, entry_country: str, scope: str) -> bool:
    """Whether the panel's rule forbids a member from this country to see this entry.

    ``country``: same country. ``continent``: same continent (which includes same
    country). ``none``: only declared conflicts count. A member without a country
    has no automatic conflict.
    """
    member_country, entry_country = str(member_country or ""), str(entry_country or "")
    if not member_country or not entry_country or scope == ConflictScope.NONE:
        return False
    if member_country == entry_country:
        return True
    if scope == ConflictScope.CONTINENT:
        mine, theirs = continent_of(member_country), continent_of(entry_country)
        # continent_of gives '' (not None) for territories on no continent.
        return bool(mine) and mine == theirs
    return False


# --- Database part ---------------------------------------------------------------


def _live_and_released(panel: Panel, submission_ids) -> tuple[dict, dict]:
    """({entry id: reviewers holding a live assignment of it}, {entry id: reviewers with a
    released one}): one query for both."""
    live: dict[int, set[int]] = defaultdict(set)
    released: dict[int, set[int]] = defaultdict(set)
    for sub_id, reviewer_id, state in (
        Assignment.objects.filter(
            panel=panel,
            submission_id__in=submission_ids,
            state__in=[*LIVE, Assignment.State.RELEASED],
        )
        .order_by()
        .values_list("submission_id", "reviewer_id", "state")
    ):
        (released if state == Assignment.State.RELEASED else live)[sub_id].add(reviewer_id)
    return live, released


def _loads(panel: Panel) -> dict[int, int]:
    """Each member's live assignments: one aggregate over the panel's assignments."""
    return dict(
        Assignment.objects.filter(panel=panel, state__in=LIVE)
        .order_by()
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )


def _city_holders(panel: Panel, organisation_ids) -> dict[int, set[int]]:
    """{city (organisation id): members holding a live assignment of one of its entries}."""
    holders: dict[int, set[int]] = defaultdict(set)
    for org_id, reviewer_id in (
        Assignment.objects.filter(
            panel=panel, state__in=LIVE, submission__organisation_id__in=organisation_ids
        )
        .order_by()
        .values_list("submission__organisation_id", "reviewer_id")
    ):
        holders[org_id].add(reviewer_id)
    return holders


def _fits(panel: Panel, submissions: list[Submission], members: list[PanelMember]) -> dict:
    """{(entry id, member id): fit_score} for every pair (one query for preferences)."""
    prefs = {
        (p.submission_id, p.member_id): p.level
        for p in EntryPreference.objects.filter(
            member__panel=panel, submission__in=[s.pk for s in submissions]
        )
    }
    return {
        (s.pk, m.pk): fit_score(m.expertise, s.topic, s.domains, prefs.get((s.pk, m.pk), ""))
        for s in submissions
        for m in members
    }


def _staff(
    *, panel: Panel, submissions: list[Submission], members: list[PanelMember], k: int, by
) -> list[Assignment]:
    """Plan and create the missing assignments of ``submissions`` (already loaded with
    their organisation) in one insert; mark released ones replaced once staffed."""
    live, released = _live_and_released(panel, [s.pk for s in submissions])
    needs = [
        EntryNeed(
            entry_id=s.pk,
            excluded=frozenset(
                {
                    m.pk
                    for m in members
                    if is_automatic_conflict(
                        m.country, s.organisation.country, panel.conflict_scope
                    )
                }
                | released.get(s.pk, set())
            ),
            assigned=frozenset(live.get(s.pk, set())),
            city=s.organisation_id,
        )
        for s in submissions
    ]
    plan, fits = {}, {}
    if any(len(n.assigned) < k for n in needs):
        fits = _fits(panel, submissions, members)
        plan = plan_assignments(
            entries=needs,
            reviewers=[m.pk for m in members],
            k=k,
            loads=_loads(panel),
            fit=fits,
            city_holders=_city_holders(panel, {s.organisation_id for s in submissions}),
        )
    now = timezone.now()
    created = Assignment.objects.bulk_create(
        Assignment(
            panel=panel,
            submission_id=sub_id,
            reviewer_id=reviewer_id,
            assigned_by=by,
            created_at=now,
            fit=fits[(sub_id, reviewer_id)],
        )
        for sub_id, chosen in sorted(plan.items())
        for reviewer_id in chosen
    )
    staffed = [n.entry_id for n in needs if len(n.assigned) + len(plan.get(n.entry_id, ())) >= k]
    if staffed and any(released.get(e) for e in staffed):
        Assignment.objects.filter(
            panel=panel, submission_id__in=staffed, state=Assignment.State.RELEASED, replaced=False
        ).update(replaced=True)
    return created


# What staffing reads of an entry (conflicts, fit): not its long answers.
STAFFED_FIELDS = ("pk", "topic", "domains", "organisation__country", "organisation_id")


@transaction.atomic
def assignment_staff_entry(
    *, submission: Submission, panel: Panel, by=None, extra: int = 0
) -> list[Assignment]:
    """Give ``submission`` as many reviewers as the panel needs, by the same rules and
    fit as the whole-panel plan (``matching.plan_assignments``).

    Technical Committee: up to ``reviewers_per_entry`` live assignments (plus
    ``extra``, when the chair asks for one more reviewer); jury: every member.
    Idempotent (an entry already staffed gets nothing new). Released assignments
    whose entry is staffed again are marked ``replaced``. Returns the new
    assignments. A constant number of queries whatever the panel's size.
    """
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.closed_at:
        return []
    submission = (
        Submission.objects.select_related("organisation")
        .only(*STAFFED_FIELDS)
        .get(pk=submission.pk)
    )
    members = list(panel.members.all())
    if panel.kind == PanelKind.JURY:
        k = len(members)
    else:
        k = panel.reviewers_per_entry
        if extra:
            k = (
                len(
                    set(
                        Assignment.objects.filter(
                            panel=panel, submission=submission, state__in=LIVE
                        ).values_list("reviewer_id", flat=True)
                    )
                )
                + extra
            )
    return _staff(panel=panel, submissions=[submission], members=members, k=k, by=by)


def assignment_add_one_more(*, panel: Panel, submission: Submission, by) -> Assignment:
    """The chair asks one more reviewer for an entry (e.g. strong disagreement): the
    assignment adds one by the same rules. Raises when nobody else may take it."""
    if panel.kind != PanelKind.TECHNICAL_COMMITTEE or submission.cycle_id != panel.cycle_id:
        raise ValidationError(_("Only a Technical Committee entry can get one more reviewer."))
    if panel.closed_at:
        raise ValidationError(
            _("The stage is closed: reopen scoring before asking for another reviewer.")
        )
    created = assignment_staff_entry(submission=submission, panel=panel, by=by, extra=1)
    if not created:
        raise ValidationError(_("No other member may review this entry."))
    return created[0]


def entries_needing_reviewers(panel: Panel) -> list[int]:
    """Ids of eligible entries with fewer live TC reviewers than the panel wants and a
    member who could still take them, or with a released assignment not yet marked
    replaced. Three queries whatever the size; used by the sweep so that an entry
    nobody else may review is not re-dispatched forever."""
    members = list(panel.members.all())
    entries = Submission.objects.filter(
        cycle_id=panel.cycle_id, status=Status.ELIGIBLE
    ).values_list("pk", "organisation__country")
    live: dict[int, set] = {}
    excluded: dict[int, set] = {}
    unreplaced = set()
    for sub_id, reviewer_id, state, replaced in Assignment.objects.filter(panel=panel).values_list(
        "submission_id", "reviewer_id", "state", "replaced"
    ):
        if state == Assignment.State.RELEASED:
            excluded.setdefault(sub_id, set()).add(reviewer_id)
            if not replaced:
                unreplaced.add(sub_id)
        else:
            live.setdefault(sub_id, set()).add(reviewer_id)
    found = []
    for sub_id, country in entries:
        have = live.get(sub_id, set())
        if len(have) >= panel.reviewers_per_entry:
            if sub_id in unreplaced:
                found.append(sub_id)  # staffed already: the task only marks it replaced
            continue
        allowed = [
            m
            for m in members
            if m.pk not in have
            and m.pk not in excluded.get(sub_id, set())
            and not is_automatic_conflict(m.country, country, panel.conflict_scope)
        ]
        if allowed:
            found.append(sub_id)
    return found


def assignment_staff_tc_entry(
    *, submission: Submission | None = None, submission_id: int | None = None, by=None
) -> list[Assignment]:
    """Staff an eligible entry in its cycle's Technical Committee (if the panel exists).

    The entry's status is read from the database, with its panel, in one query (the
    task passes the id only): an entry no longer eligible gets nobody."""
    submission_id = submission.pk if submission is not None else submission_id
    panel = (
        Panel.objects.filter(
            kind=PanelKind.TECHNICAL_COMMITTEE,
            cycle__submissions__pk=submission_id,
            cycle__submissions__status=Status.ELIGIBLE,
        )
        .only("pk")
        .first()
    )
    if panel is None:
        return []
    return assignment_staff_entry(
        submission=submission or Submission(pk=submission_id), panel=panel, by=by
    )


@transaction.atomic
def assignment_staff_jury(*, panel: Panel, by=None) -> int:
    """Give every shortlisted entry of the cycle to every conflict-free jury member
    (one planning run, one insert)."""
    if panel.kind != PanelKind.JURY:
        raise ValidationError(_("Only a jury is given every shortlisted entry."))
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.closed_at:
        return 0
    entries = list(
        Submission.objects.filter(
            cycle_id=panel.cycle_id, status=Status.SHORTLISTED
        ).select_related("organisation")
    )
    members = list(panel.members.all())
    if not entries or not members:
        return 0
    return len(_staff(panel=panel, submissions=entries, members=members, k=len(members), by=by))


def assignment_staff_panel(*, panel: Panel, by=None) -> int:
    """Make every assignment the panel still lacks ("assign missing reviewers now"):
    the jury gets the shortlisted entries, the Technical Committee the eligible ones."""
    if panel.kind == PanelKind.JURY:
        return assignment_staff_jury(panel=panel, by=by)
    return len(assignment_plan_panel(panel=panel, by=by))


@transaction.atomic
def assignment_plan_panel(*, panel: Panel, by=None) -> list[Assignment]:
    """Plan every eligible entry of the cycle at once (one solver run over the whole
    panel: better fit and balance than entry by entry) and create what is missing."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.closed_at:
        return []
    entries = list(
        Submission.objects.filter(cycle_id=panel.cycle_id, status=Status.ELIGIBLE)
        .select_related("organisation")
        .only(*STAFFED_FIELDS)
    )
    members = list(panel.members.all())
    if not entries or not members:
        return []
    return _staff(
        panel=panel, submissions=entries, members=members, k=panel.reviewers_per_entry, by=by
    )


@transaction.atomic
def assignment_add(*, panel: Panel, submission: Submission, member: PanelMember, by) -> Assignment:
    """Staff assign a reviewer by hand. Refuses automatic conflicts and duplicates."""
    if member.panel_id != panel.pk or submission.cycle_id != panel.cycle_id:
        raise ValidationError(_("This member or entry does not belong to this panel."))
    if panel.closed_at:
        raise ValidationError(_("The stage is closed: assignments can no longer change."))
    if is_automatic_conflict(member.country, submission.organisation.country, panel.conflict_scope):
        raise ValidationError(
            _("%(member)s has a conflict with this entry (same country or region).")
            % {"member": member.user.display_name}
        )
    if Assignment.objects.filter(
        panel=panel, submission=submission, reviewer=member, state__in=LIVE
    ).exists():
        raise ValidationError(_("This member already reviews this entry."))
    if (
        Assignment.objects.filter(
            panel=panel, submission=submission, reviewer=member, state=Assignment.State.RELEASED
        )
        .exclude(conflict_reason="")
        .exists()
    ):
        raise ValidationError(_("This member declared a conflict with this entry."))
    return Assignment.objects.create(
        panel=panel, submission=submission, reviewer=member, assigned_by=by
    )


@transaction.atomic
def assignment_release(*, assignment: Assignment, reason: str, by, replace: bool = False):
    """Staff remove a reviewer from an entry; the reason is kept on the row.

    With ``replace`` the entry is staffed again automatically (a task, after commit).
    """
    if not reason.strip():
        raise ValidationError(_("Please give a reason for removing this reviewer."))
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.state == Assignment.State.RELEASED:
        return assignment
    assignment.state = Assignment.State.RELEASED
    assignment.released_at = timezone.now()
    assignment.release_reason = reason.strip()
    assignment.replaced = not replace
    assignment.save()
    if replace:
        from .. import tasks

        dispatch_on_commit(tasks.staff_entry, assignment.submission_id, assignment.panel_id)
    return assignment


def assignment_release_conflicts(
    *, panel: Panel, member: PanelMember | None = None, by=None
) -> list[Assignment]:
    """Check the panel's live assignments (only ``member``'s when given) against its
    automatic conflict rule again, after a member's country or the panel's rule changed.

    Each assignment that now conflicts is released with the reason (kept as a declared
    conflict, so the member is never given the entry again) and its entry is staffed
    again by a task after commit. A closed stage is left as it is (the access rule
    still refuses the member the entry). Idempotent; returns the released assignments.
    """
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.closed_at:
            return []
        locked = Assignment.objects.select_for_update().filter(panel=panel, state__in=LIVE)
        if member is not None:
            locked = locked.filter(reviewer=member)
        # The assignments are locked alone (no join, so their members and cities are
        # not), then read with what the rule compares.
        live = (
            Assignment.objects.filter(pk__in=list(locked.values_list("pk", flat=True)))
            .select_related("reviewer", "submission__organisation")
            .order_by("pk")
        )
        released = []
        for assignment in live:
            member_country = assignment.reviewer.country
            entry_country = assignment.submission.organisation.country
            if not is_automatic_conflict(member_country, entry_country, panel.conflict_scope):
                continue
            reason = _(
                "Conflict of interest: the member (%(member)s) and the entry (%(entry)s) are "
                "from the same country or region."
            ) % {"member": str(member_country), "entry": str(entry_country)}
            assignment.state = Assignment.State.RELEASED
            assignment.released_at = timezone.now()
            assignment.conflict_reason = reason
            assignment.release_reason = reason
            assignment.replaced = False
            assignment.save(
                update_fields=[
                    "state",
                    "released_at",
                    "conflict_reason",
                    "release_reason",
                    "replaced",
                ]
            )
            released.append(assignment)
        from .. import tasks

        for assignment in released:
            dispatch_on_commit(tasks.staff_entry, assignment.submission_id, panel.pk)
    if released:
        logger.info("Released %s conflicting assignments on panel %s", len(released), panel.pk)
    return released


@transaction.atomic
def assignment_confirm_no_conflict(*, assignment: Assignment, by) -> Assignment:
    """The reviewer states they have no conflict: the entry opens for scoring."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.state == Assignment.State.AWAITING_CONFLICT_CHECK:
        assignment.state = Assignment.State.ACTIVE
        assignment.no_conflict_confirmed_at = timezone.now()
        assignment.save(update_fields=["state", "no_conflict_confirmed_at"])
    PanelMember.objects.filter(pk=assignment.reviewer_id).update(last_activity_at=timezone.now())
    return assignment


@transaction.atomic
def assignment_declare_conflict(*, assignment: Assignment, reason: str, by) -> Assignment:
    """The reviewer declares a conflict: the assignment is released with the reason and
    a replacement is found by a task after commit (Technical Committee only: the
    jury already holds every member)."""
    if not reason.strip():
        raise ValidationError(_("Please describe the conflict of interest."))
    assignment = (
        Assignment.objects.select_for_update().select_related("panel").get(pk=assignment.pk)
    )
    if assignment.state == Assignment.State.RELEASED:
        raise ValidationError(_("This assignment was already released."))
    if hasattr(assignment, "review") and assignment.review.is_submitted:
        raise ValidationError(_("You already submitted a review for this entry."))
    assignment.state = Assignment.State.RELEASED
    assignment.conflict_reason = reason.strip()
    assignment.release_reason = _("Conflict of interest declared by the reviewer.")
    assignment.released_at = timezone.now()
    is_tc = assignment.panel.kind == PanelKind.TECHNICAL_COMMITTEE
    assignment.replaced = not is_tc
    assignment.save()
    PanelMember.objects.filter(pk=assignment.reviewer_id).update(last_activity_at=timezone.now())
    if is_tc:
        from .. import tasks

        dispatch_on_commit(tasks.staff_entry, assignment.submission_id, assignment.panel_id)
    return assignment
