"""What members say before the assignment runs: their expertise and their wishes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from submissions.classifications import Domain, Topic
from submissions.models import Submission
from submissions.workflow import Status

from ..models import EntryPreference, PanelKind, PanelMember, Preference
from .assignment import is_automatic_conflict

EXPERTISE_VALUES = set(Topic.values) | set(Domain.values)


def member_update_expertise(*, member: PanelMember, expertise: list[str], by) -> PanelMember:
    """Store the analytical topics and domains the member knows (unknown values refused)."""
    unknown = [v for v in expertise if v not in EXPERTISE_VALUES]
    if unknown:
        raise ValidationError(_("Unknown topic or domain: %(v)s.") % {"v": ", ".join(unknown)})
    member.expertise = sorted(set(expertise))
    member.save(update_fields=["expertise"])
    return member


def preference_entries(member: PanelMember):
    """The entries a member may state a wish about: the cycle's eligible entries
    (Technical Committee), minus those with an automatic conflict, titles and abstracts
    only; ordered by reference."""
    panel = member.panel
    if panel.kind != PanelKind.TECHNICAL_COMMITTEE:
        return []
    entries = (
        Submission.objects.filter(cycle_id=panel.cycle_id, status=Status.ELIGIBLE)
        .select_related("organisation")
        .only(
            "pk",
            "reference",
            "title",
            "abstract",
            "sequence",
            "cycle_id",
            "organisation__name",
            "organisation__country",
        )
        .order_by("sequence")
    )
    return [
        e
        for e in entries
        if not is_automatic_conflict(member.country, e.organisation.country, panel.conflict_scope)
    ]


@transaction.atomic
def preferences_save(*, member: PanelMember, levels: dict[int, str], by) -> int:
    """Replace the member's wishes with ``levels`` ({entry id: want/can/rather_not};
    an empty level clears it). Only entries the member may see count. Returns how
    many wishes are stored."""
    if member.panel.closed_at:
        raise ValidationError(_("The stage is closed: wishes can no longer change."))
    bad = [v for v in levels.values() if v and v not in Preference.values]
    if bad:
        raise ValidationError(_("Choose want, can or rather not."))
    allowed = {e.pk for e in preference_entries(member)}
    wanted = {pk: v for pk, v in levels.items() if v and pk in allowed}
    EntryPreference.objects.filter(member=member).delete()
    EntryPreference.objects.bulk_create(
        EntryPreference(member=member, submission_id=pk, level=level)
        for pk, level in sorted(wanted.items())
    )
    return len(wanted)
