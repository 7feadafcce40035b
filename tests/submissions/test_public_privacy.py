"""Nothing private may appear on any public page or download."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.models import (
    Assignment,
    Criterion,
    CriterionScore,
    OutcomeProposal,
    Panel,
    PanelMember,
    Review,
    Vote,
)
from submissions.models import ClarificationRequest, Contact, StatusChange
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry, photo, published_cycle

S = Status
SECRETS = [
    "SECRET-INELIGIBLE",
    "SECRET-WITHDRAWN",
    "SECRET-DRAFT",
    "SECRET-CLARIFY",
    "SECRET-UNPUBLISHED-WINNER",
    "SECRET-UNPUBLISHED-CYCLE-CITY",
    "secret-contact@example.org",
    "+86 555 SECRET",
    "SECRET-OVERALL-COMMENT",
    "SECRET-SCORE-COMMENT",
    "secret-reviewer@example.org",
    "SECRET Reviewer Name",
    "SECRET-NOTE",
    "SECRET-QUESTION",
    "SECRET-PRIVATE-PHOTO",
    "SECRET-MOVED-REASON",
    "SECRET-DESERVING-CITATION",
    "secret-voter@example.org",
    "SECRET-Criterion",
]


@pytest.fixture
def private_world(db):
    """A published cycle holding every kind of private data, and an unpublished one."""
    cycle = published_cycle(number=6, jury_report="Public jury report.")
    winner = entry(cycle=cycle, status=S.WINNER, title="Public winner", citation="Public citation.")
    deserving = entry(
        cycle=cycle,
        status=S.DESERVING,
        title="Public deserving",
        citation="SECRET-DESERVING-CITATION",
    )
    for sub in (winner, deserving):
        Contact.objects.create(
            submission=sub,
            name="Contact",
            email="secret-contact@example.org",
            phone="+86 555 SECRET",
        )
        StatusChange.objects.create(
            submission=sub,
            from_status=S.ELIGIBLE,
            to_status=sub.status,
            transition="tc_outcome",
            note="SECRET-NOTE",
        )
        ClarificationRequest.objects.create(submission=sub, question="SECRET-QUESTION")
    photo(submission=winner, is_public=False, caption="SECRET-PRIVATE-PHOTO")
    entry(cycle=cycle, status=S.INELIGIBLE, title="SECRET-INELIGIBLE")
    entry(cycle=cycle, status=S.WITHDRAWN, title="SECRET-WITHDRAWN")
    entry(cycle=cycle, status=S.DRAFT, title="SECRET-DRAFT")
    entry(cycle=cycle, status=S.CLARIFICATION, title="SECRET-CLARIFY")
    reviewer = factories.UserFactory(
        email="secret-reviewer@example.org", full_name="SECRET Reviewer Name"
    )
    panel = Panel.objects.create(cycle=cycle, kind="tc")
    member = PanelMember.objects.create(panel=panel, user=reviewer, affiliation="SECRET-NOTE")
    criterion = Criterion.objects.create(panel=panel, name="SECRET-Criterion")
    assignment = Assignment.objects.create(
        panel=panel, submission=winner, reviewer=member, state="active"
    )
    review = Review.objects.create(
        assignment=assignment, overall_comment="SECRET-OVERALL-COMMENT", submitted_at=timezone.now()
    )
    CriterionScore.objects.create(
        review=review, criterion=criterion, value=9, comment="SECRET-SCORE-COMMENT"
    )
    OutcomeProposal.objects.create(
        panel=panel,
        submission=deserving,
        outcome="deserving",
        proposed_outcome="shortlisted",
        moved_reason="SECRET-MOVED-REASON",
    )
    Vote.objects.create(
        cycle=cycle, submission=winner, email="secret-voter@example.org", day=timezone.now().date()
    )
    unpublished = factories.CycleFactory(number=7)
    entry(cycle=unpublished, status=S.WINNER, title="SECRET-UNPUBLISHED-WINNER")
    entry(cycle=unpublished, status=S.DESERVING, title="SECRET-UNPUBLISHED-CYCLE-CITY")
    return {"cycle": cycle, "winner": winner, "deserving": deserving, "unpublished": unpublished}


def _public_urls(world):
    urls = [
        reverse("home"),
        reverse("public:results_index"),
        reverse("public:results_cycle", args=[6]),
        reverse("public:database"),
        reverse("public:database") + "?q=SECRET",
        reverse("public:database") + "?cycle=7",
        reverse("public:database_json"),
        reverse("public:database_csv"),
        reverse("public:initiative_by_id", args=[world["winner"].pk]),
        reverse("public:initiative_by_id", args=[world["deserving"].pk]),
    ]
    return urls


def test_public_pages_and_downloads_leak_nothing_private(client, private_world):
    for url in _public_urls(private_world):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.getvalue().decode()
        leaked = [secret for secret in SECRETS if secret in body]
        assert leaked == [], url
    # The published parts are there.
    assert "Public winner" in client.get(reverse("public:database")).content.decode()
    assert (
        "Public citation." in client.get(reverse("public:results_cycle", args=[6])).content.decode()
    )


def test_public_pages_refuse_every_unpublished_entry(client, private_world):
    from submissions.models import Submission

    hidden = Submission.objects.exclude(
        pk__in=[private_world["winner"].pk, private_world["deserving"].pk]
    )
    assert hidden.count() == 6
    for sub in hidden:
        assert client.get(reverse("public:initiative_by_id", args=[sub.pk])).status_code == 404
    assert client.get(reverse("public:results_cycle", args=[7])).status_code == 404


def test_open_data_json_has_only_published_records_and_public_fields(client, private_world):
    data = json.loads(client.get(reverse("public:database_json")).getvalue())

    assert data["count"] == 2
    assert sorted(r["title"] for r in data["initiatives"]) == ["Public deserving", "Public winner"]
    assert set(data["initiatives"][0]) == {
        "reference",
        "title",
        "subtitle",
        "city",
        "country",
        "continent",
        "cycle",
        "year",
        "outcome",
        "topic",
        "sdgs",
        "domains",
        "start_date",
        "end_date",
        "ongoing",
        "abstract",
        "citation",
        "url",
    }


def test_results_page_hides_a_city_of_your_choice_no_longer_publishable(client, db):
    cycle = published_cycle(number=6)
    entry(cycle=cycle, status=S.WINNER, title="Public winner")
    gone = entry(cycle=cycle, status=S.WITHDRAWN, title="SECRET-WITHDRAWN-CHOICE")
    cycle.city_of_your_choice = gone
    cycle.save()

    body = client.get(reverse("public:results_cycle", args=[6])).content.decode()

    assert "SECRET-WITHDRAWN-CHOICE" not in body
    assert "City of Your Choice" not in body.split("</nav>", 2)[-1]
