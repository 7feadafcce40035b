"""The final deadline, pinned one second either side with a frozen clock."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from submissions.models import Submission
from submissions.services.applications import (
    beijing,
    submission_edit_problem,
    submission_submit,
    submission_update,
)
from submissions.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2027, 3, 31, 15, 59, 59, tzinfo=dt.UTC)  # 23:59:59 Beijing time
ONE_SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def draft():
    cycle = factories.OpenCycleFactory(
        opens_at=DEADLINE - dt.timedelta(days=90),
        early_bird_deadline=DEADLINE - dt.timedelta(days=30),
        revision_window_ends_at=DEADLINE - dt.timedelta(days=10),
        final_deadline=DEADLINE,
    )
    org = factories.OrganisationFactory()
    entry = factories.CompleteSubmissionFactory(cycle=cycle, organisation=org)
    factories.AttachmentFactory(submission=entry)
    return entry


def test_cycle_accepts_submissions_until_one_second_before_the_final_deadline(draft):
    assert draft.cycle.accepts_submissions(DEADLINE - ONE_SECOND) is True
    assert draft.cycle.accepts_submissions(DEADLINE) is False
    assert draft.cycle.accepts_submissions(DEADLINE + ONE_SECOND) is False


def test_submit_one_second_before_the_final_deadline_is_accepted(
    draft, django_capture_on_commit_callbacks
):
    official = factories.CityOfficialFactory(organisation=draft.organisation)
    with time_machine.travel(DEADLINE - ONE_SECOND, tick=False):
        submission_submit(submission=draft, by=official)
    entry = Submission.objects.get(pk=draft.pk)
    assert (entry.status, entry.submitted_at) == (Status.SUBMITTED, DEADLINE - ONE_SECOND)


def test_submit_at_the_final_deadline_is_refused_and_nothing_changes(draft):
    official = factories.CityOfficialFactory(organisation=draft.organisation)
    with time_machine.travel(DEADLINE, tick=False):
        with pytest.raises(ValidationError) as refused:
            submission_submit(submission=draft, by=official)
    assert refused.value.messages == [
        f"The final deadline ({beijing(DEADLINE)}) has passed: the application "
        "can no longer be changed or submitted."
    ]
    entry = Submission.objects.get(pk=draft.pk)
    assert (entry.status, entry.submitted_at) == (Status.DRAFT, None)
    assert entry.status_changes.count() == 0


def test_saving_an_answer_stops_at_the_final_deadline(draft):
    official = factories.CityOfficialFactory(organisation=draft.organisation)
    with time_machine.travel(DEADLINE - ONE_SECOND, tick=False):
        submission_update(submission=draft, fields={"subtitle": "In time"}, by=official)
    with time_machine.travel(DEADLINE, tick=False):
        assert submission_edit_problem(draft) is not None
        with pytest.raises(ValidationError) as refused:
            submission_update(submission=draft, fields={"subtitle": "Too late"}, by=official)
    assert refused.value.code == "locked"
    assert Submission.objects.get(pk=draft.pk).subtitle == "In time"


def test_revision_window_closes_at_its_end_to_the_second(draft):
    draft.status, draft.early_bird = Status.SUBMITTED, True
    draft.submitted_at = timezone.now()
    draft.save()
    factories.SentFeedbackFactory(submission=draft)  # the window opens with the feedback
    ends = draft.cycle.revision_window_ends_at
    assert submission_edit_problem(draft, ends - ONE_SECOND) is None
    assert submission_edit_problem(draft, ends) == (
        f"The early-bird revision window closed on {beijing(ends)}."
    )
