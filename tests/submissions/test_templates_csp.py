"""The applicant pages keep to the strict Content-Security-Policy: no inline script,
no event-handler attributes, no style attributes."""

import re

import pytest
from django.urls import reverse

from submissions.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"\sstyle\s*=", re.I)


def _assert_csp_clean(content: str):
    assert INLINE_SCRIPT.findall(content) == []
    assert HANDLER.findall(content) == []
    assert STYLE.findall(content) == []


def test_applicant_pages_have_no_inline_script_handlers_or_styles(
    official_client, official, open_cycle
):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation
    )
    factories.PartnerFactory(submission=entry)
    factories.AttachmentFactory(submission=entry)
    asked = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=Status.CLARIFICATION
    )
    factories.ClarificationRequestFactory(submission=asked)
    urls = [
        reverse("submissions:dashboard"),
        reverse("submissions:step", args=[entry.pk, 1]),
        reverse("submissions:step", args=[entry.pk, 2]),
        reverse("submissions:attachments", args=[entry.pk]),
        reverse("submissions:preview", args=[entry.pk]),
        reverse("submissions:preview", args=[asked.pk]),
        reverse("submissions:submit", args=[entry.pk]),
        reverse("submissions:withdraw", args=[entry.pk]),
        reverse("submissions:organisation_edit"),
        reverse("submissions:organisation_members"),
        reverse("accounts:profile"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("account_logout"),
    ]
    for url in urls:
        response = official_client.get(url)
        assert response.status_code == 200, url
        _assert_csp_clean(response.content.decode())


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_account_entrance_pages_have_no_inline_script(client, name):
    _assert_csp_clean(client.get(reverse(name)).content.decode())
