"""Content the Secretariat writes once for everybody, in each of the portal's languages.

Fields such as a cycle's theme or a criterion's name are registered with
django-modeltranslation (``<app>/translation.py``): each gets one column per language
(``theme_en``, ``theme_zh_hans``, ``theme_fr``, ``theme_es``) and reading ``theme``
gives the active language's text, falling back to English. English is the source:
services write ``<field>_en`` and the other languages explicitly (never through the
bare ``theme``, whose write would go to whatever language the request speaks).

To register another field (e.g. a jury report's introduction), add its name to the
model's ``fields`` in ``<app>/translation.py``, run ``makemigrations``, and list
``localized_names("intro")`` in the console form.
"""

from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

DEFAULT = "en"
CODES = [code for code, _name in settings.LANGUAGES]
OTHER_CODES = [code for code in CODES if code != DEFAULT]


def localized_name(field: str, language: str) -> str:
    """``localized_name("theme", "zh-hans") == "theme_zh_hans"``."""
    return build_localized_fieldname(field, language)


def localized_names(field: str, *, include_default: bool = True) -> list[str]:
    """The field's column in every language, English first."""
    codes = CODES if include_default else OTHER_CODES
    return [localized_name(field, code) for code in codes]


def language_name(language: str) -> str:
    """The language's name in itself, as the switcher shows it ("Français")."""
    return dict(settings.LANGUAGES)[language]


def label_translation_fields(form, field: str, label) -> None:
    """Label a form's ``<field>_<language>`` inputs "Theme (English)", "Theme (简体中文)"…
    and say that a blank one shows the English text."""
    from django.utils.translation import gettext_lazy as _

    for code in CODES:
        name = localized_name(field, code)
        if name in form.fields:
            form.fields[name].label = f"{label} ({language_name(code)})"
            if code != DEFAULT:
                form.fields[name].required = False
                form.fields[name].help_text = _("Left blank, the English text is shown.")


def translations_from(data: dict, field: str) -> dict[str, str | None]:
    """The non-English versions of ``field`` found in ``data`` (a form's cleaned data),
    keyed by column name; a blank answer is None, so the page falls back to English."""
    found = {}
    for name in localized_names(field, include_default=False):
        if name in data:
            value = (data[name] or "").strip()
            found[name] = value or None
    return found
