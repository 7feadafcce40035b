"""The committee's analysis of the shortlist (for the jury) and the jury chair's
sign-off of the jury report."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import Cycle, Submission
from submissions.public_cache import bumps_public_cache
from submissions.workflow import SHORTLISTED_OR_BETTER, Status

from ..models import PanelKind, PanelMember, ShortlistReport, ShortlistSummary


def is_chair_of(user, cycle: Cycle, kind: str) -> bool:
    return bool(
        user
        and user.is_authenticated
        and PanelMember.objects.filter(
            panel__cycle=cycle, panel__kind=kind, user=user, is_chair=True
        ).exists()
    )


@transaction.atomic
def shortlist_report_save(
    *, cycle: Cycle, text: str, summaries: dict[int, str], by
) -> ShortlistReport:
    """The Technical Committee chair writes the analysis of the shortlist: one text
    and a summary per shortlisted entry (``summaries`` keyed by entry id). Refused to
    anyone else, and once the jury's decisions are released."""
    if not is_chair_of(by, cycle, PanelKind.TECHNICAL_COMMITTEE):
        raise PermissionDenied
    if cycle.panels.filter(kind=PanelKind.JURY, released_at__isnull=False).exists():
        raise ValidationError(_("The jury has decided: the analysis can no longer change."))
    shortlisted = set(
        Submission.objects.filter(cycle=cycle, status__in=SHORTLISTED_OR_BETTER).values_list(
            "pk", flat=True
        )
    )
    unknown = set(summaries) - shortlisted
    if unknown:
        raise ValidationError(_("Summaries are written for shortlisted entries only."))
    report, _created = ShortlistReport.objects.select_for_update().get_or_create(cycle=cycle)
    report.text = (text or "").strip()
    report.updated_by = by
    report.save()
    for submission_id, summary in summaries.items():
        ShortlistSummary.objects.update_or_create(
            report=report, submission_id=submission_id, defaults={"summary": summary.strip()}
        )
    return report


def jury_report_sign_problems(cycle: Cycle) -> list[str]:
    """Why the jury chair cannot sign the report yet (empty when they can)."""
    problems = []
    if cycle.jury_report_signed_at is not None:
        problems.append(_("The jury report is already signed."))
    if not cycle.panels.filter(kind=PanelKind.JURY, released_at__isnull=False).exists():
        problems.append(_("The jury's decisions are not released yet."))
    if not cycle.jury_report.strip():
        problems.append(_("Write the introduction of the report first."))
    uncited = cycle.submissions.filter(status=Status.WINNER, citation="").values_list(
        "reference", flat=True
    )
    for reference in uncited:
        problems.append(_("The winner %(ref)s has no citation.") % {"ref": reference})
    return problems


@bumps_public_cache
@transaction.atomic
def jury_report_save_introduction(*, cycle: Cycle, introduction: str, by) -> Cycle:
    """The jury chair (or the Secretariat, through the cycle settings) writes the
    introduction; refused once signed."""
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not is_chair_of(by, locked, PanelKind.JURY):
        raise PermissionDenied
    if locked.jury_report_signed_at is not None:
        raise ValidationError(_("The jury report is signed: it can no longer change."))
    locked.jury_report = (introduction or "").strip()
    locked.save(update_fields=["jury_report"])
    return locked


@bumps_public_cache
@transaction.atomic
def jury_report_sign(*, cycle: Cycle, by) -> Cycle:
    """The jury chair signs the report off: their name and the date are written and
    the report is frozen. The Secretariat cannot publish a cycle before this."""
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not is_chair_of(by, locked, PanelKind.JURY):
        raise PermissionDenied
    problems = jury_report_sign_problems(locked)
    if problems:
        raise ValidationError(problems)
    locked.jury_report_signed_at = timezone.now()
    locked.jury_report_signed_by = by
    locked.jury_report_chair_name = by.display_name
    locked.save(
        update_fields=["jury_report_signed_at", "jury_report_signed_by", "jury_report_chair_name"]
    )
    return locked
