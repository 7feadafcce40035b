import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from submissions.models import ScreeningReport, StatusChange, Submission
from submissions.services import applications as apps
from submissions.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db


def test_submission_create_numbers_per_cycle(official, open_cycle):
    other_cycle = factories.CycleFactory(is_open=False)
    factories.SubmissionFactory(cycle=other_cycle, sequence=7)
    first = apps.submission_create(
        organisation=official.organisation, cycle=open_cycle, by=official
    )
    second = apps.submission_create(
        organisation=official.organisation, cycle=open_cycle, by=official
    )
    assert (first.reference, second.reference) == (
        f"GZA-{open_cycle.number}-0001",
        f"GZA-{open_cycle.number}-0002",
    )
    assert first.status == Status.DRAFT
    assert first.created_by == official


def test_submission_create_refuses_closed_cycle(official):
    cycle = factories.CycleFactory(is_open=False)
    with pytest.raises(ValidationError, match="is not accepting applications"):
        apps.submission_create(organisation=official.organisation, cycle=cycle, by=official)
    assert Submission.objects.count() == 0


def test_submission_create_refuses_after_final_deadline(official):
    cycle = factories.OpenCycleFactory(final_deadline=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="is not accepting applications"):
        apps.submission_create(organisation=official.organisation, cycle=cycle, by=official)
    assert Submission.objects.count() == 0


def test_submission_create_refuses_other_city(official, open_cycle):
    with pytest.raises(ValidationError, match="Only members of a city may start"):
        apps.submission_create(
            organisation=factories.OrganisationFactory(), cycle=open_cycle, by=official
        )
    assert Submission.objects.count() == 0


def test_submission_update_saves_fields_contacts_and_goals(official, open_cycle):
    entry = factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)
    apps.submission_update(
        submission=entry,
        fields={"title": "  Clean air  ", "abstract": "Short."},
        contacts=[{"name": "A", "email": "a@example.org"}, {"name": "B", "email": "b@example.org"}],
        goals=[11, 3, 11],
        by=official,
    )
    entry.refresh_from_db()
    assert entry.title == "Clean air"
    assert list(entry.contacts.values_list("name", "order")) == [("A", 0), ("B", 1)]
    assert list(entry.goals.values_list("goal", flat=True)) == [3, 11]


def test_submission_update_enforces_word_limit_on_server(official, open_cycle):
    entry = factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)
    with pytest.raises(ValidationError) as raised:
        apps.submission_update(
            submission=entry, fields={"title": " ".join(["w"] * 26)}, by=official
        )
    assert raised.value.message_dict == {"title": ["26 words: the limit is 25."]}
    entry.refresh_from_db()
    assert entry.title == ""


def test_submission_update_uses_cycle_word_limit_override(official):
    cycle = factories.OpenCycleFactory(word_limits={"abstract": 3})
    entry = factories.SubmissionFactory(cycle=cycle, organisation=official.organisation)
    with pytest.raises(ValidationError) as raised:
        apps.submission_update(
            submission=entry, fields={"abstract": "one two three four"}, by=official
        )
    assert raised.value.message_dict == {"abstract": ["4 words: the limit is 3."]}
    entry.refresh_from_db()
    assert entry.abstract == ""


def test_submission_update_is_all_or_nothing(official, open_cycle):
    entry = factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)
    with pytest.raises(ValidationError, match="At most 3 contact persons"):
        apps.submission_update(
            submission=entry,
            fields={"title": "Saved?"},
            contacts=[{"name": str(n), "email": f"{n}@example.org"} for n in range(4)],
            by=official,
        )
    entry.refresh_from_db()
    assert entry.title == ""
    assert entry.contacts.count() == 0


def test_submission_update_refuses_start_date_too_recent(official, open_cycle):
    entry = factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)
    with pytest.raises(ValidationError) as raised:
        apps.submission_update(
            submission=entry, fields={"start_date": timezone.now().date()}, by=official
        )
    assert "start_date" in raised.value.message_dict
    entry.refresh_from_db()
    assert entry.start_date is None


def test_submission_update_after_deadline_is_refused(official):
    cycle = factories.OpenCycleFactory(final_deadline=timezone.now() - dt.timedelta(seconds=1))
    entry = factories.SubmissionFactory(cycle=cycle, organisation=official.organisation)
    with pytest.raises(ValidationError) as raised:
        apps.submission_update(submission=entry, fields={"title": "Late"}, by=official)
    assert "has passed" in raised.value.messages[0]
    entry.refresh_from_db()
    assert entry.title == ""


