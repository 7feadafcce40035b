"""Template helpers of the public site."""

import json
from html import escape

from django import template
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

    Built in Python with plain string formatting: the database's search form has about
    300 options (every country, SDG, cycle...); through the template language, or
    ``format_html`` for each, they cost more than the search itself. ``html.escape`` is
    what Django's ``escape`` applies."""
    chosen = "" if field.value() is None else str(field.value())
    options = []
    for value, label in field.field.choices:
        value = str(value)
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))
