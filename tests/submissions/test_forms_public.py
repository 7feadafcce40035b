"""The public database's filter form: its country list in the visitor's language."""

from django.utils import translation

from submissions.forms.public import DatabaseFilterForm


def _countries(form) -> list[tuple[str, str]]:
    return [(str(code), str(name)) for code, name in form.fields["country"].choices]


def test_countries_are_listed_by_their_name_in_the_active_language():
    with translation.override("fr"):
        french = _countries(DatabaseFilterForm())
    with translation.override("en"):
        english = _countries(DatabaseFilterForm())
    assert french[0] == ("", "Tous les pays")
    assert english[0] == ("", "All countries")
    assert ("DE", "Allemagne") in french and ("DE", "Germany") in english
    # Sorted by the name the visitor reads: Germany after France, Allemagne before.
    assert english.index(("FR", "France")) < english.index(("DE", "Germany"))
    assert french.index(("DE", "Allemagne")) < french.index(("FR", "France"))


def test_a_country_is_checked_against_the_list():
    assert DatabaseFilterForm({"country": "KE"}).filters().country == "KE"
    form = DatabaseFilterForm({"country": "XX"})
    assert form.filters().country == ""
    assert "country" in form.errors
