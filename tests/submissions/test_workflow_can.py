"""Pages ask the workflow table what may happen next (``workflow.can``)."""

import pytest

from submissions import workflow
from submissions.workflow import TRANSITIONS, Status


@pytest.mark.parametrize("status", list(Status))
def test_can_answers_from_the_table_for_every_status_and_move(status):
    for name in {t.name for t in TRANSITIONS}:
        expected = any(t.source == status and t.name == name for t in TRANSITIONS)
        assert workflow.can(status, name) is expected


def test_can_names_the_statuses_the_pages_act_on():
    assert [s for s in Status if workflow.can(s, "withdraw")] == [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.CLARIFICATION,
    ]
    assert [s for s in Status if workflow.can(s, "mark_eligible")] == [Status.SUBMITTED]
    assert [s for s in Status if workflow.can(s, "mark_ineligible")] == [
        Status.SUBMITTED,
        Status.CLARIFICATION,
    ]
    assert [s for s in Status if workflow.can(s, "request_clarification")] == [Status.SUBMITTED]
