"""The rules for cities' entries and organisations (``user.has_perm``): who may create
an organisation, and who may see, change and invite to one."""

import pytest
from django.contrib.auth.models import AnonymousUser

from submissions.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db

ORGANISATION_PERMS = [
    "submissions.view_organisation",
    "submissions.change_organisation",
    "submissions.invite_member",
]


@pytest.fixture
def people():
    return {
        "official": factories.CityOfficialFactory(),
        "other_city": factories.CityOfficialFactory(),
        "no_city": factories.UserFactory(),
        "secretariat": factories.secretariat_user(),
        "anonymous": AnonymousUser(),
    }


def test_only_a_signed_in_user_without_a_city_may_create_one(people):
    allowed = sorted(
        u for u, user in people.items() if user.has_perm("submissions.add_organisation")
    )
    assert allowed == ["no_city", "secretariat"]


@pytest.mark.parametrize("perm", ORGANISATION_PERMS)
def test_an_organisation_is_for_its_own_members(people, perm):
    city = people["official"].organisation
    allowed = sorted(u for u, user in people.items() if user.has_perm(perm, city))
    assert allowed == ["official"]


@pytest.mark.parametrize("perm", ORGANISATION_PERMS)
def test_no_organisation_or_an_unsaved_one_belongs_to_nobody(people, perm):
    assert not people["official"].has_perm(perm, None)
    # An unsaved organisation has no id, as a user without a city has none.
    assert not people["no_city"].has_perm(perm, Organisation(name="New City"))
