"""The Technical Committee's analysis of the shortlist (never public, never for the
city) and the jury chair's sign-off of the jury report (a condition of publication)."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from judging.models import ShortlistReport
from judging.services.reports import jury_report_sign, shortlist_report_save
from submissions.services.publishing import cycle_publish_results
from submissions.workflow import Status
from tests.judging.conftest import client_for

ANALYSIS = "The shortlist balances continents; evidence decided."


@pytest.fixture
def shortlisted(make_entry):
    return make_entry(status=Status.SHORTLISTED, title="Rain gardens for schools")


@pytest.fixture
def analysis(cycle, tc_members, shortlisted):
    return shortlist_report_save(
        cycle=cycle,
        text=ANALYSIS,
        summaries={shortlisted.pk: "Strong results, modest cost."},
        by=tc_members[0].user,
    )


def test_shortlist_report_written_by_the_tc_chair_only(cycle, tc_members, shortlisted):
    with pytest.raises(PermissionDenied):
        shortlist_report_save(cycle=cycle, text="x", summaries={}, by=tc_members[1].user)
    assert ShortlistReport.objects.count() == 0
    report = shortlist_report_save(
        cycle=cycle, text=ANALYSIS, summaries={shortlisted.pk: "Good."}, by=tc_members[0].user
    )
    assert (report.text, list(report.summaries.values_list("summary", flat=True))) == (
        ANALYSIS,
        ["Good."],
    )


def test_shortlist_report_summaries_only_for_shortlisted_entries(cycle, tc_members, make_entry):
    other = make_entry(status=Status.DESERVING)
    with pytest.raises(ValidationError) as raised:
        shortlist_report_save(
            cycle=cycle, text="x", summaries={other.pk: "No."}, by=tc_members[0].user
        )
    assert raised.value.messages == ["Summaries are written for shortlisted entries only."]
    assert ShortlistReport.objects.count() == 0


def test_shortlist_report_readers_in_the_jury_stage(
    cycle, tc_panel, jury_members, tc_members, analysis, shortlisted, secretariat_client, client
):
    url = reverse("shortlist:shortlist_report", args=[cycle.number])
    jury = client_for(jury_members[1].user)
    assert jury.get(url).status_code == 403  # the committee has not released yet
    tc_panel.released_at = timezone.now()
    tc_panel.save(update_fields=["released_at"])
    page = jury.get(url)
    assert page.status_code == 200
    assert ANALYSIS in page.content.decode()
    assert "Strong results, modest cost." in page.content.decode()
    assert ANALYSIS in secretariat_client.get(url).content.decode()
    city = User.objects.get(organisation=shortlisted.organisation)
    assert client_for(city).get(url).status_code == 403
    assert client_for(tc_members[1].user).get(url).status_code == 403
    assert client.get(url).status_code == 302  # anonymous: to the login page


def test_shortlist_report_never_on_public_or_city_pages(
    cycle, tc_panel, analysis, shortlisted, client
):
    cycle.results_published_at = timezone.now()
    cycle.save()
    city = client_for(User.objects.get(organisation=shortlisted.organisation))
    for response in (
        client.get(reverse("public:results_cycle", args=[cycle.number])),
        client.get(reverse("public:initiative_by_id", args=[shortlisted.pk])),
        city.get(reverse("submissions:dashboard")),
        city.get(reverse("submissions:preview", args=[shortlisted.pk])),
        city.get(reverse("shortlist:hearing_city", args=[shortlisted.pk])),
    ):
        assert response.status_code == 200
        body = response.content.decode()
        assert ANALYSIS not in body
        assert "Strong results, modest cost." not in body


def test_shortlist_report_post_by_a_jury_member_is_refused(cycle, tc_panel, jury_members, analysis):
    tc_panel.released_at = timezone.now()
    tc_panel.save(update_fields=["released_at"])
    r = client_for(jury_members[0].user).post(
        reverse("shortlist:shortlist_report", args=[cycle.number]), {"text": "Overwritten"}
    )
    assert r.status_code == 403
    analysis.refresh_from_db()
    assert analysis.text == ANALYSIS


@pytest.fixture
def decided(cycle, jury_panel, jury_members, make_entry):
    cycle.jury_report = "The jury met in Guangzhou."
    cycle.save()
    winner = make_entry(status=Status.WINNER, title="Open budget", citation="For courage.")
    mention = make_entry(status=Status.SPECIAL_MENTION, title="Youth council")
    medal = make_entry(status=Status.MEDAL_OF_HONOR, title="Solar roofs")
    jury_panel.released_at = timezone.now()
    jury_panel.save(update_fields=["released_at"])
    return winner, mention, medal


def test_jury_report_signed_by_the_jury_chair_only(cycle, decided, jury_members, secretariat):
    with pytest.raises(PermissionDenied):
        jury_report_sign(cycle=cycle, by=jury_members[1].user)
    with pytest.raises(PermissionDenied):
        jury_report_sign(cycle=cycle, by=secretariat)
    cycle.refresh_from_db()
    assert (cycle.jury_report_signed_at, cycle.jury_report_signed_by) == (None, None)
    signed = jury_report_sign(cycle=cycle, by=jury_members[0].user)
    assert signed.jury_report_chair_name == jury_members[0].user.display_name
    assert signed.jury_report_signed_by == jury_members[0].user
    with pytest.raises(ValidationError) as raised:
        jury_report_sign(cycle=cycle, by=jury_members[0].user)
    assert raised.value.messages == ["The jury report is already signed."]
    cycle.refresh_from_db()
    assert (cycle.jury_report_signed_at, cycle.jury_report_signed_by) == (
        signed.jury_report_signed_at,
        jury_members[0].user,
    )


def test_jury_report_sign_needs_citations_and_an_introduction(cycle, decided, jury_members):
    winner = decided[0]
    winner.citation = ""
    winner.save()
    cycle.jury_report = ""
    cycle.save()
    with pytest.raises(ValidationError) as raised:
        jury_report_sign(cycle=cycle, by=jury_members[0].user)
    assert raised.value.messages == [
        "Write the introduction of the report first.",
        f"The winner {winner.reference} has no citation.",
    ]
    cycle.refresh_from_db()
    assert (cycle.jury_report_signed_at, cycle.jury_report_signed_by) == (None, None)


def test_publish_refused_until_the_report_is_signed(cycle, decided, jury_members, secretariat):
    with pytest.raises(ValidationError) as raised:
        cycle_publish_results(cycle=cycle, by=secretariat)
    assert raised.value.messages == ["The jury chair has not signed the jury report yet."]
    cycle.refresh_from_db()
    assert cycle.results_published_at is None
    assert list(cycle.submissions.exclude(slug="").values_list("slug", flat=True)) == []
    jury_report_sign(cycle=cycle, by=jury_members[0].user)
    assert cycle_publish_results(cycle=cycle, by=secretariat).is_published


def test_jury_report_page_signs_over_http(cycle, decided, jury_members):
    chair = client_for(jury_members[0].user)
    url = reverse("shortlist:jury_report", args=[cycle.number])
    assert client_for(jury_members[1].user).get(url).status_code == 403
    assert chair.post(url, {"action": "save", "introduction": "Revised intro."}).status_code == 302
    assert chair.post(url, {"action": "sign"}).status_code == 302
    cycle.refresh_from_db()
    assert (cycle.jury_report, cycle.jury_report_signed_at is not None) == ("Revised intro.", True)
    r = chair.post(url, {"action": "save", "introduction": "Too late."})
    assert r.status_code == 400
    cycle.refresh_from_db()
    assert cycle.jury_report == "Revised intro."


def test_published_report_on_results_page_and_as_pdf(
    cycle, decided, jury_members, secretariat, client
):
    jury_report_sign(cycle=cycle, by=jury_members[0].user)
    pdf_url = reverse("public:jury_report_pdf", args=[cycle.number])
    assert client.get(pdf_url).status_code == 404  # not yet published
    cycle_publish_results(cycle=cycle, by=secretariat)
    page = client.get(reverse("public:results_cycle", args=[cycle.number])).content.decode()
    for text in ("The jury met in Guangzhou.", "For courage.", "Special Mentions", "Youth council"):
        assert text in page
    assert jury_members[0].user.display_name in page
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "The jury met in Guangzhou.",
        "Open budget",
        "For courage.",
        "Solar roofs",
        "Youth council",
        jury_members[0].user.display_name,
    ):
        assert expected in text


def test_jury_report_pdf_renders_chinese_and_accented_names(cycle, decided, jury_members):
    from submissions.documents.jury_report import jury_report_pdf
    from submissions.selectors.jury_report import jury_report_get

    winner = decided[0]
    winner.organisation.name = "广州 Guangzhou"
    winner.organisation.save()
    winner.citation = "Pour São Paulo et Montréal."
    winner.save()
    jury_report_sign(cycle=cycle, by=jury_members[0].user)
    cycle.refresh_from_db()
    data = jury_report_pdf(jury_report_get(cycle=cycle))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "广州 Guangzhou" in text
    assert "Pour São Paulo et Montréal." in text


def test_signed_report_cannot_change_through_the_cycle_settings(
    cycle, decided, jury_members, secretariat
):
    from submissions.services.cycles import cycle_update_settings

    jury_report_sign(cycle=cycle, by=jury_members[0].user)
    cycle.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        cycle_update_settings(cycle=cycle, data={"jury_report": "Rewritten."}, by=secretariat)
    assert raised.value.message_dict == {
        "jury_report": ["The jury chair has signed the report: its text can no longer change."]
    }
    cycle.refresh_from_db()
    assert cycle.jury_report == "The jury met in Guangzhou."
