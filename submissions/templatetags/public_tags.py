"""Template helpers of the public site."""

import json

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# As Django's json_script: nothing in the data can close the element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict) -> str:
    """A schema.org description as a JSON-LD data block: browsers never execute it
    (so the strict Content-Security-Policy stands), search engines read it."""
    text = json.dumps(data, ensure_ascii=False, default=str).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.filter
def outcome_label(status: str) -> str:
    """The outcome as the public reads it ("Winner", "Expert-recommended"…)."""
    from submissions.selectors.public import outcome_label as label

    return label(status)


@register.filter
def select_options(field) -> str:
    """The ``<option>`` elements of a choice field, the one chosen marked selected.

    Built in Python: the database's search form has about 300 options (every country,
    SDG, cycle...) and rendering each through the template language cost more than
    the search itself."""
    chosen = "" if field.value() is None else str(field.value())
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == chosen else "", label)
            for value, label in field.field.choices
        ),
    )
