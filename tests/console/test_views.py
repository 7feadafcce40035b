import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from judging.models import Panel, PanelMember, Vote
from submissions.classifications import Topic
from submissions.models import Cycle, DeadlineChange, Submission
from submissions.public_cache import public_cache_bump
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry

S = Status
BJ = ZoneInfo("Asia/Shanghai")


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


@pytest.mark.parametrize("namespace", ["console", "public", "vote"])
def test_every_view_of_my_url_modules_declares_its_permission(namespace):
    resolver = get_resolver()
    patterns = resolver.namespace_dict[namespace][1].url_patterns
    missing = [
        str(p.pattern) for _r, p in _walk(patterns) if not hasattr(p.callback, "access_permission")
    ]
    assert missing == []


def test_console_views_are_secretariat_only(client, db):
    cycle = factories.CycleFactory(number=7)
    urls = [
        reverse("console:index"),
        reverse("console:cycle_new"),
        reverse("console:cycle", args=[7]),
        reverse("console:cycle_settings", args=[7]),
        reverse("console:cycle_dates", args=[7]),
        reverse("console:topics", args=[7]),
        reverse("console:publish", args=[7]),
        reverse("console:vote", args=[7]),
        reverse("console:vote_live", args=[7]),
        reverse("console:statistics"),
        reverse("console:statistics_download", args=["csv"]),
        reverse("console:exports"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302, url
    client.force_login(factories.CityOfficialFactory())
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert cycle.number == 7


def test_console_pages_render_for_secretariat(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    entry(cycle=cycle, status=S.ELIGIBLE)
    panel = Panel.objects.create(cycle=cycle, kind="tc")
    PanelMember.objects.create(panel=panel, user=factories.UserFactory(full_name="Reviewer One"))
    for url in [
        reverse("console:index"),
        reverse("console:cycle_new"),
        reverse("console:cycle", args=[7]),
        reverse("console:cycle_settings", args=[7]),
        reverse("console:cycle_dates", args=[7]),
        reverse("console:topics", args=[7]),
        reverse("console:publish", args=[7]),
        reverse("console:vote", args=[7]),
        reverse("console:statistics") + "?cycle=7",
        reverse("console:exports"),
    ]:
        assert secretariat_client.get(url).status_code == 200, url
    overview = secretariat_client.get(reverse("console:cycle", args=[7])).content.decode()
    assert "Reviewer One" in overview
    assert reverse("judging:progress", args=[7, "tc"]) in overview
    assert reverse("judging:send_reminders", args=[7, "tc"]) in overview
    assert reverse("judging:screening_queue") + "?cycle=7" in overview


def test_console_unknown_cycle_is_404(secretariat_client, db):
    assert secretariat_client.get(reverse("console:cycle", args=[99])).status_code == 404


def test_console_cycle_overview_shows_funnel(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    entry(cycle=cycle, status=S.ELIGIBLE)
    entry(cycle=cycle, status=S.ELIGIBLE)
    entry(cycle=cycle, status=S.INELIGIBLE)

    response = secretariat_client.get(reverse("console:cycle", args=[7]))

    funnel = {value: n for value, _label, n in response.context["funnel"]}
    assert funnel == {s.value: 0 for s in S} | {"eligible": 2, "ineligible": 1}


def test_console_cycle_new_creates_and_copies(secretariat_client, secretariat, db):
    source = factories.CycleFactory(number=7, shortlist_quota=12)
    Panel.objects.create(cycle=source, kind="tc", reviewers_per_entry=5)

    response = secretariat_client.post(
        reverse("console:cycle_new"),
        {
            "number": "8",
            "year": "2027/28",
            "theme": "",
            "copy_from": source.pk,
            "final_deadline": "2027-03-31T23:59",
        },
    )

    assert response.status_code == 302
    new = Cycle.objects.get(number=8)
    assert new.shortlist_quota == 12
    assert new.final_deadline == datetime(2027, 3, 31, 23, 59, tzinfo=BJ)
    assert Panel.objects.get(cycle=new).reviewers_per_entry == 5
    assert list(DeadlineChange.objects.filter(cycle=new).values_list("field", "changed_by")) == [
        ("final_deadline", secretariat.pk)
    ]


def test_console_cycle_new_with_taken_number_shows_message(secretariat_client, db):
    factories.CycleFactory(number=7)

    response = secretariat_client.post(
        reverse("console:cycle_new"), {"number": "7", "year": "2025"}
    )

    assert response.status_code == 400
    assert "Cycle 7 already exists." in response.content.decode()
    assert Cycle.objects.count() == 1


def test_console_settings_second_open_cycle_shows_clear_message(secretariat_client, db):
    factories.OpenCycleFactory(number=7)
    other = factories.CycleFactory(number=8)
    data = {
        "year": other.year,
        "theme_en": "x",
        "is_open": "on",
        "shortlist_quota": 15,
        "deserving_quota": 30,
        "winner_quota": 5,
        "medals_of_honor": "on",
        "max_years_since_end": 2,
        "max_file_mb": 10,
        "max_entry_mb": 40,
        "max_attachments": 12,
        "jury_report": "",
    }

    response = secretariat_client.post(reverse("console:cycle_settings", args=[8]), data)

    assert response.status_code == 400
    assert (
        "Cycle 7 is already open for applications: close it before opening another."
        in response.content.decode()
    )
    other.refresh_from_db()
    assert (other.is_open, other.theme) == (False, "Urban innovation for sustainable development")


def test_console_dates_change_with_reason_and_without(secretariat_client, secretariat, db):
    cycle = factories.CycleFactory(
        number=7,
        opens_at=None,
        early_bird_deadline=None,
        revision_window_ends_at=None,
        final_deadline=datetime(2027, 3, 1, 12, tzinfo=BJ),
    )
    url = reverse("console:cycle_dates", args=[7])

    refused = secretariat_client.post(url, {"final_deadline": "2027-03-15T12:00", "reason": ""})
    assert refused.status_code == 400
    assert "Please say why the dates change." in refused.content.decode()
    assert DeadlineChange.objects.count() == 0

    done = secretariat_client.post(
        url, {"final_deadline": "2027-03-15T12:00", "reason": "Extension"}
    )
    assert done.status_code == 302
    cycle.refresh_from_db()
    assert cycle.final_deadline == datetime(2027, 3, 15, 12, tzinfo=BJ)
    change = DeadlineChange.objects.get()
    assert (change.field, change.old_value, change.new_value, change.reason, change.changed_by) == (
        "final_deadline",
        datetime(2027, 3, 1, 12, tzinfo=BJ),
        datetime(2027, 3, 15, 12, tzinfo=BJ),
        "Extension",
        secretariat,
    )
    assert "Extension" in secretariat_client.get(url).content.decode()


def test_console_topics_one_by_one_and_in_bulk(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    a = entry(cycle=cycle, status=S.ELIGIBLE)
    b = entry(cycle=cycle, status=S.SUBMITTED)
    c = entry(cycle=cycle, status=S.ELIGIBLE)
    url = reverse("console:topics", args=[7])

    assert (
        secretariat_client.post(url, {"entry": a.pk, "topic": Topic.WASTE.value}).status_code == 302
    )
    assert (
        secretariat_client.post(
            url, {"bulk-topic": Topic.SMART.value, "bulk-entries": [b.pk, c.pk]}
        ).status_code
        == 302
    )

    assert dict(Submission.objects.values_list("pk", "topic")) == {
        a.pk: Topic.WASTE.value,
        b.pk: Topic.SMART.value,
        c.pk: Topic.SMART.value,
    }
    unassigned = secretariat_client.get(url, {"topic": "unassigned"})
    assert list(unassigned.context["page"].object_list) == []


def test_console_topics_bad_input_changes_nothing(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    a = entry(cycle=cycle, status=S.ELIGIBLE)
    other = entry(cycle=factories.CycleFactory(number=6), status=S.ELIGIBLE)
    url = reverse("console:topics", args=[7])

    response = secretariat_client.post(
        url, {"bulk-topic": Topic.SMART.value, "bulk-entries": [a.pk, other.pk]}, follow=True
    )
    assert (
        "Some of the chosen entries are not received entries of this cycle."
        in response.content.decode()
    )
    response = secretariat_client.post(url, {"entry": a.pk, "topic": "Nonsense"}, follow=True)
    assert "Choose a topic for an entry of this cycle." in response.content.decode()
    response = secretariat_client.post(url, {"bulk-topic": Topic.SMART.value}, follow=True)
    assert "Choose at least one entry." in response.content.decode()

    assert list(Submission.objects.exclude(topic="").values_list("pk", flat=True)) == []


def _released(number):
    # The jury chair has signed the jury report (a condition of publication).
    cycle = factories.CycleFactory(number=number, jury_report_signed_at=timezone.now())
    entry(cycle=cycle, status=S.WINNER)
    entry(cycle=cycle, status=S.SHORTLISTED)
    return cycle


def test_console_publish_needs_confirmation(secretariat_client, db):
    cycle = _released(7)

    response = secretariat_client.post(reverse("console:publish", args=[7]), {"action": "publish"})

    assert response.status_code == 400
    assert "Please tick the box to confirm the publication." in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.results_published_at is None


def test_console_publish_now(secretariat_client, client, db):
    cycle = _released(7)

    response = secretariat_client.post(
        reverse("console:publish", args=[7]), {"action": "publish", "confirm": "on"}
    )

    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.results_published_at is not None
    assert client.get(reverse("public:results_cycle", args=[7])).status_code == 200


def test_console_publish_refused_before_release_shows_why(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    entry(cycle=cycle, status=S.ELIGIBLE)

    response = secretariat_client.post(
        reverse("console:publish", args=[7]), {"action": "publish", "confirm": "on"}
    )

    assert response.status_code == 400
    assert "The jury" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.results_published_at is None


def test_console_publish_schedule_and_cancel(secretariat_client, db):
    cycle = _released(7)
    url = reverse("console:publish", args=[7])
    when = (timezone.now() + timedelta(days=2)).astimezone(BJ).replace(second=0, microsecond=0)

    assert (
        secretariat_client.post(
            url,
            {"action": "schedule", "confirm": "on", "publish_at": when.strftime("%Y-%m-%dT%H:%M")},
        ).status_code
        == 302
    )
    cycle.refresh_from_db()
    assert (cycle.results_publish_at, cycle.results_published_at) == (when, None)

    assert secretariat_client.post(url, {"action": "cancel"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.results_publish_at is None


def test_console_vote_window_and_live_count(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    sub = entry(cycle=cycle, status=S.SHORTLISTED, title="Green roofs")
    Vote.objects.create(
        cycle=cycle,
        submission=sub,
        email="a@example.org",
        day=timezone.now().date(),
        confirmed_at=timezone.now(),
    )
    Vote.objects.create(
        cycle=cycle, submission=sub, email="b@example.org", day=timezone.now().date()
    )

    response = secretariat_client.post(
        reverse("console:vote", args=[7]),
        {
            "vote_opens_at": "2027-05-01T00:00",
            "vote_closes_at": "2027-05-31T23:59",
            "votes_per_email_per_day": 1,
            "votes_per_ip_per_day": 30,
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.vote_opens_at, cycle.vote_closes_at, cycle.votes_per_ip_per_day) == (
        datetime(2027, 5, 1, tzinfo=BJ),
        datetime(2027, 5, 31, 23, 59, tzinfo=BJ),
        30,
    )
    live = secretariat_client.get(reverse("console:vote_live", args=[7]))
    assert [(c.title, c.confirmed_votes, c.pending_votes) for c in live.context["counts"]] == [
        ("Green roofs", 1, 1)
    ]


def test_console_vote_window_bad_input_shows_message(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)

    response = secretariat_client.post(
        reverse("console:vote", args=[7]),
        {
            "vote_opens_at": "2027-05-31T00:00",
            "vote_closes_at": "2027-05-01T00:00",
            "votes_per_email_per_day": 1,
            "votes_per_ip_per_day": 30,
        },
    )

    assert response.status_code == 400
    assert "The vote must close after it opens." in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.vote_opens_at is None


def test_console_vote_title_sets_city_of_your_choice(secretariat_client, db):
    now = timezone.now()
    cycle = factories.CycleFactory(
        number=7, vote_opens_at=now - timedelta(days=9), vote_closes_at=now - timedelta(days=1)
    )
    a = entry(cycle=cycle, status=S.SHORTLISTED)
    b = entry(cycle=cycle, status=S.WINNER)
    for n, sub in enumerate([a, b, b]):
        Vote.objects.create(
            cycle=cycle, submission=sub, email=f"{n}@example.org", day=now.date(), confirmed_at=now
        )

    response = secretariat_client.post(reverse("console:vote_title", args=[7]))

    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.city_of_your_choice == b


def test_console_statistics_page_and_downloads(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    entry(cycle=cycle, status=S.WINNER, country="KE", topic=Topic.SMART, goals=[11])
    entry(cycle=cycle, status=S.INELIGIBLE, country="FR")

    page = secretariat_client.get(reverse("console:statistics"), {"cycle": "7"})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="stats-data"' in body
    assert page.context["stats"]["funnel"] == {
        "valid": 1,
        "recognised": 1,
        "shortlisted": 1,
        "winners": 1,
    }

    csv_response = secretariat_client.get(
        reverse("console:statistics_download", args=["csv"]), {"cycle": "7"}
    )
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[:5] == [
        ["section", "item", "count"],
        ["total", "received", "2"],
        ["total", "valid", "1"],
        ["total", "cities", "1"],
        ["total", "countries", "1"],
    ]
    assert ["country", "Kenya", "1"] in rows

    xlsx = secretariat_client.get(reverse("console:statistics_download", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert list(sheet.iter_rows(values_only=True))[1] == ("total", "received", 2)
    assert (
        secretariat_client.get(reverse("console:statistics_download", args=["pdf"])).status_code
        == 404
    )


def _statistics_queries(client):
    public_cache_bump()  # counted afresh, not the minute's cached figures
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("console:statistics"), {"cycle": "7"}).status_code == 200
    return len(ctx.captured_queries)


def test_console_statistics_query_count_is_the_same_at_two_sizes(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    entry(cycle=cycle, status=S.WINNER, country="KE", goals=[1])
    small = _statistics_queries(secretariat_client)
    for n in range(25):
        entry(
            cycle=cycle,
            status=S.DESERVING,
            country=["KE", "BR", "CN", "DE"][n % 4],
            goals=[n % 17 + 1],
            topic=Topic.SMART,
        )
    large = _statistics_queries(secretariat_client)

    assert small == large


def _overview_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("console:cycle", args=[7])).status_code == 200
    return len(ctx.captured_queries)


def test_console_cycle_overview_query_count_is_the_same_at_two_sizes(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    panel = Panel.objects.create(cycle=cycle, kind="tc")
    PanelMember.objects.create(panel=panel, user=factories.UserFactory())
    entry(cycle=cycle, status=S.ELIGIBLE)
    small = _overview_queries(secretariat_client)
    for _n in range(10):
        PanelMember.objects.create(panel=panel, user=factories.UserFactory())
        entry(cycle=cycle, status=S.SUBMITTED)
    large = _overview_queries(secretariat_client)

    assert small == large


def test_console_dates_untouched_fields_with_seconds_are_not_changes(secretariat_client, db):
    opens = datetime(2027, 1, 1, 9, 30, 42, tzinfo=BJ)
    cycle = factories.CycleFactory(
        number=7,
        opens_at=opens,
        early_bird_deadline=None,
        revision_window_ends_at=None,
        final_deadline=datetime(2027, 3, 1, 12, 0, 15, tzinfo=BJ),
    )

    response = secretariat_client.post(
        reverse("console:cycle_dates", args=[7]),
        {
            "opens_at": "2027-01-01T09:30",
            "final_deadline": "2027-03-08T12:00",
            "reason": "One week more",
        },
    )

    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.opens_at == opens
    assert list(DeadlineChange.objects.values_list("field", flat=True)) == ["final_deadline"]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_console_index_query_count_is_the_same_at_two_sizes(secretariat_client, db):
    entry(cycle=factories.CycleFactory(number=4), status=S.WINNER)
    small = _count(secretariat_client, reverse("console:index"))
    for number in (5, 6, 7):
        entry(cycle=factories.CycleFactory(number=number), status=S.ELIGIBLE)
    large = _count(secretariat_client, reverse("console:index"))

    assert small == large


def test_console_topics_query_count_is_the_same_at_two_sizes(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    entry(cycle=cycle, status=S.ELIGIBLE)
    url = reverse("console:topics", args=[7])
    small = _count(secretariat_client, url)
    for _n in range(15):
        entry(cycle=cycle, status=S.SUBMITTED, topic=Topic.SMART)
    large = _count(secretariat_client, url)

    assert small == large


def test_console_vote_query_count_is_the_same_at_two_sizes(secretariat_client, db):
    cycle = factories.CycleFactory(number=7)
    entry(cycle=cycle, status=S.SHORTLISTED)
    url = reverse("console:vote", args=[7])
    small = _count(secretariat_client, url)
    for n in range(8):
        sub = entry(cycle=cycle, status=S.SHORTLISTED)
        Vote.objects.create(
            cycle=cycle, submission=sub, email=f"{n}@example.org", day=timezone.now().date()
        )
    large = _count(secretariat_client, url)

    assert small == large


def test_console_exports_query_count_is_the_same_at_two_sizes(secretariat_client, secretariat, db):
    from judging.models import ExportJob

    cycle = factories.CycleFactory(number=7)
    ExportJob.objects.create(kind="entries", fmt="csv", cycle=cycle, requested_by=secretariat)
    small = _count(secretariat_client, reverse("console:exports"))
    for _n in range(6):
        ExportJob.objects.create(kind="scores", fmt="xlsx", cycle=cycle, requested_by=secretariat)
    large = _count(secretariat_client, reverse("console:exports"))

    assert small == large
