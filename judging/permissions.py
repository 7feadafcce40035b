"""Rules for panels, assignments and reviews.

Objects the predicates receive: a ``Panel`` for panel pages, an ``Assignment`` for a
reviewer's score sheet and conflict declaration, a ``Submission`` for screening and
attachments. Every judging view names one of the permissions below.
"""

import rules

from accounts.permissions import is_secretariat

from .models import Assignment, ExportJob, HearingSlot, Panel, PanelKind, PanelMember
from .services.assignment import is_automatic_conflict


@rules.predicate
def is_panel_member(user, panel):
    """A member of this panel (any role in it)."""
    if not isinstance(panel, Panel) or panel.pk is None or not user.is_authenticated:
        return False
    return PanelMember.objects.filter(panel=panel, user=user).exists()


@rules.predicate
def is_panel_chair(user, panel):
    if not isinstance(panel, Panel) or panel.pk is None or not user.is_authenticated:
        return False
    return PanelMember.objects.filter(panel=panel, user=user, is_chair=True).exists()


@rules.predicate
def is_any_panel_member(user):
    return user.is_authenticated and PanelMember.objects.filter(user=user).exists()


@rules.predicate
def owns_live_assignment(user, assignment):
    """The reviewer the assignment belongs to, while it is not released."""
    return (
        isinstance(assignment, Assignment)
        and user.is_authenticated
        and assignment.reviewer.user_id == user.pk
        and assignment.state != Assignment.State.RELEASED
    )


def _automatic_conflict(assignment: Assignment) -> bool:
    """The panel's rule forbids this member the entry (same country by default),
    whatever the assignment row says: a member whose country changed after the
    assignment is refused even before the assignment is released."""
    return is_automatic_conflict(
        assignment.reviewer.country,
        assignment.submission.organisation.country,
        assignment.panel.conflict_scope,
    )


@rules.predicate
def has_no_automatic_conflict(user, assignment):
    """The panel's rule does not forbid the assignment's reviewer its entry: a member
    from the entry's country is not even shown the entry (title, city) on the conflict
    page, whatever the assignment row says."""
    return isinstance(assignment, Assignment) and not _automatic_conflict(assignment)


@rules.predicate
def is_conflict_free_reviewer(user, assignment):
    """The reviewer has declared no conflict and has none by the panel's rule: the entry
    may be shown and scored."""
    return (
        isinstance(assignment, Assignment)
        and user.is_authenticated
        and assignment.reviewer.user_id == user.pk
        and assignment.state == Assignment.State.ACTIVE
        and not _automatic_conflict(assignment)
    )


@rules.predicate
def has_conflict_free_assignment_for(user, submission):
    """Any active assignment of ``submission`` to ``user`` without a conflict."""
    if submission is None or not user.is_authenticated:
        return False
    active = Assignment.objects.filter(
        submission=submission, reviewer__user=user, state=Assignment.State.ACTIVE
    ).select_related("reviewer", "panel", "submission__organisation")
    return any(not _automatic_conflict(assignment) for assignment in active)


@rules.predicate
def is_jury_member_for_slot(user, slot):
    """A jury member of the cycle the hearing slot belongs to."""
    if not isinstance(slot, HearingSlot) or not user.is_authenticated:
        return False
    return PanelMember.objects.filter(
        panel__cycle_id=slot.session.cycle_id, panel__kind=PanelKind.JURY, user=user
    ).exists()


@rules.predicate
def is_city_of_slot(user, slot):
    return (
        isinstance(slot, HearingSlot)
        and user.is_authenticated
        and user.organisation_id is not None
        and user.organisation_id == slot.submission.organisation_id
    )


@rules.predicate
def is_jury_member_in_jury_stage(user, panel):
    """For the Technical Committee's panel: a jury member of the same cycle, once the
    committee's decisions are released (the jury stage). Never a city, never public."""
    if not isinstance(panel, Panel) or panel.pk is None or not user.is_authenticated:
        return False
    if panel.kind != PanelKind.TECHNICAL_COMMITTEE or panel.released_at is None:
        return False
    return PanelMember.objects.filter(
        panel__cycle_id=panel.cycle_id, panel__kind=PanelKind.JURY, user=user
    ).exists()


rules.add_perm("judging.screen", is_secretariat)
rules.add_perm("judging.manage_panel", is_secretariat)
rules.add_perm("judging.view_ranking", is_secretariat | is_panel_chair)
rules.add_perm("judging.view_proposals", is_secretariat | is_panel_chair)
rules.add_perm("judging.review", is_any_panel_member)
rules.add_perm("judging.declare_conflict", owns_live_assignment & has_no_automatic_conflict)
rules.add_perm("judging.score", is_conflict_free_reviewer)
rules.add_perm("judging.view_attachment", is_secretariat | has_conflict_free_assignment_for)
rules.add_perm("judging.panel_member", is_panel_member)
rules.add_perm("judging.view_meeting", is_secretariat | is_panel_member)
rules.add_perm("judging.chair_panel", is_secretariat | is_panel_chair)
# The shortlist phase: hearings, presentations, the committee's analysis, the report.
rules.add_perm("judging.view_hearings", is_secretariat | is_panel_member)
rules.add_perm(
    "judging.view_presentation", is_secretariat | is_city_of_slot | is_jury_member_for_slot
)
rules.add_perm(
    "judging.view_shortlist_report", is_secretariat | is_panel_chair | is_jury_member_in_jury_stage
)
rules.add_perm("judging.write_shortlist_report", is_panel_chair)
rules.add_perm("judging.sign_jury_report", is_panel_chair)

# The entry's PDF dossier: exactly who may read the entry on a score page (an
# assigned reviewer with no conflict declared) and the Secretariat.
may_read_entry = is_secretariat | has_conflict_free_assignment_for
rules.add_perm("judging.view_dossier", may_read_entry)


@rules.predicate
def owns_job(user, job):
    """The person who asked for a background document (book, archive, certificates)."""
    return isinstance(job, ExportJob) and user.is_authenticated and job.requested_by_id == user.pk


rules.add_perm("judging.panel_documents", is_secretariat | is_panel_member)
rules.add_perm("judging.own_document_job", owns_job)
rules.add_perm("judging.certificates", is_secretariat)
