"""Closing a stage, proposing outcomes from the ranking, adjusting, releasing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import Submission
from submissions.public_cache import bumps_public_cache
from submissions.services.dispatch import dispatch_on_commit
from submissions.services.emails import email_send_once
from submissions.services.transitions import submission_transition
from submissions.workflow import Status

from ..models import OutcomeProposal, Panel, PanelKind, Ranking


def outcome_choices(panel: Panel) -> list[tuple[str, str]]:
    """The outcomes a panel may propose, in display order."""
    if panel.kind == PanelKind.TECHNICAL_COMMITTEE:
        wanted = [Status.SHORTLISTED, Status.DESERVING, Status.NOT_SELECTED]
    elif panel.cycle.medals_of_honor:
        wanted = [Status.WINNER, Status.SPECIAL_MENTION, Status.MEDAL_OF_HONOR]
    else:
        wanted = [Status.WINNER, Status.SPECIAL_MENTION, Status.SHORTLISTED]
    return [(s.value, s.label) for s in wanted]


def outcome_quotas(panel: Panel) -> dict[str, int]:
    cycle = panel.cycle
    if panel.kind == PanelKind.TECHNICAL_COMMITTEE:
        return {Status.SHORTLISTED: cycle.shortlist_quota, Status.DESERVING: cycle.deserving_quota}
    return {Status.WINNER: cycle.winner_quota}


@transaction.atomic
def panel_close(*, panel: Panel, by=None) -> Panel:
    """Close scoring (``by=None``: at the deadline) and rank the entries in a task."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.closed_at is None:
        panel.closed_at = timezone.now()
        panel.save(update_fields=["closed_at"])
    from .. import tasks

    dispatch_on_commit(tasks.rank_panel, panel.pk)
    return panel


@transaction.atomic
def panel_reopen(*, panel: Panel, by) -> Panel:
    """Reopen scoring before release; the ranking and unmoved proposals are dropped."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.released_at:
        raise ValidationError(_("The decisions are released: the stage cannot reopen."))
    panel.closed_at = None
    panel.save(update_fields=["closed_at"])
    Ranking.objects.filter(panel=panel).delete()
    OutcomeProposal.objects.filter(panel=panel).delete()
    return panel


@transaction.atomic
def proposals_build(*, panel: Panel) -> int:
    """Propose outcomes from the stored ranking: the top ``shortlist_quota``
    shortlisted, the next ``deserving_quota`` deserving, the rest not selected (TC);
    the top ``winner_quota`` winners and the rest medals of honor or shortlisted
    (jury). Entries already proposed keep their (possibly moved) proposal and new
    ones fill the room left in each quota; entries no longer ranked lose theirs.
    Running twice changes nothing. Returns how many proposals were created."""
    panel = Panel.objects.select_for_update().select_related("cycle").get(pk=panel.pk)
    ranking = Ranking.objects.filter(panel=panel).first()
    if ranking is None or panel.released_at:
        return 0
    # Entries that left the ranking (e.g. reconsidered as not eligible) lose their proposal.
    panel.proposals.exclude(submission_id__in=ranking.entries.values("submission_id")).delete()
    existing = dict(panel.proposals.values_list("submission_id", "outcome"))
    # A special mention is the jury's own choice: never proposed from the ranking.
    choices = [value for value, _label in outcome_choices(panel) if value != Status.SPECIAL_MENTION]
    quotas = outcome_quotas(panel)
    # Room left in each quota after the proposals already made (and maybe moved).
    room = {o: quotas.get(o, 10**6) - sum(1 for v in existing.values() if v == o) for o in choices}
    made = []
    for entry in ranking.entries.order_by("rank"):
        if entry.submission_id in existing:
            continue
        if entry.score is None:
            outcome = choices[-1]  # never reviewed: never proposed for a distinction
        else:
            outcome = next((o for o in choices if room[o] > 0), choices[-1])
        room[outcome] -= 1
        made.append(
            OutcomeProposal(
                panel=panel,
                submission_id=entry.submission_id,
                outcome=outcome,
                proposed_outcome=outcome,
            )
        )
    OutcomeProposal.objects.bulk_create(made)
    return len(made)


@transaction.atomic
def proposal_move(*, proposal: OutcomeProposal, outcome: str, reason: str, by) -> OutcomeProposal:
    """Move an entry to another outcome, with a reason; quotas are never exceeded."""
    panel = Panel.objects.select_for_update().select_related("cycle").get(pk=proposal.panel_id)
    if panel.released_at:
        raise ValidationError(_("The decisions are released: proposals can no longer change."))
    if outcome not in dict(outcome_choices(panel)):
        raise ValidationError(_("This outcome is not available at this stage."))
    if not reason.strip():
        raise ValidationError(_("Please give a reason for moving this entry."))
    quota = outcome_quotas(panel).get(outcome)
    if quota is not None and outcome != proposal.outcome:
        taken = panel.proposals.filter(outcome=outcome).count()
        if taken >= quota:
            raise ValidationError(
                _("The quota of %(quota)s for “%(outcome)s” is full: move another entry out first.")
                % {"quota": quota, "outcome": Status(outcome).label}
            )
    proposal.outcome = outcome
    proposal.moved_reason = reason.strip()
    proposal.moved_by = by
    proposal.moved_at = timezone.now()
    proposal.save()
    return proposal


@transaction.atomic
def proposal_set_citation(*, proposal: OutcomeProposal, citation: str, by) -> OutcomeProposal:
    if proposal.panel.released_at:
        raise ValidationError(_("The decisions are released: citations can no longer change."))
    proposal.citation = citation.strip()
    proposal.save(update_fields=["citation"])
    return proposal


def proposal_counts(panel: Panel) -> dict[str, int]:
    """How many entries are proposed for each outcome (one query)."""
    rows = panel.proposals.values_list("outcome").annotate(n=Count("id"))
    return dict(rows.values_list("outcome", "n"))


def proposal_summary(panel: Panel) -> list[tuple[str, str, int, int | None]]:
    """(outcome, label, proposed, quota) for every outcome the panel may propose; the
    quota is None where there is none (e.g. not selected)."""
    counts, quotas = proposal_counts(panel), outcome_quotas(panel)
    return [
        (value, label, counts.get(value, 0), quotas.get(value))
        for value, label in outcome_choices(panel)
    ]


def proposals_problems(panel: Panel) -> list[str]:
    """Why the panel's proposals cannot be released yet; empty when they can."""
    problems = []
    if panel.cycle.accepts_submissions():
        # Entries submitted later would never be assessed against the released ones.
        problems.append(_("The call for applications is still open: close it first."))
    if not panel.closed_at:
        problems.append(_("Close the stage first."))
    if panel.released_at:
        problems.append(_("The decisions are already released."))
    proposals = list(panel.proposals.select_related("submission"))
    if not proposals:
        problems.append(_("There are no proposals yet."))
    counts = proposal_counts(panel)
    for outcome, quota in outcome_quotas(panel).items():
        if counts.get(outcome, 0) > quota:
            problems.append(
                _("More than %(quota)s entries are proposed as “%(outcome)s”.")
                % {"quota": quota, "outcome": Status(outcome).label}
            )
    expected = (
        Status.ELIGIBLE if panel.kind == PanelKind.TECHNICAL_COMMITTEE else Status.SHORTLISTED
    )
    for p in proposals:
        if p.outcome == Status.WINNER and not p.citation.strip():
            problems.append(_("Write the citation of %(ref)s.") % {"ref": p.submission.reference})
        if p.submission.status != expected:
            problems.append(
                _("%(ref)s is no longer %(status)s.")
                % {"ref": p.submission.reference, "status": Status(expected).label}
            )
    return problems


