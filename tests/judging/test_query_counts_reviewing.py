"""The pages of matching, agreement and the meeting run a constant number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.models import RankedEntry
from judging.services.assignment import assignment_staff_tc_entry
from judging.services.meeting import discussion_post, meeting_start
from judging.services.outcomes import panel_close, panel_reopen
from tests.judging.conftest import client_for, score


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _url(name, cycle):
    return reverse(f"judging:{name}", args=[cycle.number, "tc"])


def _scored(make_entry, n, offset=0):
    for i in range(n):
        for j, a in enumerate(assignment_staff_tc_entry(submission=make_entry(status="eligible"))):
            score(a, [2, 9, 3 + (i + offset) % 5][j])  # every entry disputed


def test_progress_and_matrix_queries_constant(
    cycle, tc_panel, tc_members, make_entry, secretariat_client
):
    _scored(make_entry, 2)
    small = [_count(secretariat_client, _url(n, cycle)) for n in ("progress", "assignment_matrix")]
    _scored(make_entry, 8, offset=3)
    assert [
        _count(secretariat_client, _url(n, cycle)) for n in ("progress", "assignment_matrix")
    ] == small


def test_preferences_queries_constant(cycle, tc_panel, tc_members, make_entry):
    client = client_for(tc_members[1].user)
    for _ in range(2):
        make_entry(status="eligible")
    small = _count(client, _url("preferences", cycle))
    for _ in range(10):
        make_entry(status="eligible")
    assert _count(client, _url("preferences", cycle)) == small


def test_meeting_pages_queries_constant(
    cycle,
    tc_panel,
    tc_members,
    make_entry,
    secretariat,
    secretariat_client,
    django_capture_on_commit_callbacks,
):
    chair = client_for(tc_members[0].user)
    member = client_for(tc_members[1].user)
    pages = [
        (chair, "meeting"),
        (member, "meeting"),
        (member, "meeting_current"),
        (secretariat_client, "ranking"),
        (secretariat_client, "calibration_results"),
    ]

    def add(n, offset):
        _scored(make_entry, n, offset)
        with django_capture_on_commit_callbacks(execute=True):
            panel_close(panel=tc_panel, by=secretariat)
        meeting_start(panel=tc_panel, by=secretariat)
        first = RankedEntry.objects.get(ranking__panel=tc_panel, rank=1).submission
        for _ in range(n):
            discussion_post(
                panel=tc_panel, submission=first, member=None, body="Note.", by=secretariat
            )

    add(2, 0)
    small = [_count(client, _url(name, cycle)) for client, name in pages]
    panel_reopen(panel=tc_panel, by=secretariat)
    add(8, 3)
    assert [_count(client, _url(name, cycle)) for client, name in pages] == small
