"""Secretariat-written content in each language (django-modeltranslation): a cycle's
theme and the criteria's names and descriptions, falling back to English."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from judging.models import Criterion
from judging.services.panels import criteria_create_defaults, criterion_save, panel_get_or_create
from submissions.models import Cycle
from tests import factories

pytestmark = pytest.mark.django_db


def _client_in(language: str, user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        user.language = language
        user.save(update_fields=["language"])
        client.force_login(user)
    return client


def test_theme_is_shown_in_the_visitor_language_else_english():
    factories.OpenCycleFactory(theme_en="Cities for all", theme_fr="Des villes pour tous")
    assert "Des villes pour tous" in _client_in("fr").get(reverse("home")).content.decode()
    assert "Cities for all" in _client_in("es").get(reverse("home")).content.decode()


def test_console_creates_a_cycle_with_its_theme_in_each_language(secretariat):
    client = _client_in("zh-hans", secretariat)
    response = client.post(
        reverse("console:cycle_new"),
        {
            "number": "9",
            "year": "2029/30",
            "theme": "Cities for all",
            "theme_zh_hans": "人人共享的城市",
            "theme_fr": "",
            "theme_es": "Ciudades para todos",
        },
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get(number=9)
    assert (cycle.theme_en, cycle.theme_zh_hans, cycle.theme_fr, cycle.theme_es) == (
        "Cities for all",
        "人人共享的城市",
        None,
        "Ciudades para todos",
    )
    with translation.override("fr"):
        assert cycle.theme == "Cities for all"
    with translation.override("zh-hans"):
        assert cycle.theme == "人人共享的城市"


def test_console_settings_edit_every_language(secretariat):
    cycle = factories.CycleFactory(number=8, theme_en="Old")
    client = _client_in("fr", secretariat)
    page = client.get(reverse("console:cycle_settings", args=[8])).content.decode()
    assert 'name="theme_en"' in page and 'name="theme_es"' in page
    data = {
        "year": cycle.year,
        "theme_en": "New",
        "theme_zh_hans": "",
        "theme_fr": "Nouveau",
        "theme_es": "",
        "shortlist_quota": 15,
        "deserving_quota": 30,
        "winner_quota": 5,
        "max_years_since_end": 2,
        "max_file_mb": 10,
        "max_entry_mb": 40,
        "max_attachments": 12,
    }
    response = client.post(reverse("console:cycle_settings", args=[8]), data)
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.theme_en, cycle.theme_zh_hans, cycle.theme_fr) == ("New", None, "Nouveau")


def test_criterion_names_and_descriptions_per_language(secretariat):
    panel = panel_get_or_create(cycle=factories.CycleFactory(), kind="tc")
    criterion = criterion_save(
        panel=panel,
        name="Beauty",
        description="How beautiful it is.",
        weight=Decimal(1),
        scale_min=1,
        scale_max=10,
        by=secretariat,
        translations={"name_fr": "Beauté", "description_fr": " ", "name_es": ""},
    )
    criterion.refresh_from_db()
    assert (criterion.name_en, criterion.name_fr, criterion.name_es) == ("Beauty", "Beauté", None)
    with translation.override("fr"):
        assert (criterion.name, criterion.description) == ("Beauté", "How beautiful it is.")
    with translation.override("en"):
        assert criterion.name == "Beauty"


def test_criterion_name_is_unique_in_every_language(secretariat):
    panel = panel_get_or_create(cycle=factories.CycleFactory(), kind="tc")
    kwargs = dict(
        panel=panel, description="", weight=Decimal(1), scale_min=1, scale_max=10, by=secretariat
    )
    criterion_save(name="Beauty", translations={"name_fr": "Beauté"}, **kwargs)
    count = panel.criteria.count()
    with pytest.raises(ValidationError) as raised:
        criterion_save(name="Elegance", translations={"name_fr": "beauté"}, **kwargs)
    assert raised.value.messages == ["This panel already has a criterion with that name."]
    assert list(panel.criteria.filter(name_en="Elegance")) == []
    assert panel.criteria.count() == count


def test_panel_setup_edits_the_english_text_whatever_the_page_language(secretariat):
    panel = panel_get_or_create(cycle=factories.CycleFactory(number=31), kind="tc")
    innovation = panel.criteria.get(name_en="Innovation")
    client = _client_in("fr", secretariat)
    url = reverse("judging:panel_setup", args=[31, "tc"])
    response = client.post(
        url,
        {
            "action": "criterion",
            "criterion": innovation.pk,
            "crit-name": "Innovation",
            "crit-name_fr": "Innovation (FR)",
            "crit-description": "New in its context.",
            "crit-weight": "1",
            "crit-scale_min": "1",
            "crit-scale_max": "10",
        },
    )
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert (innovation.name_en, innovation.name_fr, innovation.description_en) == (
        "Innovation",
        "Innovation (FR)",
        "New in its context.",
    )


def test_default_criteria_are_matched_on_english_in_any_language():
    panel = panel_get_or_create(cycle=factories.CycleFactory(), kind="jury")
    with translation.override("zh-hans"):
        assert criteria_create_defaults(panel=panel) == 0
    with translation.override("fr"):
        assert criteria_create_defaults(panel=panel) == 0
    assert Criterion.objects.filter(panel=panel).count() == 7
    assert Criterion.objects.filter(panel=panel, name_en__isnull=True).count() == 0


def test_tie_break_rules_name_criteria_in_english_in_any_language():
    from judging.forms import PanelSettingsForm

    panel = panel_get_or_create(cycle=factories.CycleFactory(), kind="tc")
    panel.criteria.filter(name_en="Innovation").update(name_fr="Innovation (FR)")
    with translation.override("fr"):
        form = PanelSettingsForm(instance=panel)
        form.cleaned_data = {"tie_break_text": "criterion:Innovation\nchair"}
        assert form.clean_tie_break_text() == ["criterion:Innovation", "chair"]
