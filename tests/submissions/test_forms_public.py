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


def _options(form, name: str) -> str:
    from submissions.templatetags.public_tags import _options, select_options

    shown = str(select_options(form[name]))
    chosen = "" if form[name].value() is None else str(form[name].value())
    # The options a page gets are the ones built for it alone.
    assert shown == _options(form.fields[name].choices, chosen)
    return shown


def test_the_options_built_once_per_language_mark_each_pages_choice():
    with translation.override("en"):
        kenya = _options(DatabaseFilterForm({"country": "KE"}), "country")
        france = _options(DatabaseFilterForm({"country": "FR"}), "country")
        unfiltered = _options(DatabaseFilterForm(), "country")
        africa = _options(DatabaseFilterForm({"continent": "Africa"}), "continent")
        sdg = _options(DatabaseFilterForm({"sdg": "6"}), "sdg")
    with translation.override("fr"):
        french = _options(DatabaseFilterForm({"country": "KE"}), "country")
    assert kenya.count(" selected") == 1 and '<option value="KE" selected>Kenya' in kenya
    assert '<option value="KE">Kenya' in france and '<option value="FR" selected>' in france
    assert '<option value="" selected>All countries' in unfiltered
    assert '<option value="Africa" selected>' in africa and '<option value="6" selected>' in sdg
    assert '<option value="" selected>Tous les pays' not in french
    assert '<option value="DE">Allemagne' in french


def test_a_value_not_in_the_list_selects_nothing():
    with translation.override("en"):
        shown = _options(DatabaseFilterForm({"country": "XX"}), "country")
    assert " selected" not in shown
