"""A city official never sees or changes another city's entries or files."""

import pytest
from django.test import Client
from django.urls import reverse

from submissions.models import Attachment, Partner, Submission
from submissions.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(open_cycle):
    """An entry of another city, with everything an entry can carry."""
    entry = factories.CompleteSubmissionFactory(cycle=open_cycle, status=Status.CLARIFICATION)
    return {
        "entry": entry,
        "attachment": factories.AttachmentFactory(submission=entry),
        "partner": factories.PartnerFactory(submission=entry),
        "question": factories.ClarificationRequestFactory(submission=entry),
    }


def _urls(f):
    e, a, p, q = f["entry"].pk, f["attachment"].pk, f["partner"].pk, f["question"].pk
    return [
        ("get", reverse("submissions:preview", args=[e])),
        ("get", reverse("submissions:step", args=[e, 1])),
        ("get", reverse("submissions:step", args=[e, 2])),
        ("post", reverse("submissions:step", args=[e, 1])),
        ("post", reverse("submissions:field_save", args=[e, "title"])),
        ("post", reverse("submissions:contacts_save", args=[e])),
        ("post", reverse("submissions:partner_add", args=[e])),
        ("post", reverse("submissions:partner_remove", args=[e, p])),
        ("get", reverse("submissions:attachments", args=[e])),
        ("post", reverse("submissions:attachments", args=[e])),
        ("post", reverse("submissions:attachment_delete", args=[e, a])),
        ("get", reverse("submissions:attachment", args=[e, a])),
        ("get", reverse("submissions:submit", args=[e])),
        ("post", reverse("submissions:submit", args=[e])),
        ("get", reverse("submissions:withdraw", args=[e])),
        ("post", reverse("submissions:withdraw", args=[e])),
        ("post", reverse("submissions:clarification_answer", args=[e, q])),
    ]


def test_other_city_gets_403_or_404_everywhere_and_nothing_changes(official_client, foreign):
    for method, url in _urls(foreign):
        response = getattr(official_client, method)(
            url, {"title": "Hijacked", "answer": "x", "partner-name": "x", "partner-kind": "other"}
        )
        assert response.status_code in (403, 404), (method, url, response.status_code)
    entry = Submission.objects.get(pk=foreign["entry"].pk)
    assert entry.status == Status.CLARIFICATION
    assert entry.title != "Hijacked"
    assert Attachment.objects.filter(pk=foreign["attachment"].pk).exists()
    assert Partner.objects.filter(submission=entry).count() == 1
    foreign["question"].refresh_from_db()
    assert foreign["question"].answer == ""


def test_user_without_city_gets_403_everywhere(client, foreign):
    client.force_login(factories.UserFactory())
    for method, url in _urls(foreign):
        assert getattr(client, method)(url).status_code in (403, 404), url


def test_anonymous_is_sent_to_login(foreign):
    client = Client()
    for method, url in _urls(foreign):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login"))


def test_attachment_of_own_entry_under_foreign_entry_url_is_404(official_client, official, foreign):
    own = factories.SubmissionFactory(organisation=official.organisation)
    own_file = factories.AttachmentFactory(submission=own)
    # The own file asked for through another entry's URL, and a foreign file through ours.
    assert (
        official_client.get(
            reverse("submissions:attachment", args=[foreign["entry"].pk, own_file.pk])
        ).status_code
        == 403
    )
    assert (
        official_client.get(
            reverse("submissions:attachment", args=[own.pk, foreign["attachment"].pk])
        ).status_code
        == 404
    )
    assert (
        official_client.get(
            reverse("submissions:attachment", args=[own.pk, own_file.pk])
        ).status_code
        == 200
    )


def test_dashboard_lists_only_own_city_entries(official_client, official, foreign):
    own = factories.SubmissionFactory(organisation=official.organisation, title="Ours")
    content = official_client.get(reverse("submissions:dashboard")).content.decode()
    assert own.reference in content
    assert foreign["entry"].reference not in content


def test_secretariat_may_view_entry_and_files_but_not_edit(secretariat_client, foreign):
    e, a = foreign["entry"].pk, foreign["attachment"].pk
    assert secretariat_client.get(reverse("submissions:preview", args=[e])).status_code == 200
    assert secretariat_client.get(reverse("submissions:attachment", args=[e, a])).status_code == 200
    assert secretariat_client.get(reverse("submissions:step", args=[e, 1])).status_code == 403


def test_every_colleague_of_the_city_may_edit_its_drafts(open_cycle):
    entry = factories.SubmissionFactory(cycle=open_cycle)
    colleague = factories.UserFactory(organisation=entry.organisation)
    client = Client()
    client.force_login(colleague)
    client.post(reverse("submissions:field_save", args=[entry.pk, "title"]), {"title": "Ours"})
    entry.refresh_from_db()
    assert entry.title == "Ours"