@bumps_public_cache
@transaction.atomic
def proposals_release(*, panel: Panel, by) -> int:
    """Apply every proposal at once: each entry moves to its outcome through
    ``submission_transition`` (so each city is emailed), winners' citations are
    saved, ``released_at`` is written and, after the Technical Committee, the jury
    is given the shortlisted entries. All or nothing. Returns how many moved."""
    panel = Panel.objects.select_for_update().select_related("cycle").get(pk=panel.pk)
    problems = proposals_problems(panel)
    if problems:
        raise ValidationError(problems)
    moved = 0
    for p in panel.proposals.select_related("submission").order_by("submission__sequence"):
        submission = p.submission
        if p.outcome in (Status.WINNER, Status.SPECIAL_MENTION):
            Submission.objects.filter(pk=submission.pk).update(citation=p.citation.strip())
        if p.outcome == submission.status:
            continue  # a jury without medals: the entry stays shortlisted
        submission_transition(submission=submission, to=p.outcome, by=by, note=p.moved_reason)
        moved += 1
    panel.released_at = timezone.now()
    panel.save(update_fields=["released_at"])
    from .. import tasks

    if panel.kind == PanelKind.TECHNICAL_COMMITTEE:
        dispatch_on_commit(tasks.assign_jury, panel.cycle_id)
    else:
        # Entries that stay shortlisted have no move, hence no move's email: tell them.
        dispatch_on_commit(tasks.notify_jury_decision, panel.pk)
    return moved


def jury_decision_notify(*, panel: Panel) -> int:
    """Email the cities whose shortlisted entry the released jury did not make a
    winner and that got no medal (so no status change told them). Idempotent."""
    if panel.kind != PanelKind.JURY or panel.released_at is None:
        return 0
    remaining = (
        Submission.objects.filter(
            cycle_id=panel.cycle_id, status=Status.SHORTLISTED, assignments__panel=panel
        )
        .distinct()
        .select_related("cycle")
    )
    members = get_user_model().objects.filter(
        organisation_id__in=remaining.values("organisation_id"), is_active=True
    )
    dashboard_url = settings.SITE_URL + reverse("submissions:dashboard")
    sent = 0
    for submission in remaining:
        for member in members:
            if member.organisation_id != submission.organisation_id:
                continue
            sent += email_send_once(
                key=f"jury-decision:{panel.pk}:{submission.pk}:{member.pk}",
                to=member.email,
                template="judging/email/jury_decision",
                context={"user": member, "submission": submission, "dashboard_url": dashboard_url},
            )
    return sent
