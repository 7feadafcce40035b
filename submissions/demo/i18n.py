"""The demo's Secretariat-written texts in the portal's other languages (a cycle's
theme), so the demo shows per-language content. Idempotent: it sets the same texts
every time, and only on the demo's cycles."""

from submissions.models import Cycle

THEMES = {
    6: {
        "theme_zh_hans": "面向2030年议程的城市创新",
        "theme_fr": "L'innovation urbaine au service de l'Agenda 2030",
        "theme_es": "Innovación urbana para la Agenda 2030",
    },
    7: {
        "theme_zh_hans": "以人为本、可持续的城市创新",
        "theme_fr": "Innover pour des villes durables, centrées sur les personnes",
        "theme_es": "Innovación para ciudades sostenibles centradas en las personas",
    },
}


def load_translated_themes() -> None:
    for number, texts in THEMES.items():
        Cycle.objects.filter(number=number).update(**texts)
