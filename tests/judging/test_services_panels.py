"""Stage setup: default criteria, members invited by email, criteria edits."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import User
from judging.services.panels import (
    criteria_create_defaults,
    criterion_save,
    member_invite,
    member_remove,
    panel_get_or_create,
)
from tests import factories
from tests.judging.conftest import score


def test_panel_gets_default_criteria(cycle):
    tc = panel_get_or_create(cycle=cycle, kind="tc")
    jury = panel_get_or_create(cycle=cycle, kind="jury")
    assert list(tc.criteria.values_list("name", flat=True)) == [
        "Innovation",
        "Effectiveness",
        "Context",
        "Replicability",
        "Relevance to the SDGs and the New Urban Agenda",
    ]
    assert jury.criteria.count() == 7
    assert criteria_create_defaults(panel=tc) == 0
    assert panel_get_or_create(cycle=cycle, kind="tc") == tc


def test_invite_creates_account_and_emails_once(
    tc_panel, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member, created = member_invite(
            panel=tc_panel,
            email="Expert@Example.org",
            full_name="Ada Expert",
            country="FR",
            by=secretariat,
        )
    assert created
    user = User.objects.get(email="expert@example.org")
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["technical_committee"]
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        again, created = member_invite(
            panel=tc_panel, email="expert@example.org", affiliation="UN-Habitat", by=secretariat
        )
    assert (again.pk, created, again.affiliation) == (member.pk, False, "UN-Habitat")
    assert len(mail.outbox) == 1


def test_invite_existing_user_keeps_password_and_moves_chair(
    jury_panel, secretariat, django_capture_on_commit_callbacks
):
    first, _ = member_invite(panel=jury_panel, email="a@example.org", is_chair=True, by=secretariat)
    existing = factories.UserFactory(email="b@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        second, _ = member_invite(
            panel=jury_panel, email="b@example.org", is_chair=True, by=secretariat
        )
    first.refresh_from_db()
    existing.refresh_from_db()
    assert (first.is_chair, second.is_chair) == (False, True)
    assert existing.has_usable_password()
    assert "password/reset" not in mail.outbox[-1].body


def test_criterion_scale_locked_once_scoring_started(tc_panel, tc_members, make_entry, secretariat):
    from judging.services.assignment import assignment_staff_tc_entry

    c = tc_panel.criteria.first()
    criterion_save(
        panel=tc_panel,
        criterion=c,
        name=c.name,
        description="New words",
        weight=Decimal(2),
        scale_min=1,
        scale_max=10,
        by=secretariat,
    )
    score(assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0], 5)
    with pytest.raises(ValidationError, match="Scoring has started"):
        criterion_save(
            panel=tc_panel,
            criterion=c,
            name=c.name,
            description="",
            weight=Decimal(2),
            scale_min=0,
            scale_max=5,
            by=secretariat,
        )
    with pytest.raises(ValidationError, match="already has a criterion with that name"):
        criterion_save(
            panel=tc_panel,
            name="innovation",
            description="",
            weight=Decimal(1),
            scale_min=1,
            scale_max=10,
            by=secretariat,
        )
    criteria = tc_panel.criteria.count()
    with pytest.raises(ValidationError, match="Scoring has started"):
        criterion_save(
            panel=tc_panel,
            name="A criterion added after scoring began",
            description="",
            weight=Decimal(1),
            scale_min=1,
            scale_max=10,
            by=secretariat,
        )
    assert tc_panel.criteria.count() == criteria
    c.refresh_from_db()
    assert (c.description, c.weight, c.scale_max) == ("New words", Decimal(2), 10)


def test_member_with_submitted_reviews_cannot_be_removed(
    tc_panel, tc_members, make_entry, secretariat
):
    from judging.services.assignment import assignment_staff_tc_entry

    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    score(a, 5)
    with pytest.raises(ValidationError, match="has submitted reviews: release their assignments"):
        member_remove(member=a.reviewer, by=secretariat)
    assert tc_panel.members.count() == 4


def test_juror_appointed_late_gets_the_shortlist(
    jury_panel, jury_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    from judging.models import Assignment
    from judging.services.assignment import assignment_staff_jury

    entry = make_entry(status="shortlisted")
    assignment_staff_jury(panel=jury_panel)
    with django_capture_on_commit_callbacks(execute=True):
        late, _ = member_invite(
            panel=jury_panel, email="late@example.org", country="AU", by=secretariat
        )
    assert Assignment.objects.filter(panel=jury_panel, submission=entry).count() == 4
    assert Assignment.objects.filter(reviewer=late).count() == 1


def test_invited_expert_sets_a_password_and_signs_in_without_a_second_email(
    tc_panel, secretariat, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_invite(panel=tc_panel, email="new.expert@example.org", by=secretariat)
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body)[0]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "Juror-pass-2026", "password2": "Juror-pass-2026"},
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "new.expert@example.org", "password": "Juror-pass-2026"}
    )
    assert response.status_code == 302
    assert "confirm" not in response["Location"]
    # A reviewer must add a second factor before any other page.
    assert client.get("/judging/reviews/")["Location"] == "/accounts/2fa/"
    factories.add_totp(User.objects.get(email="new.expert@example.org"))
    assert client.get("/judging/reviews/").status_code == 200
    assert len(mail.outbox) == 1  # the invitation only: no verification email


def test_member_reinvited_with_the_entry_country_is_released_and_the_entry_restaffed(
    tc_panel, tc_members, make_entry, secretariat, django_capture_on_commit_callbacks
):
    from judging.models import Assignment
    from judging.services.assignment import assignment_staff_tc_entry

    entry = make_entry(status="eligible", country="BR")
    held = assignment_staff_tc_entry(submission=entry)
    moved = held[0].reviewer
    score(held[0], 7)

    with django_capture_on_commit_callbacks(execute=True):
        member_invite(panel=tc_panel, email=moved.user.email, country="BR", by=secretariat)

    released = Assignment.objects.get(pk=held[0].pk)
    assert (released.state, released.replaced) == ("released", True)
    assert "same country" in released.conflict_reason
    live = Assignment.objects.filter(submission=entry).exclude(state="released")
    assert live.count() == 3
    assert moved.pk not in set(live.values_list("reviewer_id", flat=True))


def test_wider_conflict_rule_releases_assignments_it_now_forbids(
    tc_panel, make_entry, secretariat, django_capture_on_commit_callbacks
):
    from judging.models import Assignment
    from judging.services.assignment import assignment_staff_tc_entry
    from judging.services.panels import PANEL_SETTING_FIELDS, panel_update_settings
    from tests.judging.factories import PanelMemberFactory

    for country in ["AR", "KE", "JP", "CA"]:  # an Argentine member, a Brazilian entry
        PanelMemberFactory(panel=tc_panel, country=country)
    entry = make_entry(status="eligible", country="BR")
    assignment_staff_tc_entry(submission=entry)
    assert Assignment.objects.filter(reviewer__country="AR").exclude(state="released").exists()
    values = {field: getattr(tc_panel, field) for field in PANEL_SETTING_FIELDS}

    with django_capture_on_commit_callbacks(execute=True):
        panel_update_settings(
            panel=tc_panel,
            values={**values, "conflict_scope": "continent"},
            tie_break=[],
            by=secretariat,
        )

    live = Assignment.objects.filter(submission=entry).exclude(state="released")
    assert sorted(live.values_list("reviewer__country", flat=True)) == ["CA", "JP", "KE"]
    assert Assignment.objects.get(reviewer__country="AR").state == "released"
