"""List pages run the same number of queries whatever their size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.selectors import reviewer_progress
from judging.services.outcomes import panel_close
from submissions.models import ScreeningReport
from tests.judging.conftest import client_for, score


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_screening_queue_queries_constant(secretariat_client, make_entry):
    def add(n):
        for _ in range(n):
            ScreeningReport.objects.create(submission=make_entry(), is_clean=True)

    add(2)
    small = _count(secretariat_client, reverse("judging:screening_queue"))
    add(8)
    assert _count(secretariat_client, reverse("judging:screening_queue")) == small


def test_reviewer_queue_queries_constant(tc_panel, tc_members, make_entry):
    from judging.services.assignment import assignment_staff_tc_entry

    member = tc_members[1]
    client = client_for(member.user)

    def add(n):
        for _ in range(n):
            for a in assignment_staff_tc_entry(submission=make_entry(status="eligible")):
                if a.reviewer_id == member.pk:
                    score(a, 6, submit=False)

    add(2)
    small = _count(client, reverse("judging:reviewer_queue"))
    add(8)
    assert _count(client, reverse("judging:reviewer_queue")) == small


def test_ranking_queries_constant(
    cycle,
    tc_panel,
    tc_members,
    make_entry,
    secretariat,
    secretariat_client,
    django_capture_on_commit_callbacks,
):
    from judging.services.assignment import assignment_staff_tc_entry
    from judging.services.outcomes import panel_reopen

    url = reverse("judging:ranking", args=[cycle.number, "tc"])

    def add(n):
        for i in range(n):
            for a in assignment_staff_tc_entry(submission=make_entry(status="eligible")):
                score(a, 3 + i % 5)
        with django_capture_on_commit_callbacks(execute=True):
            panel_close(panel=tc_panel, by=secretariat)

    add(2)
    small = _count(secretariat_client, url)
    panel_reopen(panel=tc_panel, by=secretariat)
    add(8)
    assert tc_panel.ranking.entries.count() == 10
    assert _count(secretariat_client, url) == small


def test_reviewer_progress_single_query(
    tc_panel, tc_members, make_entry, django_assert_num_queries
):
    from judging.services.assignment import assignment_staff_tc_entry

    for _ in range(3):
        assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    with django_assert_num_queries(1):
        rows = reviewer_progress(tc_panel)
        assert sum(r.assigned for r in rows) == 9


def _staff(make_entry, n):
    from judging.services.assignment import assignment_staff_tc_entry

    for i in range(n):
        for a in assignment_staff_tc_entry(submission=make_entry(status="eligible")):
            score(a, 3 + i % 5)


def test_progress_and_matrix_queries_constant(
    cycle, tc_panel, tc_members, make_entry, secretariat_client
):
    urls = [
        reverse("judging:progress", args=[cycle.number, "tc"]),
        reverse("judging:assignment_matrix", args=[cycle.number, "tc"]),
    ]
    _staff(make_entry, 2)
    small = [_count(secretariat_client, u) for u in urls]
    _staff(make_entry, 6)
    assert [_count(secretariat_client, u) for u in urls] == small


def test_proposals_queries_constant(
    cycle,
    tc_panel,
    tc_members,
    make_entry,
    secretariat,
    secretariat_client,
    django_capture_on_commit_callbacks,
):
    from judging.services.outcomes import panel_reopen

    url = reverse("judging:proposals", args=[cycle.number, "tc"])
    _staff(make_entry, 2)
    with django_capture_on_commit_callbacks(execute=True):
        panel_close(panel=tc_panel, by=secretariat)
    small = _count(secretariat_client, url)
    panel_reopen(panel=tc_panel, by=secretariat)
    _staff(make_entry, 6)
    with django_capture_on_commit_callbacks(execute=True):
        panel_close(panel=tc_panel, by=secretariat)
    assert tc_panel.proposals.count() == 8
    assert _count(secretariat_client, url) == small


def test_saving_a_score_sheet_costs_the_same_whatever_the_criteria(
    tc_panel, tc_members, make_entry
):
    """Every criterion's score is written in one statement, not one round trip each."""
    from judging.models import Criterion
    from judging.services.assignment import assignment_staff_tc_entry

    def save_queries() -> int:
        (assignment, *_others) = assignment_staff_tc_entry(submission=make_entry(status="eligible"))
        with CaptureQueriesContext(connection) as ctx:
            score(assignment, 6, submit=False)
        return len(ctx.captured_queries)

    few = save_queries()
    for i in range(6):
        Criterion.objects.create(panel=tc_panel, name=f"Extra {i}", weight=1, order=50 + i)
    assert tc_panel.criteria.count() >= 7
    assert save_queries() == few
