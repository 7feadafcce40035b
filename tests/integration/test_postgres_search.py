"""Full-text search of the public database on Postgres (stemming, ranking)."""

import pytest
from django.db import connection
from django.utils import timezone

from submissions.workflow import Status
from tests import factories
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.integration


@pytest.mark.django_db
def test_database_search_uses_postgres_stemming(client):
    if connection.vendor != "postgresql":
        skip_or_fail("full-text search needs Postgres (DATABASE_URL)")
    cycle = factories.CycleFactory(results_published_at=timezone.now())
    gardens = factories.CompleteSubmissionFactory(
        cycle=cycle, status=Status.SHORTLISTED, title="Rain gardens for every school"
    )
    factories.CompleteSubmissionFactory(
        cycle=cycle, status=Status.DESERVING, title="Night buses for shift workers"
    )
    # "gardening" shares only its stem with "gardens": a substring match would miss it.
    response = client.get("/database/", {"q": "gardening"})
    assert response.status_code == 200
    assert [s.pk for s in response.context["page"]] == [gardens.pk]
