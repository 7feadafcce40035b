"""The demo's knowledge bank: publications in the reports library, through the service."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.models import Cycle, Publication
from submissions.services.publications import publication_create

PUBLICATIONS = [
    (
        6,
        "jury_report",
        "en",
        "Jury report of the 6th cycle (2023/24)",
        "2024-12-06",
        "The jury's reasons for the five winners and the Medals of Honor.",
    ),
    (
        6,
        "analytical_report",
        "en",
        "Urban innovation for the 2030 Agenda: analytical report",
        "2025-03-18",
        "Trends across 273 valid entries from 193 cities: topics, regions, SDGs.",
    ),
    (
        6,
        "brochure",
        "zh-hans",
        "第六届广州国际城市创新奖获奖案例集",
        "2025-01-10",
        "获奖城市与入围城市的创新案例。",
    ),
    (
        None,
        "brochure",
        "fr",
        "Le Prix de Guangzhou en bref",
        "2024-05-02",
        "Le prix, son calendrier et comment y participer.",
    ),
]


def load_publications(*, staff, pdf) -> None:
    """Add the demo's publications once (idempotent: matched by title)."""
    for number, kind, language, title, day, description in PUBLICATIONS:
        if Publication.objects.filter(title=title).exists():
            continue
        publication_create(
            title=title,
            kind=kind,
            language=language,
            cycle=Cycle.objects.filter(number=number).first() if number else None,
            description=description,
            published_on=dt.date.fromisoformat(day),
            file=SimpleUploadedFile(f"{kind}.pdf", pdf(title), content_type="application/pdf"),
            by=staff,
        )
