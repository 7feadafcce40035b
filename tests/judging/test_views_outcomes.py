"""Ranking and outcome pages over HTTP."""

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from judging.models import OutcomeProposal
from judging.services.outcomes import outcome_choices
from judging.views.outcomes import PROPOSAL_ACTIONS
from tests.judging.conftest import client_for


def _url(name, panel):
    return reverse(f"judging:{name}", args=[panel.cycle.number, panel.kind])


def test_close_from_ranking_page(
    secretariat_client, tc_panel, scored_tc, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(_url("ranking", tc_panel), {"action": "close"})
    response = secretariat_client.get(_url("ranking", tc_panel))
    assert [r.submission_id for r in response.context["rows"]] == [e.pk for e in scored_tc]
    assert "9.000" in response.content.decode()


def test_chair_sees_ranking_but_cannot_close(tc_panel, tc_members, scored_tc):
    chair = client_for(tc_members[0].user)
    assert chair.get(_url("ranking", tc_panel)).status_code == 200
    assert chair.post(_url("ranking", tc_panel), {"action": "close"}).status_code == 403
    tc_panel.refresh_from_db()
    assert tc_panel.closed_at is None


def test_chair_moves_with_reason_and_quota_message(
    tc_panel, tc_members, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    from judging.services.outcomes import panel_close

    with django_capture_on_commit_callbacks(execute=True):
        panel_close(panel=tc_panel, by=secretariat)
    chair = client_for(tc_members[0].user)
    last = OutcomeProposal.objects.get(panel=tc_panel, submission=scored_tc[4])
    response = chair.post(
        _url("proposals", tc_panel),
        {"action": "move", "proposal": last.pk, "outcome": "shortlisted", "reason": "Bold."},
        follow=True,
    )
    assert "quota of 2" in response.content.decode()
    response = chair.post(
        _url("proposals", tc_panel),
        {"action": "move", "proposal": last.pk, "outcome": "deserving", "reason": ""},
        follow=True,
    )
    assert "give a reason" in response.content.decode()
    # Chair cannot release.
    assert chair.post(_url("proposals", tc_panel), {"action": "release"}).status_code == 403


def test_release_from_proposals_page(
    secretariat_client, tc_panel, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    from judging.services.outcomes import panel_close

    with django_capture_on_commit_callbacks(execute=True):
        panel_close(panel=tc_panel, by=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            _url("proposals", tc_panel), {"action": "release"}, follow=True
        )
    assert "Released: 5 entries moved" in response.content.decode()
    assert [e.status for e in scored_tc if not e.refresh_from_db()][:2] == [
        "shortlisted",
        "shortlisted",
    ]


def test_release_refused_while_open_shows_message(secretariat_client, tc_panel, scored_tc):
    response = secretariat_client.post(
        _url("proposals", tc_panel), {"action": "release"}, follow=True
    )
    assert response.status_code == 200
    assert "Close the stage first." in response.content.decode()


# The proposals page's actions, each alone (a request as the view would pass it).
def _posted(rf, user, data):
    request = rf.post("/", data)
    request.user = user
    request._messages = CookieStorage(request)
    return request


def _closed(tc_panel, secretariat, capture):
    from judging.services.outcomes import panel_close

    with capture(execute=True):
        panel_close(panel=tc_panel, by=secretariat)


def test_proposal_actions_are_release_move_and_citation():
    assert sorted(PROPOSAL_ACTIONS) == ["citation", "move", "release"]


def test_proposal_action_release_refuses_the_chair(rf, tc_panel, tc_members):
    request = _posted(rf, tc_members[0].user, {})
    with pytest.raises(PermissionDenied):
        PROPOSAL_ACTIONS["release"](request, tc_panel, [])
    tc_panel.refresh_from_db()
    assert tc_panel.released_at is None
    assert [str(m) for m in request._messages] == []


def test_proposal_action_release_refuses_the_chair_of_a_stage_ready_to_release(
    rf, tc_panel, tc_members, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    from judging.services.outcomes import proposals_problems
    from submissions.models import StatusChange

    _closed(tc_panel, secretariat, django_capture_on_commit_callbacks)
    tc_panel.refresh_from_db()
    assert proposals_problems(tc_panel) == []
    request = _posted(rf, tc_members[0].user, {})
    # A bare PermissionDenied: the page answers 403 (see the chair's test above).
    with pytest.raises(PermissionDenied) as refused:
        PROPOSAL_ACTIONS["release"](request, tc_panel, outcome_choices(tc_panel))
    assert refused.value.args == ()
    tc_panel.refresh_from_db()
    assert tc_panel.released_at is None
    assert {e.status for e in scored_tc if not e.refresh_from_db()} == {"eligible"}
    assert StatusChange.objects.filter(transition="tc_outcome").count() == 0


def test_proposal_action_move_without_reason_is_refused_and_moves_nothing(
    rf, tc_panel, tc_members, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    _closed(tc_panel, secretariat, django_capture_on_commit_callbacks)
    last = OutcomeProposal.objects.get(panel=tc_panel, submission=scored_tc[4])
    before = last.outcome
    request = _posted(
        rf, tc_members[0].user, {"proposal": last.pk, "outcome": "deserving", "reason": ""}
    )
    with pytest.raises(ValidationError) as refused:
        PROPOSAL_ACTIONS["move"](request, tc_panel, outcome_choices(tc_panel))
    assert refused.value.messages == ["Choose an outcome and give a reason for the move."]
    last.refresh_from_db()
    assert last.outcome == before


def test_proposal_action_citation_saves_it(
    rf, tc_panel, scored_tc, secretariat, django_capture_on_commit_callbacks
):
    _closed(tc_panel, secretariat, django_capture_on_commit_callbacks)
    first = OutcomeProposal.objects.get(panel=tc_panel, submission=scored_tc[0])
    request = _posted(rf, secretariat, {"proposal": first.pk, "citation": "A bold plan."})
    assert PROPOSAL_ACTIONS["citation"](request, tc_panel, []) is None
    first.refresh_from_db()
    assert first.citation == "A bold plan."
    assert [str(m) for m in request._messages] == ["Citation saved."]


def test_proposals_unknown_action_is_a_message(secretariat_client, tc_panel, scored_tc):
    response = secretariat_client.post(
        _url("proposals", tc_panel), {"action": "explode"}, follow=True
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Unknown action."]
