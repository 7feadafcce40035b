"""Expertise, wishes, agreement on the pages, one more reviewer, calibration, the
meeting (followed by polling), threads, decisions and the meeting record."""

import pytest
from django.urls import reverse

from judging.models import (
    Assignment,
    CalibrationScore,
    DiscussionPost,
    EntryPreference,
    Meeting,
    MeetingDecision,
    OutcomeProposal,
)
from judging.services.outcomes import panel_close
from tests import factories
from tests.judging.conftest import client_for
from tests.judging.factories import PanelMemberFactory


def _url(name, cycle, *args):
    return reverse(f"judging:{name}", args=[cycle.number, "tc", *args])


@pytest.fixture
def closed_tc(cycle, tc_panel, scored_tc, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        panel_close(panel=tc_panel, by=secretariat)
    tc_panel.refresh_from_db()
    return scored_tc


def test_expertise_page_saves_topics_and_domains(cycle, tc_panel, tc_members):
    client = client_for(tc_members[1].user)
    response = client.post(
        _url("expertise", cycle), {"topics": ["Smart city"], "domains": ["technology"]}
    )
    assert response.status_code == 302
    tc_members[1].refresh_from_db()
    assert tc_members[1].expertise == ["Smart city", "technology"]


def test_expertise_page_refuses_non_members(cycle, tc_panel, tc_members):
    outsider = factories.UserFactory()
    assert client_for(outsider).get(_url("expertise", cycle)).status_code == 403


def test_preferences_page_hides_own_country_and_saves(cycle, tc_panel, tc_members, make_entry):
    fr_entry = make_entry(status="eligible", country="FR")
    br_entry = make_entry(status="eligible")
    client = client_for(tc_members[0].user)  # French
    page = client.get(_url("preferences", cycle))
    assert [e.pk for e in page.context["entries"]] == [br_entry.pk]
    response = client.post(
        _url("preferences", cycle), {f"pref_{br_entry.pk}": "want", f"pref_{fr_entry.pk}": "want"}
    )
    assert response.status_code == 302
    assert list(EntryPreference.objects.values_list("submission_id", "level")) == [
        (br_entry.pk, "want")
    ]


def test_progress_page_explains_agreement_and_offers_one_more_reviewer(
    cycle, tc_panel, tc_members, make_entry, secretariat_client
):
    from judging.services.assignment import assignment_staff_tc_entry
    from tests.judging.conftest import score

    entry = make_entry(status="eligible")
    for a, value in zip(assignment_staff_tc_entry(submission=entry), [1, 10, 2], strict=True):
        score(a, value)
    page = secretariat_client.get(_url("progress", cycle))
    html = page.content.decode()
    assert "Krippendorff" in html
    assert [s.pk for s in page.context["flagged"]] == [entry.pk]
    response = secretariat_client.post(
        _url("one_more_reviewer", cycle, entry.pk), {"next": "progress"}
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(submission=entry, state__in=["pending", "active"]).count() == 4


def test_one_more_reviewer_refused_to_plain_members(cycle, tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")
    response = client_for(tc_members[1].user).post(_url("one_more_reviewer", cycle, entry.pk))
    assert response.status_code == 403


def test_ranking_page_shows_agreement_robustness_and_balance(cycle, closed_tc, secretariat_client):
    page = secretariat_client.get(_url("ranking", cycle))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Robustness near the line" in html
    assert "Balance of the proposed shortlist" in html
    assert page.context["line"] == 2
    assert [r["rank"] for r in page.context["robustness"]] == [1, 2, 3, 4, 5]
    assert page.context["balance"]["count"] == 2
    assert page.context["balance"]["continents"] == [("South America", 2)]


def test_meeting_followed_by_polling(cycle, tc_panel, tc_members, closed_tc, secretariat):
    chair = client_for(tc_members[0].user)
    member = client_for(tc_members[1].user)
    assert chair.post(_url("meeting", cycle), {"action": "start"}).status_code == 302
    meeting = Meeting.objects.get(panel=tc_panel)
    first = tc_panel.ranking.entries.get(rank=1).submission
    assert meeting.current == first
    poll = member.get(_url("meeting_current", cycle))
    assert poll.status_code == 200
    assert first.reference in poll.content.decode()
    unchanged = member.get(_url("meeting_current", cycle) + f"?v={meeting.version}")
    assert unchanged.status_code == 204
    second = tc_panel.ranking.entries.get(rank=2).submission
    chair.post(_url("meeting", cycle), {"action": "goto", "entry": second.pk})
    moved = member.get(_url("meeting_current", cycle) + f"?v={meeting.version}")
    assert moved.status_code == 200
    assert moved.context["current"]["submission"] == second
    assert member.post(_url("meeting", cycle), {"action": "end"}).status_code == 403


def test_meeting_decision_records_mover_reason_vote_and_moves_proposal(
    cycle, tc_panel, tc_members, closed_tc
):
    chair = client_for(tc_members[0].user)
    third = tc_panel.ranking.entries.get(rank=3).submission
    assert OutcomeProposal.objects.get(submission=third).outcome == "deserving"
    # The shortlist (2) is full: moving the third in is refused, nothing recorded.
    chair.post(
        _url("meeting_entry", cycle, third.pk),
        {"action": "decide", "outcome": "shortlisted", "reason": "Strong.", "moved_by": ""},
    )
    assert not MeetingDecision.objects.exists()
    response = chair.post(
        _url("meeting_entry", cycle, third.pk),
        {
            "action": "decide",
            "outcome": "not_selected",
            "reason": "Evidence of impact too thin.",
            "moved_by": tc_members[2].pk,
            "votes_for": "3",
            "votes_against": "1",
            "abstentions": "0",
        },
    )
    assert response.status_code == 302
    decision = MeetingDecision.objects.get()
    assert (decision.outcome, decision.moved_by, decision.votes_for, decision.votes_against) == (
        "not_selected",
        tc_members[2],
        3,
        1,
    )
    proposal = OutcomeProposal.objects.get(submission=third)
    assert (proposal.outcome, proposal.moved_reason) == (
        "not_selected",
        "Evidence of impact too thin.",
    )
    assert (
        client_for(tc_members[1].user)
        .post(
            _url("meeting_entry", cycle, third.pk),
            {"action": "decide", "outcome": "deserving", "reason": "x"},
        )
        .status_code
        == 403
    )


def test_thread_hidden_from_conflicted_member_and_city(cycle, tc_panel, tc_members, closed_tc):
    entry = closed_tc[0]
    brazilian = PanelMemberFactory(panel=tc_panel, country="BR")
    author = client_for(tc_members[1].user)
    author.post(_url("meeting_entry", cycle, entry.pk), {"action": "post", "body": "Replicable."})
    assert DiscussionPost.objects.get().body == "Replicable."
    conflicted = client_for(brazilian.user)
    assert conflicted.get(_url("meeting_entry", cycle, entry.pk)).status_code == 403
    agenda = conflicted.get(_url("meeting", cycle)).context["rows"]
    assert agenda == []
    city = client_for(factories.CityOfficialFactory(organisation=entry.organisation))
    assert city.get(_url("meeting_entry", cycle, entry.pk)).status_code == 403
    assert city.get(_url("meeting_current", cycle)).status_code == 403


def test_meeting_record_pdf_for_the_secretariat(
    cycle, tc_panel, tc_members, closed_tc, secretariat_client
):
    chair = client_for(tc_members[0].user)
    entry = closed_tc[0]
    chair.post(
        _url("meeting_entry", cycle, entry.pk),
        {"action": "decide", "outcome": "shortlisted", "reason": "Unanimous."},
    )
    response = secretariat_client.get(_url("meeting_record_pdf", cycle))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert chair.get(_url("meeting_record_pdf", cycle)).status_code == 403


def test_calibration_round_blocks_scoring_until_it_ends(
    cycle, tc_panel, tc_members, make_entry, secretariat_client
):
    from django.core.exceptions import ValidationError

    from judging.services.assignment import assignment_staff_tc_entry
    from tests.judging.conftest import score

    entries = [make_entry(status="eligible") for _ in range(3)]
    response = secretariat_client.post(
        _url("calibration_results", cycle),
        {"action": "configure", "entries": [entries[0].pk, entries[1].pk]},
    )
    assert response.status_code == 302
    tc_panel.refresh_from_db()
    assert tc_panel.calibration_round
    criteria = list(tc_panel.criteria.all())
    for member, value in zip(tc_members[:3], [3, 6, 9], strict=True):
        client = client_for(member.user)
        data = {"entry": entries[0].pk, **{f"value_{c.pk}": value for c in criteria}}
        assert client.post(_url("calibration", cycle), data).status_code == 302
    assert CalibrationScore.objects.count() == 3
    results = secretariat_client.get(_url("calibration_results", cycle)).context["results"]
    assert results["rows"][0]["criteria"][0]["spread"] == pytest.approx(2.45, abs=0.01)
    assignment = assignment_staff_tc_entry(submission=entries[2])[0]
    with pytest.raises(ValidationError, match="calibration"):
        score(assignment, 5)
    secretariat_client.post(_url("calibration_results", cycle), {"action": "end"})
    tc_panel.refresh_from_db()
    assert not tc_panel.calibration_round
    assert score(assignment, 5).is_submitted


def test_calibration_needs_two_or_three_entries(cycle, tc_panel, make_entry, secretariat_client):
    entry = make_entry(status="eligible")
    response = secretariat_client.post(
        _url("calibration_results", cycle), {"action": "configure", "entries": [entry.pk]}
    )
    assert response.status_code == 302
    tc_panel.refresh_from_db()
    assert not tc_panel.calibration_round


def test_demo_shows_agreement_robustness_and_a_meeting(db, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from judging.models import Panel

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))
    panel = Panel.objects.get(cycle__number=7, kind="tc")
    analysis = panel.ranking.analysis
    assert analysis["agreement"]["alpha"] is not None
    assert any(row["flips"] for row in analysis["robustness"])
    meeting = Meeting.objects.get(panel=panel)
    assert meeting.ended_at is None and meeting.current is not None
    assert MeetingDecision.objects.filter(panel=panel).count() == 1
    assert DiscussionPost.objects.filter(panel=panel).count() == 2
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert DiscussionPost.objects.filter(panel=panel).count() == 2


def test_chair_asks_one_more_reviewer_from_the_meeting_page(cycle, tc_panel, make_entry):
    from judging.services.assignment import assignment_staff_tc_entry
    from tests.judging.conftest import score

    members = [
        PanelMemberFactory(panel=tc_panel, country=c, is_chair=(i == 0))
        for i, c in enumerate(["FR", "KE", "JP", "CA", "DE"])
    ]
    entry = make_entry(status="eligible")
    for a, value in zip(assignment_staff_tc_entry(submission=entry), [1, 10, 2], strict=True):
        score(a, value)
    chair = client_for(members[0].user)
    page = chair.get(_url("meeting", cycle))
    assert [s.pk for s in page.context["flagged"]] == [entry.pk]
    response = chair.post(_url("one_more_reviewer", cycle, entry.pk), {"next": "meeting"})
    assert response.status_code == 302
    assert response["Location"] == _url("meeting", cycle)
    assert Assignment.objects.filter(submission=entry).count() == 4
