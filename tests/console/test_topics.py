"""The console's topics page: the Secretariat classifies entries by analytical topic."""

from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import reverse

from console.views.topics import TOPIC_ACTIONS, posted_topic_action
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


# The page's two forms, each alone (a request as the view would pass it).
def _posted(rf, user, data):
    request = rf.post("/console/", data)
    request.user = user
    request._messages = CookieStorage(request)
    return request


def test_posted_topic_action_tells_the_bulk_form_from_a_row_form():
    assert posted_topic_action({"bulk-topic": "", "bulk-entries": ["1"]}) == "bulk"
    assert posted_topic_action({"entry": "1", "topic": ""}) == "one"
    assert posted_topic_action({}) == "one"
    assert sorted(TOPIC_ACTIONS) == ["bulk", "one"]


def test_topic_one_refuses_an_entry_of_another_cycle(rf, secretariat):
    here = factories.CycleFactory(number=3)
    elsewhere = entry(cycle=factories.CycleFactory(number=4), status=Status.SUBMITTED)
    request = _posted(rf, secretariat, {"entry": elsewhere.pk, "topic": Topic.SMART})
    assert TOPIC_ACTIONS["one"](request, here, {}) is None
    assert [str(m) for m in request._messages] == ["Choose a topic for an entry of this cycle."]
    elsewhere.refresh_from_db()
    assert elsewhere.topic == ""


def test_topic_bulk_sets_the_ticked_entries_and_binds_the_form(rf, secretariat):
    cycle = factories.CycleFactory(number=3)
    first = entry(cycle=cycle, status=Status.SUBMITTED)
    second = entry(cycle=cycle, status=Status.SUBMITTED)
    forms = {}
    request = _posted(rf, secretariat, {"bulk-topic": Topic.SMART, "bulk-entries": [first.pk]})
    response = TOPIC_ACTIONS["bulk"](request, cycle, forms)
    assert response.status_code == 302
    assert forms["bulk"].is_bound
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.topic, second.topic) == (Topic.SMART, "")


def test_topic_bulk_without_entries_is_a_message(rf, secretariat):
    cycle = factories.CycleFactory(number=3)
    request = _posted(rf, secretariat, {"bulk-topic": Topic.SMART})
    assert TOPIC_ACTIONS["bulk"](request, cycle, {}) is None
    assert [str(m) for m in request._messages] == ["Choose at least one entry."]