def test_submission_submit_sets_dates_status_audit_and_mail(
    official, open_cycle, django_capture_on_commit_callbacks, mailoutbox
):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation
    )
    with django_capture_on_commit_callbacks(execute=True):
        apps.submission_submit(submission=entry, by=official)
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED
    assert entry.submitted_at is not None
    # The factory's early-bird deadline lies 10 days in the past.
    assert entry.early_bird is False
    assert list(StatusChange.objects.values_list("from_status", "to_status", "transition")) == [
        ("draft", "submitted", "submit")
    ]
    assert [m.to for m in mailoutbox] == [[official.email]]
    assert ScreeningReport.objects.filter(submission=entry).count() == 1


def test_submission_submit_before_early_bird_deadline_is_early_bird(official):
    cycle = factories.OpenCycleFactory(early_bird_deadline=timezone.now() + dt.timedelta(days=1))
    entry = factories.CompleteSubmissionFactory(cycle=cycle, organisation=official.organisation)
    apps.submission_submit(submission=entry, by=official)
    entry.refresh_from_db()
    assert entry.early_bird is True


def test_submission_submit_refuses_incomplete_entry(official, open_cycle, mailoutbox):
    entry = factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)
    with pytest.raises(ValidationError) as raised:
        apps.submission_submit(submission=entry, by=official)
    assert raised.value.messages[0].startswith("Still missing:")
    entry.refresh_from_db()
    assert (entry.status, entry.submitted_at) == (Status.DRAFT, None)
    assert StatusChange.objects.count() == 0


def test_submission_submit_refuses_over_word_limit(official, open_cycle):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, abstract=" ".join(["w"] * 151)
    )
    with pytest.raises(ValidationError) as raised:
        apps.submission_submit(submission=entry, by=official)
    assert raised.value.messages == ["Abstract has 151 words; the limit is 150."]
    entry.refresh_from_db()
    assert (entry.status, entry.submitted_at) == (Status.DRAFT, None)
    assert StatusChange.objects.count() == 0


def test_submission_submit_refuses_start_date_rule(official, open_cycle):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, start_date=timezone.now().date()
    )
    with pytest.raises(ValidationError) as raised:
        apps.submission_submit(submission=entry, by=official)
    assert "must have started on or before" in raised.value.messages[0]
    entry.refresh_from_db()
    assert (entry.status, entry.submitted_at) == (Status.DRAFT, None)


def test_submission_submit_refuses_after_final_deadline(official):
    cycle = factories.OpenCycleFactory(final_deadline=timezone.now() - dt.timedelta(seconds=1))
    entry = factories.CompleteSubmissionFactory(cycle=cycle, organisation=official.organisation)
    with pytest.raises(ValidationError) as raised:
        apps.submission_submit(submission=entry, by=official)
    assert "has passed" in raised.value.messages[0]
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT


def test_submission_submit_by_other_city_is_denied(official, open_cycle):
    entry = factories.CompleteSubmissionFactory(cycle=open_cycle)
    with pytest.raises(PermissionDenied, match="You may not make this change"):
        apps.submission_submit(submission=entry, by=official)
    entry.refresh_from_db()
    assert (entry.status, entry.submitted_at) == (Status.DRAFT, None)


def _early_bird_entry(official, window_ends):
    cycle = factories.OpenCycleFactory(revision_window_ends_at=window_ends)
    entry = factories.CompleteSubmissionFactory(
        cycle=cycle,
        organisation=official.organisation,
        status=Status.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=20),
        early_bird=True,
    )
    # The revision window opens when the Secretariat sends its feedback.
    factories.SentFeedbackFactory(submission=entry)
    return entry


def test_early_bird_revision_inside_window_saves_and_rebuilds_report(
    official, django_capture_on_commit_callbacks
):
    entry = _early_bird_entry(official, timezone.now() + dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        apps.submission_update(
            submission=entry, fields={"results": "Better evidence."}, by=official
        )
    entry.refresh_from_db()
    assert entry.results == "Better evidence."
    assert entry.status == Status.SUBMITTED
    assert len(callbacks) == 1
    assert ScreeningReport.objects.filter(submission=entry).count() == 1


def test_early_bird_revision_after_window_is_refused(official):
    entry = _early_bird_entry(official, timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as raised:
        apps.submission_update(submission=entry, fields={"results": "Late."}, by=official)
    assert "revision window closed" in raised.value.messages[0]
    entry.refresh_from_db()
    assert entry.results != "Late."


def test_early_bird_revision_cannot_empty_required_answer(official):
    entry = _early_bird_entry(official, timezone.now() + dt.timedelta(days=2))
    abstract = entry.abstract
    with pytest.raises(ValidationError, match="cannot lose a required answer: abstract"):
        apps.submission_update(submission=entry, fields={"abstract": ""}, by=official)
    entry.refresh_from_db()
    assert entry.abstract == abstract


def test_submitted_non_early_bird_entry_is_read_only(official, open_cycle):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=Status.SUBMITTED
    )
    with pytest.raises(ValidationError) as raised:
        apps.submission_update(submission=entry, fields={"title": "Changed"}, by=official)
    assert raised.value.messages == [
        "This application has been submitted and can no longer be changed."
    ]
    entry.refresh_from_db()
    assert entry.title != "Changed"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.CLARIFICATION])
