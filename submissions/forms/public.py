"""The public database's search and filter form (GET, validation only)."""

import functools

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from submissions.classifications import SDG_NAMES, Topic
from submissions.continents import Continent
from submissions.selectors.public import PUBLIC_OUTCOMES, DatabaseFilters


@functools.cache
def _country_choices_in(language: str) -> list[tuple[str, str]]:
    return [("", gettext("All countries")), *((code, str(name)) for code, name in countries)]


def country_choices() -> list[tuple[str, str]]:
    """Every country, sorted by its name in the active language: sorted once per
    language and process (the list never changes while the portal runs)."""
    return _country_choices_in(get_language() or "")


class DatabaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    cycle = forms.TypedChoiceField(label=_("Cycle"), required=False, coerce=int, empty_value=None)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    continent = forms.ChoiceField(
        label=_("Continent"),
        required=False,
        choices=[("", _("All continents")), *Continent.choices],
    )
    # A callable: read only when the form is shown or a country is checked (the cached
    # database page does neither).
    country = forms.ChoiceField(label=_("Country"), required=False, choices=country_choices)
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *Topic.choices]
    )
    sdg = forms.TypedChoiceField(
        label=_("SDG"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All SDGs"))] + [(n, f"{n}. {name}") for n, name in SDG_NAMES.items()],
    )

    # Choices that depend on the language only (``select_options`` builds them once).
    static_choices = frozenset({"continent", "country", "topic", "sdg"})

    def __init__(self, *args, cycles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [("", _("All cycles"))] + [
            (c.number, f"{c.number} ({c.year})") for c in cycles
        ]
        self.fields["outcome"].choices = [("", _("All outcomes"))] + [
            (str(k), v) for k, v in PUBLIC_OUTCOMES.items()
        ]

    def filters(self) -> DatabaseFilters:
        """The cleaned filters; an invalid value is dropped (the page says so)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # only the fields that validated
        return DatabaseFilters(
            q=data.get("q") or "",
            cycle=data.get("cycle"),
            outcome=data.get("outcome") or "",
            continent=data.get("continent") or "",
            country=data.get("country") or "",
            topic=data.get("topic") or "",
            sdg=data.get("sdg"),
        )
