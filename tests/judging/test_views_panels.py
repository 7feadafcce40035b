"""Stage setup, assignment matrix, progress and reminders over HTTP."""

from django.core import mail
from django.urls import reverse

from judging.models import Assignment, Panel
from judging.services.assignment import assignment_staff_tc_entry
from tests.judging.conftest import score


def _url(name, panel):
    return reverse(f"judging:{name}", args=[panel.cycle.number, panel.kind])


def test_setup_opened_creates_nothing_and_the_button_creates_the_panel(secretariat_client, cycle):
    url = reverse("judging:panel_setup", args=[cycle.number, "jury"])
    response = secretariat_client.get(url)
    assert response.status_code == 200
    assert "Set up this stage" in response.content.decode()
    assert Panel.objects.filter(cycle=cycle).count() == 0  # no write on GET
    response = secretariat_client.post(url, {"action": "create"})
    assert (response.status_code, response["Location"]) == (302, url)
    panel = Panel.objects.get(cycle=cycle, kind="jury")
    assert panel.criteria.count() == 7


def test_setup_unknown_kind_or_cycle_is_404(secretariat_client, cycle):
    assert (
        secretariat_client.get(reverse("judging:panel_setup", args=[cycle.number, "x"])).status_code
        == 404
    )
    assert (
        secretariat_client.get(reverse("judging:panel_setup", args=[999, "tc"])).status_code == 404
    )


def test_setup_saves_settings_and_validates_tie_break(secretariat_client, tc_panel):
    url = _url("panel_setup", tc_panel)
    data = {
        "action": "settings",
        "panel-reviewers_per_entry": "4",
        "panel-conflict_scope": "continent",
        "panel-aggregation": "median",
        "panel-reminder_days_before": "3",
        "panel-disagreement_threshold": "1.5",
        "panel-tie_break_text": "criterion:Nonsense",
    }
    response = secretariat_client.post(url, data)
    assert response.status_code == 400
    assert "this panel has no such criterion" in response.content.decode()
    tc_panel.refresh_from_db()
    assert tc_panel.reviewers_per_entry == 3
    data["panel-tie_break_text"] = "criterion:Innovation\nchair"
    assert secretariat_client.post(url, data).status_code == 302
    tc_panel.refresh_from_db()
    assert (tc_panel.reviewers_per_entry, tc_panel.aggregation, tc_panel.tie_break) == (
        4,
        "median",
        ["criterion:Innovation", "chair"],
    )


def test_setup_invites_member(secretariat_client, tc_panel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            _url("panel_setup", tc_panel),
            {
                "action": "invite",
                "invite-email": "new@example.org",
                "invite-country": "KE",
                "invite-is_chair": "on",
            },
        )
    assert response.status_code == 302
    member = tc_panel.members.get()
    assert (member.user.email, str(member.country), member.is_chair) == (
        "new@example.org",
        "KE",
        True,
    )
    assert len(mail.outbox) == 1


def test_setup_criterion_add_and_bad_scale(secretariat_client, tc_panel):
    url = _url("panel_setup", tc_panel)
    bad = {
        "action": "criterion",
        "crit-name": "Beauty",
        "crit-weight": "1",
        "crit-scale_min": "5",
        "crit-scale_max": "2",
    }
    response = secretariat_client.post(url, bad)
    assert response.status_code == 400
    assert "highest score must be above" in response.content.decode()
    good = {**bad, "crit-scale_min": "0", "crit-scale_max": "5"}
    assert secretariat_client.post(url, good).status_code == 302
    assert tc_panel.criteria.filter(name="Beauty", scale_max=5).exists()


def test_matrix_add_and_release(secretariat_client, tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")
    url = _url("assignment_matrix", tc_panel)
    response = secretariat_client.get(url)
    assert response.status_code == 200
    secretariat_client.post(url, {"action": "add", "entry": entry.pk, "member": tc_members[1].pk})
    a = Assignment.objects.get(submission=entry)
    response = secretariat_client.post(
        url, {"action": "release", "assignment": a.pk, "reason": ""}, follow=True
    )
    assert "Please give a reason" in response.content.decode()
    secretariat_client.post(url, {"action": "release", "assignment": a.pk, "reason": "Too busy."})
    a.refresh_from_db()
    assert (a.state, a.release_reason) == ("released", "Too busy.")


def test_matrix_auto_assigns(secretariat_client, tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")
    secretariat_client.post(_url("assignment_matrix", tc_panel), {"action": "auto"})
    assert Assignment.objects.filter(submission=entry).count() == 3


def test_progress_rows(secretariat_client, tc_panel, tc_members, make_entry):
    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    score(a, 7)
    response = secretariat_client.get(_url("progress", tc_panel))
    rows = {r.member.pk: (r.assigned, r.done) for r in response.context["rows"]}
    assert rows[a.reviewer_id] == (1, 1)
    assert sorted(rows.values()) == [(0, 0), (1, 0), (1, 0), (1, 1)]


def test_send_reminders_post_only(secretariat_client, tc_panel, tc_members, make_entry):
    assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    url = _url("send_reminders", tc_panel)
    assert secretariat_client.get(url).status_code == 405
    response = secretariat_client.post(url, follow=True)
    assert "3 reminders sent" in response.content.decode()
    assert len(mail.outbox) == 3


def test_matrix_shows_loads_and_conflicts(secretariat_client, tc_panel, tc_members, make_entry):
    assignment_staff_tc_entry(submission=make_entry(status="eligible", country="FR"))
    response = secretariat_client.get(_url("assignment_matrix", tc_panel))
    assert [m.load for m in response.context["members"]] == [0, 1, 1, 1]
    entry = response.context["entries"][0]
    assert response.context["conflicts"] == {(entry.pk, tc_members[0].pk)}


def test_removing_member_restaffs_their_entries(
    secretariat_client, tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    first = assignment_staff_tc_entry(submission=entry)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            _url("panel_setup", tc_panel), {"action": "remove_member", "member": first.reviewer_id}
        )
    assert response.status_code == 302
    assert tc_panel.members.count() == 3
    assert Assignment.objects.filter(submission=entry).exclude(state="released").count() == 3


def test_bad_ids_are_404_not_500(secretariat_client, tc_panel, tc_members):
    setup = _url("panel_setup", tc_panel)
    matrix = _url("assignment_matrix", tc_panel)
    assert (
        secretariat_client.post(setup, {"action": "remove_member", "member": "x"}).status_code
        == 404
    )
    assert secretariat_client.post(setup, {"action": "delete_criterion"}).status_code == 404
    assert (
        secretariat_client.post(matrix, {"action": "add", "entry": "1'", "member": "2"}).status_code
        == 404
    )
    assert (
        secretariat_client.post(matrix, {"action": "release", "assignment": ""}).status_code == 404
    )
    proposals = _url("proposals", tc_panel)
    assert (
        secretariat_client.post(proposals, {"action": "move", "proposal": "abc"}).status_code == 404
    )


def test_city_official_cannot_be_invited(secretariat_client, tc_panel, official):
    response = secretariat_client.post(
        _url("panel_setup", tc_panel), {"action": "invite", "invite-email": official.email}
    )
    assert response.status_code == 400
    assert "belongs to a city" in response.content.decode()
    assert tc_panel.members.count() == 0
    assert not official.groups.exists()