def test_submission_withdraw_from_allowed_statuses(
    official, open_cycle, status, mailoutbox, django_capture_on_commit_callbacks
):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=status
    )
    with django_capture_on_commit_callbacks(execute=True):
        apps.submission_withdraw(submission=entry, by=official)
    entry.refresh_from_db()
    assert entry.status == Status.WITHDRAWN
    assert list(StatusChange.objects.values_list("from_status", "to_status")) == [
        (status.value, "withdrawn")
    ]
    assert len(mailoutbox) == 1


def test_submission_withdraw_of_eligible_entry_is_refused(official, open_cycle):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=Status.ELIGIBLE
    )
    with pytest.raises(ValidationError, match="An entry cannot move from"):
        apps.submission_withdraw(submission=entry, by=official)
    assert StatusChange.objects.count() == 0
    entry.refresh_from_db()
    assert entry.status == Status.ELIGIBLE


def test_answer_clarification_saves_and_moves_back_to_submitted(official, open_cycle):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=Status.CLARIFICATION
    )
    question = factories.ClarificationRequestFactory(submission=entry)
    apps.submission_answer_clarification(clarification=question, answer=" Yes. ", by=official)
    question.refresh_from_db()
    entry.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Yes.", official)
    assert question.answered_at is not None
    assert entry.status == Status.SUBMITTED
    assert list(StatusChange.objects.values_list("transition", "to_status")) == [
        ("answer_clarification", "submitted")
    ]


def test_answer_clarification_twice_is_refused(official, open_cycle):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=Status.CLARIFICATION
    )
    question = factories.ClarificationRequestFactory(submission=entry)
    apps.submission_answer_clarification(clarification=question, answer="Yes.", by=official)
    with pytest.raises(ValidationError, match="already been answered"):
        apps.submission_answer_clarification(clarification=question, answer="Again", by=official)
    question.refresh_from_db()
    assert question.answer == "Yes."


def test_answer_clarification_by_other_city_is_denied(official, open_cycle):
    entry = factories.CompleteSubmissionFactory(cycle=open_cycle, status=Status.CLARIFICATION)
    question = factories.ClarificationRequestFactory(submission=entry)
    with pytest.raises(PermissionDenied, match="You may not make this change"):
        apps.submission_answer_clarification(clarification=question, answer="Hi", by=official)
    question.refresh_from_db()
    assert question.answer == ""


def test_partner_add_and_remove_on_draft(official, open_cycle):
    entry = factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)
    partner = apps.partner_add(submission=entry, name=" NGO ", kind="civil_society", by=official)
    assert list(entry.partners.values_list("name", flat=True)) == ["NGO"]
    apps.partner_remove(partner=partner, by=official)
    assert entry.partners.count() == 0


def _writes(queries) -> list[str]:
    """The statements that change rows (savepoints aside)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]


@pytest.mark.parametrize(
    ("contacts", "goals", "refusal"),
    [
        (
            [{"name": n, "email": f"{n}@example.org"} for n in "abcd"],
            None,
            ["At most 3 contact persons."],
        ),
        (None, [3, 18], ["Goals are numbered 1 to 17."]),
    ],
)
def test_submission_update_refused_writes_nothing(official, open_cycle, contacts, goals, refusal):
    entry = factories.SubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, title="Before"
    )
    apps.submission_update(
        submission=entry,
        contacts=[{"name": "Kept", "email": "kept@example.org"}],
        goals=[11],
        by=official,
    )
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refused:
        apps.submission_update(
            submission=entry,
            fields={"title": "After"},
            contacts=contacts,
            goals=goals,
            by=official,
        )
    assert refused.value.messages == refusal
    # Refused before any write, not merely rolled back afterwards.
    assert _writes(queries.captured_queries) == []
    entry.refresh_from_db()
    assert entry.title == "Before"
    assert list(entry.contacts.values_list("name", flat=True)) == ["Kept"]
    assert list(entry.goals.values_list("goal", flat=True)) == [11]


def test_submission_update_checks_the_answers_before_the_contacts(official, open_cycle):
    entry = factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(
            submission=entry,
            fields={"title": " ".join(["w"] * 26)},
            contacts=[{"name": n, "email": f"{n}@example.org"} for n in "abcd"],
            by=official,
        )
    assert refused.value.message_dict == {"title": ["26 words: the limit is 25."]}
