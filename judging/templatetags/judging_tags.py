"""Template helpers for the judging pages."""

import zoneinfo

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def beijing_and_own(value):
    """“30 Nov 2026 18:00 Beijing time (11:00 Europe/Paris)”; the second part only
    when the active zone differs from Beijing."""
    if not value:
        return ""
    award = zoneinfo.ZoneInfo(settings.AWARD_TIME_ZONE)
    here = timezone.get_current_timezone()
    text = _("%(time)s Beijing time") % {
        "time": formats.date_format(value.astimezone(award), "DATETIME_FORMAT")
    }
    if str(here) != settings.AWARD_TIME_ZONE:
        local = formats.date_format(value.astimezone(here), "DATETIME_FORMAT")
        text += f" ({local} {here})"
    return text


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def cell(cells, entry, member):
    return cells.get((entry.pk, member.pk))


@register.simple_tag
def is_conflict(conflicts, entry, member):
    return (entry.pk, member.pk) in conflicts


@register.filter
def recommendation_label(value):
    from ..models import Recommendation

    try:
        return Recommendation(value).label
    except ValueError:
        return value


@register.filter
def status_label(value):
    """The label of a workflow status value (a meeting decision)."""
    from submissions.workflow import Status

    try:
        return Status(value).label
    except ValueError:
        return value
