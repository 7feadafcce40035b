"""Template helpers for the judging pages."""

from django import template

register = template.Library()


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
