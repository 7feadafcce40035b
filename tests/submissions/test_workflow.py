"""The workflow table, pair by pair, and the transition service that applies it."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from submissions.models import StatusChange
from submissions.services.transitions import submission_transition
from submissions.workflow import TRANSITIONS, Actor, Status, find_transition
from tests import factories

ALLOWED = {
    ("draft", "submitted"),
    ("draft", "withdrawn"),
    ("submitted", "withdrawn"),
    ("clarification", "withdrawn"),
    ("submitted", "clarification"),
    ("clarification", "submitted"),
    ("submitted", "eligible"),
    ("submitted", "ineligible"),
    ("clarification", "ineligible"),
    ("eligible", "shortlisted"),
    ("eligible", "deserving"),
    ("eligible", "not_selected"),
    ("shortlisted", "winner"),
    ("shortlisted", "medal_of_honor"),
    ("shortlisted", "special_mention"),
    ("special_mention", "shortlisted"),
    ("special_mention", "winner"),
    ("winner", "special_mention"),
    ("ineligible", "eligible"),
    ("ineligible", "submitted"),
    ("eligible", "ineligible"),
    ("eligible", "submitted"),
    ("shortlisted", "deserving"),
    ("shortlisted", "not_selected"),
    ("deserving", "shortlisted"),
    ("deserving", "not_selected"),
    ("not_selected", "shortlisted"),
    ("not_selected", "deserving"),
    ("winner", "shortlisted"),
    ("winner", "medal_of_honor"),
    ("medal_of_honor", "winner"),
    ("medal_of_honor", "shortlisted"),
}

ALL_PAIRS = list(itertools.product(Status.values, Status.values))


def _actor_for(row, official, staff):
    if Actor.APPLICANT in row.actors:
        return official
    if Actor.SECRETARIAT in row.actors:
        return staff
    return None


def test_workflow_table_has_exactly_the_designed_moves():
    assert {(t.source.value, t.target.value) for t in TRANSITIONS} == ALLOWED


def test_workflow_table_has_no_duplicate_pairs():
    pairs = [(t.source, t.target) for t in TRANSITIONS]
    assert len(pairs) == len(set(pairs))


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_submission_transition_follows_the_table_for_every_pair(source, target):
    cycle = factories.CycleFactory()
    submission = factories.SubmissionFactory(cycle=cycle, status=source)
    official = factories.CityOfficialFactory(organisation=submission.organisation)
    staff = factories.secretariat_user()
    row = find_transition(source, target)
    if row is None:
        with pytest.raises(ValidationError, match="An entry cannot move from"):
            submission_transition(submission=submission, to=target, by=staff, note="why")
        submission.refresh_from_db()
        assert submission.status == source
        assert StatusChange.objects.count() == 0
        return
    by = _actor_for(row, official, staff)
    result = submission_transition(submission=submission, to=target, by=by, note="a reason")
    assert result.status == target
    submission.refresh_from_db()
    assert submission.status == target
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.transition, change.by) == (
        source,
        target,
        row.name,
        by,
    )


@pytest.mark.django_db
def test_submission_transition_refuses_a_city_official_acting_as_secretariat():
    submission = factories.SubmissionFactory(status=Status.SUBMITTED)
    official = factories.CityOfficialFactory(organisation=submission.organisation)
    with pytest.raises(PermissionDenied, match="You may not make this change"):
        submission_transition(submission=submission, to=Status.ELIGIBLE, by=official)
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert StatusChange.objects.count() == 0


@pytest.mark.django_db
def test_submission_transition_refuses_an_official_of_another_city():
    submission = factories.SubmissionFactory(status=Status.DRAFT)
    stranger = factories.CityOfficialFactory()
    with pytest.raises(PermissionDenied, match="You may not make this change"):
        submission_transition(submission=submission, to=Status.WITHDRAWN, by=stranger)
    submission.refresh_from_db()
    assert submission.status == Status.DRAFT
    assert StatusChange.objects.count() == 0


@pytest.mark.django_db
def test_submission_transition_requires_a_note_for_ineligibility():
    submission = factories.SubmissionFactory(status=Status.SUBMITTED)
    with pytest.raises(ValidationError, match="Please give a reason for this change"):
        submission_transition(
            submission=submission, to=Status.INELIGIBLE, by=factories.secretariat_user(), note=" "
        )
    assert StatusChange.objects.count() == 0
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED


@pytest.mark.django_db
def test_submission_transition_refuses_corrections_after_publication():
    cycle = factories.CycleFactory(results_published_at=timezone.now())
    submission = factories.SubmissionFactory(cycle=cycle, status=Status.INELIGIBLE)
    with pytest.raises(ValidationError, match="published"):
        submission_transition(
            submission=submission,
            to=Status.ELIGIBLE,
            by=factories.secretariat_user(),
            note="reconsidered",
        )
    submission.refresh_from_db()
    assert submission.status == Status.INELIGIBLE


@pytest.mark.django_db
def test_submission_transition_emails_every_member_of_the_city_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    submission = factories.CompleteSubmissionFactory(status=Status.SUBMITTED)
    members = [
        factories.CityOfficialFactory(organisation=submission.organisation) for _ in range(2)
    ]
    staff = factories.secretariat_user()
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(
            submission=submission,
            to=Status.INELIGIBLE,
            by=staff,
            note="The initiative is run by a private company.",
            reason="not_implemented",
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members)
    assert "Not eligible" in mailoutbox[0].subject
    assert "run by a private company" in mailoutbox[0].body
