"""Screening pages over HTTP."""

from django.contrib.messages.storage.cookie import CookieStorage
from django.core import mail
from django.urls import reverse

from judging.models import Assignment
from judging.views.screening import SCREENING_ACTIONS
from submissions.models import ClarificationRequest, ScreeningReport, StatusChange


def test_screening_queue_lists_submitted_with_report(secretariat_client, make_entry):
    entry = make_entry()
    ScreeningReport.objects.create(
        submission=entry,
        checks=[{"code": "evidence", "label": "Supporting documents", "ok": False, "detail": ""}],
        is_clean=False,
    )
    make_entry(status="eligible")
    response = secretariat_client.get(reverse("judging:screening_queue"))
    assert response.status_code == 200
    assert list(response.context["entries"]) == [entry]
    assert b"Supporting documents" in response.content


def test_screening_queue_filters_by_cycle(secretariat_client, make_entry, cycle):
    make_entry()
    response = secretariat_client.get(reverse("judging:screening_queue") + "?cycle=999")
    assert response.context["entries"] == []
    response = secretariat_client.get(reverse("judging:screening_queue") + f"?cycle={cycle.number}")
    assert len(response.context["entries"]) == 1


def test_bulk_eligible_over_http(
    secretariat_client, make_entry, tc_panel, tc_members, django_capture_on_commit_callbacks
):
    clean, dirty = make_entry(), make_entry()
    ScreeningReport.objects.create(submission=clean, is_clean=True)
    ScreeningReport.objects.create(submission=dirty, is_clean=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("judging:screening_queue"), {"entry": [clean.pk, dirty.pk]}, follow=True
        )
    assert response.status_code == 200
    clean.refresh_from_db()
    dirty.refresh_from_db()
    assert (clean.status, dirty.status) == ("eligible", "submitted")
    assert Assignment.objects.filter(submission=clean).count() == 3
    assert b"has open screening checks" in response.content


def test_detail_ineligible_without_reason_shows_errors(secretariat_client, make_entry):
    entry = make_entry()
    url = reverse("judging:screening_detail", args=[entry.pk])
    response = secretariat_client.post(url, {"action": "ineligible", "inel-note": "x"})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    entry.refresh_from_db()
    assert entry.status == "submitted"
    assert StatusChange.objects.count() == 0


def test_detail_ineligible_with_reason(
    secretariat_client, make_entry, django_capture_on_commit_callbacks
):
    entry = make_entry()
    url = reverse("judging:screening_detail", args=[entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            url, {"action": "ineligible", "inel-reason": "late", "inel-note": "Two weeks late."}
        )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "ineligible"
    assert StatusChange.objects.get().reason == "late"
    assert len(mail.outbox) == 1


def test_detail_clarification_and_history_shown(secretariat_client, make_entry):
    entry = make_entry()
    url = reverse("judging:screening_detail", args=[entry.pk])
    secretariat_client.post(url, {"action": "clarify", "clar-question": "Which department?"})
    q = ClarificationRequest.objects.get(submission=entry)
    q.answer = "The parks department."
    q.answered_at = q.asked_at
    q.save()
    response = secretariat_client.get(url)
    assert b"Which department?" in response.content
    assert b"The parks department." in response.content


def test_detail_reconsider_needs_note(secretariat_client, make_entry, secretariat):
    from judging.services.screening import screening_mark_ineligible

    entry = make_entry()
    screening_mark_ineligible(submission=entry, reason="late", note="Late.", by=secretariat)
    url = reverse("judging:screening_detail", args=[entry.pk])
    response = secretariat_client.post(url, {"action": "reconsider", "rec-to": "eligible"})
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.status == "ineligible"
    response = secretariat_client.post(
        url, {"action": "reconsider", "rec-to": "eligible", "rec-note": "Posted in time."}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "eligible"


def test_detail_refused_transition_is_a_message_not_500(secretariat_client, make_entry):
    entry = make_entry(status="eligible")
    url = reverse("judging:screening_detail", args=[entry.pk])
    response = secretariat_client.post(url, {"action": "eligible"})
    assert response.status_code == 400
    assert "cannot move" in response.content.decode()


def test_queue_lists_entries_awaiting_the_city(secretariat_client, make_entry, secretariat):
    from judging.services.screening import screening_request_clarification

    entry = make_entry()
    screening_request_clarification(submission=entry, question="Since when?", by=secretariat)
    response = secretariat_client.get(reverse("judging:screening_queue"))
    assert response.context["entries"] == []
    assert response.context["waiting"] == [entry]


def test_screening_queue_refuses_a_huge_or_foreign_entry_id_without_error(
    secretariat_client, make_entry
):
    entry = make_entry()
    for value in ("99999999999999999999", "-1", "²", "١٢"):
        response = secretariat_client.post(
            reverse("judging:screening_queue"), {"entry": value}, follow=True
        )
        assert response.status_code == 200
        assert [str(m) for m in response.context["messages"]] == [
            "Tick the entries to mark eligible."
        ]
    for value in ("99999999999999999999", "²"):
        response = secretariat_client.get(reverse("judging:screening_queue"), {"cycle": value})
        assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_assignment_matrix_answers_404_for_a_unicode_digit_member_id(
    secretariat_client, tc_panel, make_entry
):
    url = reverse("judging:assignment_matrix", args=[tc_panel.cycle.number, "tc"])
    response = secretariat_client.post(url, {"action": "add", "entry": "²", "member": "²"})
    assert response.status_code == 404


# The screening page's actions, each alone (a request as the view would pass it).
def _posted(rf, user, data):
    request = rf.post("/", data)
    request.user = user
    request._messages = CookieStorage(request)
    return request


def test_screening_actions_are_the_four_decisions():
    assert sorted(SCREENING_ACTIONS) == ["clarify", "eligible", "ineligible", "reconsider"]


def test_screening_action_ineligible_without_reason_binds_the_form_and_writes_nothing(
    rf, secretariat, make_entry
):
    entry = make_entry()
    forms = {}
    request = _posted(rf, secretariat, {"inel-note": "x"})
    assert SCREENING_ACTIONS["ineligible"](request, entry, forms) is None
    assert list(forms) == ["ineligible_form"]
    assert forms["ineligible_form"].errors == {"reason": ["This field is required."]}
    entry.refresh_from_db()
    assert (entry.status, StatusChange.objects.count()) == ("submitted", 0)


def test_screening_action_clarify_asks_the_city_and_goes_back_to_the_queue(
    rf, secretariat, make_entry
):
    entry = make_entry()
    request = _posted(rf, secretariat, {"clar-question": "Which department?"})
    response = SCREENING_ACTIONS["clarify"](request, entry, {})
    assert (response.status_code, response.url) == (302, reverse("judging:screening_queue"))
    assert ClarificationRequest.objects.get(submission=entry).question == "Which department?"
    assert [str(m) for m in request._messages] == ["The question was sent to the city."]


def test_screening_action_reconsider_offers_the_entry_status_targets_only(
    rf, secretariat, make_entry
):
    entry = make_entry()  # submitted: no decision to reconsider
    forms = {}
    request = _posted(rf, secretariat, {"rec-to": "eligible", "rec-note": "Posted in time."})
    assert SCREENING_ACTIONS["reconsider"](request, entry, forms) is None
    assert "to" in forms["reconsider_form"].errors
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_screening_detail_unknown_action_is_a_message(secretariat_client, make_entry):
    entry = make_entry()
    url = reverse("judging:screening_detail", args=[entry.pk])
    response = secretariat_client.post(url, {"action": "explode"})
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == ["Unknown action."]
    entry.refresh_from_db()
    assert entry.status == "submitted"
