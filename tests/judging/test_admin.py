"""Every judging model has a working admin list and search."""

import pytest
from django.contrib import admin
from django.urls import reverse

from judging import models
from tests import factories

JUDGING_MODELS = [
    models.Panel,
    models.PanelMember,
    models.Criterion,
    models.Assignment,
    models.Review,
    models.ReviewHistory,
    models.Ranking,
    models.RankedEntry,
    models.OutcomeProposal,
    models.ReminderLog,
    models.Vote,
    models.ExportJob,
]


@pytest.mark.parametrize("model", JUDGING_MODELS, ids=lambda m: m.__name__)
def test_admin_changelist_renders(model, client, tc_panel, tc_members):
    assert model in admin.site._registry
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    url = reverse(f"admin:judging_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url + "?q=x").status_code == 200


def test_admin_country_change_releases_the_members_conflicting_assignments(
    client, tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    from judging.services.assignment import assignment_staff_tc_entry

    entry = make_entry(status="eligible", country="BR")
    first = assignment_staff_tc_entry(submission=entry)[0]
    member = first.reviewer
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:judging_panelmember_change", args=[member.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "panel": member.panel_id,
                "user": member.user_id,
                "country": "BR",
                "affiliation": member.affiliation,
                "expertise": "[]",
                "invited_at_0": "2026-01-01",
                "invited_at_1": "10:00:00",
            },
        )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == "released"
    assert models.Assignment.objects.filter(submission=entry).exclude(state="released").count() == 3
