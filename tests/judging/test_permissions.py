"""Who may open which judging page: every view, every role."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from judging.models import Assignment
from judging.services.assignment import assignment_declare_conflict, assignment_staff_tc_entry
from tests import factories
from tests.judging.conftest import client_for, score


def test_every_judging_view_declares_a_permission():
    resolver = get_resolver()
    judging = resolver.url_patterns
    names = []
    for outer in judging:
        if getattr(outer, "namespace", None) != "judging":
            continue
        for pattern in outer.url_patterns:
            assert isinstance(pattern, URLPattern)
            permission = getattr(pattern.callback, "access_permission", None)
            assert permission not in (None, "public"), pattern.name
            names.append(pattern.name)
    assert sorted(names) == sorted(
        [
            "screening_queue",
            "screening_detail",
            "panel_setup",
            "assignment_matrix",
            "progress",
            "send_reminders",
            "ranking",
            "proposals",
            "reviewer_queue",
            "score",
            "conflict",
            "attachment",
            "one_more_reviewer",
            "expertise",
            "preferences",
            "calibration",
            "calibration_results",
            "meeting",
            "meeting_current",
            "meeting_entry",
            "meeting_record_pdf",
            "panel_document",
            "dossier",
            "document_job_status",
            "document_job_download",
            "certificates",
            "certificate",
        ]
    )


@pytest.fixture
def world(cycle, tc_panel, tc_members, jury_panel, jury_members, make_entry):
    """One French entry (so the French chair is never assigned) with three TC
    reviewers: one scored, one conflicted, one yet to confirm."""
    entry = make_entry(status="eligible", country="FR")
    attachment = factories.AttachmentFactory(submission=entry)
    first, second, third = assignment_staff_tc_entry(submission=entry)
    score(first, 7)
    assignment_declare_conflict(
        assignment=second, reason="Former adviser.", by=second.reviewer.user
    )
    official = factories.CityOfficialFactory(organisation=entry.organisation)
    return {
        "entry": entry,
        "attachment": attachment,
        "reviewer": first,
        "conflicted": second,
        "pending": third,
        "official": official,
    }


def _urls(world, panel):
    entry, a = world["entry"], world["reviewer"]
    stage = [panel.cycle.number, panel.kind]
    return {
        "screening_queue": reverse("judging:screening_queue"),
        "screening_detail": reverse("judging:screening_detail", args=[entry.pk]),
        "panel_setup": reverse("judging:panel_setup", args=stage),
        "assignment_matrix": reverse("judging:assignment_matrix", args=stage),
        "progress": reverse("judging:progress", args=stage),
        "ranking": reverse("judging:ranking", args=stage),
        "proposals": reverse("judging:proposals", args=stage),
        "reviewer_queue": reverse("judging:reviewer_queue"),
        "score": reverse("judging:score", args=[a.pk]),
        "conflict": reverse("judging:conflict", args=[a.pk]),
        "attachment": reverse("judging:attachment", args=[entry.pk, world["attachment"].pk]),
    }


# Expected GET status per role and page (TC panel pages; score/conflict of the scored
# reviewer's assignment).
EXPECTED = {
    #                    secretariat chair reviewer conflicted other_panel official
    "screening_queue": (200, 403, 403, 403, 403, 403),
    "screening_detail": (200, 403, 403, 403, 403, 403),
    "panel_setup": (200, 403, 403, 403, 403, 403),
    "assignment_matrix": (200, 403, 403, 403, 403, 403),
    "progress": (200, 403, 403, 403, 403, 403),
    "ranking": (200, 200, 403, 403, 403, 403),
    "proposals": (200, 200, 403, 403, 403, 403),
    "reviewer_queue": (403, 200, 200, 200, 200, 403),
    "score": (403, 403, 200, 403, 403, 403),
    "conflict": (403, 403, 200, 403, 403, 403),
    "attachment": (200, 403, 200, 403, 403, 403),
}
ROLES = ["secretariat", "chair", "reviewer", "conflicted", "other_panel", "official"]


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_page_access_by_role(page, world, tc_panel, tc_members, jury_members, secretariat):
    users = {
        "secretariat": secretariat,
        "chair": tc_members[0].user,
        "reviewer": world["reviewer"].reviewer.user,
        "conflicted": world["conflicted"].reviewer.user,
        "other_panel": jury_members[1].user,
        "official": world["official"],
    }
    assert tc_members[0].pk not in set(
        Assignment.objects.filter(submission=world["entry"]).values_list("reviewer_id", flat=True)
    )
    url = _urls(world, tc_panel)[page]
    for role, expected in zip(ROLES, EXPECTED[page], strict=True):
        user = users[role]
        assert client_for(user).get(url).status_code == expected, (page, role)


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_anonymous_is_sent_to_login(page, world, tc_panel, client):
    response = client.get(_urls(world, tc_panel)[page])
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_other_panel_reviewer_cannot_open_tc_assignment(world, jury_members):
    client = client_for(jury_members[0].user)
    a = world["reviewer"]
    assert client.get(reverse("judging:score", args=[a.pk])).status_code == 403
    assert (
        client.post(reverse("judging:conflict", args=[a.pk]), {"action": "no_conflict"}).status_code
        == 403
    )


def test_missing_objects_are_404(secretariat_client, world):
    assert secretariat_client.get(reverse("judging:score", args=[999999])).status_code == 404
    assert (
        secretariat_client.get(reverse("judging:screening_detail", args=[999999])).status_code
        == 404
    )
    assert secretariat_client.get(reverse("judging:ranking", args=[999, "tc"])).status_code == 404


def test_official_never_sees_scores(world, tc_panel):
    client = client_for(world["official"])
    for url in _urls(world, tc_panel).values():
        response = client.get(url)
        assert response.status_code == 403
        assert b"Considered." not in response.content


def test_send_reminders_secretariat_only(world, tc_panel, tc_members):
    url = reverse("judging:send_reminders", args=[tc_panel.cycle.number, "tc"])
    assert client_for(tc_members[0].user).post(url).status_code == 403
    assert client_for(world["official"]).post(url).status_code == 403


def test_score_sheet_refuses_same_country_reviewer(world):
    """The member's country changed behind the assignment table's back (e.g. in the
    admin's bulk edit): the access rule itself refuses the entry's own country."""
    a = world["reviewer"]
    from judging.models import PanelMember

    PanelMember.objects.filter(pk=a.reviewer_id).update(country=world["entry"].organisation.country)
    client = client_for(a.reviewer.user)

    assert Assignment.objects.get(pk=a.pk).state == "active"
    assert client.get(reverse("judging:score", args=[a.pk])).status_code == 403
    assert (
        client.post(reverse("judging:score", args=[a.pk]), {"action": "submit"}).status_code == 403
    )
    files = reverse("judging:attachment", args=[world["entry"].pk, world["attachment"].pk])
    assert client.get(files).status_code == 403


def test_attachment_refuses_reviewer_whose_panel_rule_now_forbids_the_entry(world, tc_panel):
    a = world["reviewer"]
    from judging.models import PanelMember

    # A Belgian reviewer of a French entry: allowed by country, not by continent.
    PanelMember.objects.filter(pk=a.reviewer_id).update(country="BE")
    files = reverse("judging:attachment", args=[world["entry"].pk, world["attachment"].pk])
    assert client_for(a.reviewer.user).get(files).status_code == 200
    tc_panel.__class__.objects.filter(pk=tc_panel.pk).update(conflict_scope="continent")

    assert client_for(a.reviewer.user).get(files).status_code == 403


def test_conflict_page_refuses_same_country_reviewer(world):
    """The conflict page shows the entry's title and city: not to a member the panel's
    rule forbids the entry, even while the assignment row is still active."""
    a = world["reviewer"]
    from judging.models import PanelMember

    PanelMember.objects.filter(pk=a.reviewer_id).update(country=world["entry"].organisation.country)
    client = client_for(a.reviewer.user)
    url = reverse("judging:conflict", args=[a.pk])

    response = client.get(url)
    assert response.status_code == 403
    assert world["entry"].reference.encode() not in response.content
    assert client.post(url, {"action": "no_conflict"}).status_code == 403
    assert Assignment.objects.get(pk=a.pk).state == "active"
