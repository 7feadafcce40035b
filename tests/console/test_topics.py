"""The console's topics page: the Secretariat classifies entries by analytical topic."""

from django.urls import reverse

from submissions.classifications import Topic
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry


def test_topics_page_ignores_an_unknown_or_malformed_topic_filter(secretariat_client):
    cycle = factories.CycleFactory(number=3)
    entry(cycle=cycle, status=Status.SUBMITTED, topic=Topic.SMART)
    url = reverse("console:topics", args=[3])
    for value in ("\x00", "Not a topic", "9" * 30):
        response = secretariat_client.get(url, {"topic": value})
        assert (response.status_code, response.context["shown"]) == (200, "")
        assert response.context["page"].paginator.count == 1
