"""A real worker on Redis does the judging's routing: assignment and ranking."""

import pytest
from django.db import transaction

from judging.models import Assignment, PanelKind, RankedEntry
from judging.services.assignment import assignment_confirm_no_conflict
from judging.services.outcomes import panel_close
from judging.services.panels import criteria_create_defaults, member_invite, panel_get_or_create
from judging.services.reviews import review_save
from judging.services.screening import screening_mark_eligible
from submissions.workflow import Status
from tests import factories
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def test_worker_assigns_an_eligible_entry_and_ranks_the_closed_stage(celery_worker_process):
    staff = factories.secretariat_user()
    cycle = factories.CycleFactory()
    panel = panel_get_or_create(cycle=cycle, kind=PanelKind.TECHNICAL_COMMITTEE)
    criteria_create_defaults(panel=panel)
    for n, country in enumerate(["FR", "JP", "GH", "BR"]):  # BR: the entry's own country
        member_invite(panel=panel, email=f"tc{n}@example.org", country=country, by=staff)
    entries = [
        factories.CompleteSubmissionFactory(cycle=cycle, status=Status.SUBMITTED) for _ in range(2)
    ]
    with transaction.atomic():
        for entry in entries:
            screening_mark_eligible(submission=entry, by=staff)

    def live_assignments():
        return list(Assignment.objects.filter(panel=panel).select_related("reviewer", "submission"))

    assignments = wait_for(lambda: len(live_assignments()) == 6 and live_assignments())
    assert assignments, "the worker did not assign the entries"
    assert {a.reviewer.country.code for a in assignments} == {"FR", "JP", "GH"}

    criteria = list(panel.criteria.all())
    for assignment in assignments:
        reviewer = assignment.reviewer.user
        assignment = assignment_confirm_no_conflict(assignment=assignment, by=reviewer)
        score = 8 if assignment.submission_id == entries[0].pk else 5
        review_save(
            assignment=assignment,
            values={c.pk: score for c in criteria},
            comments={},
            overall_comment="Clear evidence of results.",
            recommendation="shortlist" if score == 8 else "deserving",
            submit=True,
            by=reviewer,
        )
    with transaction.atomic():
        panel_close(panel=panel, by=staff)
    ranked = wait_for(
        lambda: list(
            RankedEntry.objects.filter(ranking__panel=panel).values_list("submission_id", "rank")
        )
    )
    assert ranked == [(entries[0].pk, 1), (entries[1].pk, 2)]
    assert celery_worker_process.poll() is None, "the worker died"
