"""Template helpers of the public site."""

import json
from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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
    what Django's ``escape`` applies.

    A form may name the fields whose choices depend on the language only
    (``static_choices``): their options are built once per language and process (the
    countries alone cost more to list than a search's query), the chosen one marked in
    the copy each page gets."""
    chosen = "" if field.value() is None else str(field.value())
    if field.name not in getattr(field.form, "static_choices", ()):
        return mark_safe(_options(field.field.choices, chosen))
    key = (type(field.form), field.name, get_language())
    options = _STATIC_OPTIONS.get(key)
    if options is None:
        options = _STATIC_OPTIONS[key] = _options(field.field.choices, chosen=None)
    unselected = f'<option value="{escape(chosen)}">'
    return mark_safe(options.replace(unselected, unselected[:-1] + " selected>", 1))


# (form class, field, language) -> the field's options, none selected.
_STATIC_OPTIONS: dict[tuple, str] = {}


def _options(choices, chosen: str | None) -> str:
    options = []
    for value, label in choices:
        value = str(value)
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return "".join(options)
