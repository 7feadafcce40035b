"""One date and time policy: templates format dates only through the ``award_format``
filters (accounts/templatetags/award_format.py), never with a format of their own."""

import re
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    path
    for pattern in ("templates/**/*.html", "templates/**/*.txt", "*/templates/**/*.html")
    for path in BASE.glob(pattern)
    if ".venv" not in path.parts
)
RAW_DATE = re.compile(
    r"\|\s*(date|time|naturaltime|naturalday|timesince|timeuntil)\b"
    r"|\{%\s*now\b"
    r"|\.isoformat\b"
    r"|\|\s*filesizeformat\b",
)


def test_templates_are_found():
    assert len(TEMPLATES) > 60


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(BASE)))
def test_template_formats_dates_only_with_the_award_filters(template):
    found = RAW_DATE.findall(template.read_text())
    assert found == [], f"{template}: use award_datetime / award_date / award_iso / file_size"
