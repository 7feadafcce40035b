"""Every email the portal sends speaks the recipient's language: each subject, rendered
for a user whose language is Chinese, is in Chinese (issue 8)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from submissions.messages import REGISTRY
from submissions.services.emails import default_source

CJK = re.compile(r"[\u4e00-\u9fff]")
SUBJECTS = sorted(
    str(path.relative_to(Path(settings.BASE_DIR) / "templates"))
    for folder in ("templates/email", "templates/judging/email")
    for path in (Path(settings.BASE_DIR) / folder).glob("*_subject.txt")
)


def test_every_email_of_the_portal_has_a_subject_template():
    assert len(SUBJECTS) >= 14


@pytest.mark.parametrize("template", SUBJECTS)
def test_every_email_subject_is_chinese_for_a_chinese_recipient(template):
    with translation.override("zh-hans"):
        # Counts for the plural subjects (days left, reviews to finish).
        subject = render_to_string(template, {"days_left": 2, "todo": 3}).strip()
    assert CJK.search(subject), (template, subject)


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_every_editable_message_starts_in_chinese_for_the_secretariat(key):
    subject, body = default_source(message=REGISTRY[key], language="zh-hans")
    assert CJK.search(subject), (key, subject)
    assert CJK.search(body), (key, body)
