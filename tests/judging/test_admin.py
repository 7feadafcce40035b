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
