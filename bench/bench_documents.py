"""Benchmark of the PDF documents: an entry's dossier of about 40 pages (every answer
at its word limit, partners in Chinese, French and Spanish, two photos and PDF
attachments) and a book of 15 such entries.

Not part of the test run, not a timed test. Targets: dossier < 2 s, 15-entry book
< 30 s. Writes its figures to bench/results/documents.json and exits non-zero when a
target is missed.

    .venv/bin/python bench/bench_documents.py
"""

import io
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awardportal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

TARGET_DOSSIER_S = 2.0
TARGET_BOOK_S = 30.0
BOOK_ENTRIES = int(os.environ.get("BENCH_BOOK_ENTRIES", "15"))
RESULTS = Path(__file__).resolve().parent / "results" / "documents.json"
WORDS = (
    "residents district budget park renewal vote participation housing mobility water "
    "green youth evidence indicator partnership municipality transparency inclusive"
).split()


def words(rng: random.Random, n: int) -> str:
    text = []
    for i in range(n):
        text.append(rng.choice(WORDS))
        if i % 90 == 89:
            text.append(".\n\n")
    return " ".join(text)


def annex_pdf(pages: int) -> bytes:
    from reportlab.platypus import PageBreak

    from submissions.documents.pdf import para, render

    story = []
    for i in range(pages):
        story += [para(f"Annex page {i + 1}", "h2"), para("Evaluation data. " * 200), PageBreak()]
    return render(story[:-1])


def photo(seed: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((1600, 1000), 40 + seed).convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def make_entry(rng, cycle, n, annexes, photos):
    from django.core.files.base import ContentFile

    from submissions.models import DEFAULT_WORD_LIMITS, Attachment, Partner
    from tests import factories

    org = factories.OrganisationFactory(name=f"Ciudad de Mérida {n}", country="MX")
    fields = {
        f: words(rng, limit)
        for f, limit in DEFAULT_WORD_LIMITS.items()
        if f not in ("title", "subtitle")
    }
    sub = factories.CompleteSubmissionFactory(
        cycle=cycle, organisation=org, status="eligible", title=f"Bench initiative {n}", **fields
    )
    for name in ("广州市城市规划协会", "Université de Montréal", "Fundación Señorial"):
        Partner.objects.create(submission=sub, name=name, kind="academic", role="Partner")
    for i, data in enumerate(annexes):
        a = Attachment(
            submission=sub,
            kind="document",
            original_name=f"annex-{i}.pdf",
            content_type="application/pdf",
            size_bytes=len(data),
        )
        a.file.save(f"annex-{i}.pdf", ContentFile(data), save=True)
    for i, data in enumerate(photos):
        a = Attachment(
            submission=sub,
            kind="photo",
            original_name=f"photo-{i}.jpg",
            content_type="image/jpeg",
            size_bytes=len(data),
        )
        a.file.save(f"photo-{i}.jpg", ContentFile(data), save=True)
    return sub


def timed(fn, runs):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    from submissions.documents.dossier import dossier_pdf
    from submissions.documents.pdf import page_count
    from submissions.selectors.application_body import submission_get_for_dossier
    from tests import factories

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        rng = random.Random(7)
        cycle = factories.CycleFactory()
        annexes = [annex_pdf(16), annex_pdf(14)]
        photos = [photo(1), photo(2)]
        entries = [make_entry(rng, cycle, n, annexes, photos) for n in range(BOOK_ENTRIES)]

        def one():
            return dossier_pdf(submission=submission_get_for_dossier(pk=entries[0].pk))

        dossier_s, data = timed(one, 3)
        dossier_pages = page_count(data)

        from judging.documents import _entries_query as entries_query
        from judging.documents import book_pdf

        def book():
            subs = list(entries_query().filter(cycle=cycle).order_by("sequence"))
            return book_pdf(
                entries=subs, title="Bench book", subtitle="", progress=lambda d, t: None
            )

        book_s, book_data = timed(book, 1)
        book_pages = page_count(book_data)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    figures = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "dossier": {
            "pages": dossier_pages,
            "seconds_median_of_3": round(dossier_s, 3),
            "target_seconds": TARGET_DOSSIER_S,
            "bytes": len(data),
        },
        "book": {
            "entries": BOOK_ENTRIES,
            "pages": book_pages,
            "seconds": round(book_s, 2),
            "target_seconds": TARGET_BOOK_S,
            "bytes": len(book_data),
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    missed = dossier_s > TARGET_DOSSIER_S or book_s > TARGET_BOOK_S
    print("targets missed" if missed else "targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
