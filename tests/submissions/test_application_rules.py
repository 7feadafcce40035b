"""The rules of a city's application writes (submissions/services/applications.py):
what each refusal says and that it wrote nothing, the limits on both sides, the
deadlines to the second, and what a save keeps or clears."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from submissions.models import ScreeningReport, StatusChange, Submission
from submissions.services import applications as apps
from submissions.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db

ONE_SECOND = dt.timedelta(seconds=1)
# 23:59:59 Beijing time; a moment after today's real clock (the tests travel to it).
DEADLINE = dt.datetime(2027, 3, 31, 15, 59, 59, tzinfo=dt.UTC)


def _updates(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].upper().startswith("UPDATE")]


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]


def _draft(official, **kwargs):
    return factories.SubmissionFactory(
        cycle=factories.OpenCycleFactory(), organisation=official.organisation, **kwargs
    )


def _under_revision(official, *, feedback=True, window_ends=None):
    """A submitted early-bird entry; its revision window open once the feedback is sent."""
    cycle = factories.OpenCycleFactory(
        revision_window_ends_at=window_ends or timezone.now() + dt.timedelta(days=2)
    )
    entry = factories.CompleteSubmissionFactory(
        cycle=cycle,
        organisation=official.organisation,
        status=Status.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=20),
        early_bird=True,
    )
    # The factory gives it one contact, "Ana Souza", and the goals 11 and 16.
    if feedback:
        factories.SentFeedbackFactory(submission=entry)
    return entry


# --- beijing ------------------------------------------------------------------------


def test_a_moment_is_stated_in_beijing_time_only_whatever_the_viewers_zone():
    with timezone.override("Europe/Paris"):
        assert apps.beijing(DEADLINE) == "31 March 2027, 23:59 Beijing time"
    assert apps.beijing(None) == ""


# --- the edit window ----------------------------------------------------------------


def test_a_draft_of_a_closed_cycle_says_the_cycle_is_not_accepting(official):
    cycle = factories.CycleFactory(is_open=False)  # its final deadline lies ahead
    entry = factories.SubmissionFactory(cycle=cycle, organisation=official.organisation)
    assert apps.submission_edit_problem(entry) == "This cycle is not accepting applications."
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(submission=entry, fields={"title": "New"}, by=official)
    assert refused.value.messages == ["This cycle is not accepting applications."]
    entry.refresh_from_db()
    assert entry.title == ""


def test_the_edit_problem_is_judged_at_the_moment_asked_not_the_clock(official):
    cycle = factories.OpenCycleFactory(
        opens_at=DEADLINE - dt.timedelta(days=90),
        early_bird_deadline=DEADLINE - dt.timedelta(days=30),
        revision_window_ends_at=DEADLINE - dt.timedelta(days=10),
        final_deadline=DEADLINE,
    )
    entry = factories.SubmissionFactory(cycle=cycle, organisation=official.organisation)
    passed = (
        f"The final deadline ({apps.beijing(DEADLINE)}) has passed: the application "
        "can no longer be changed or submitted."
    )
    with time_machine.travel(DEADLINE + ONE_SECOND, tick=False):
        assert apps.submission_edit_problem(entry, DEADLINE - ONE_SECOND) is None
    with time_machine.travel(DEADLINE - ONE_SECOND, tick=False):
        assert apps.submission_edit_problem(entry, DEADLINE) == passed
        assert apps.submission_submit_problems(entry, DEADLINE) == [passed]


def test_an_early_bird_entry_without_feedback_is_told_when_its_window_opens_and_closes(
    official,
):
    entry = _under_revision(official, feedback=False)
    ends = entry.cycle.revision_window_ends_at
    expected = (
        "The early-bird revision window opens when the Secretariat sends its "
        f"feedback, and closes on {apps.beijing(ends)}."
    )
    assert apps.in_revision_window(entry) is False
    assert apps.submission_edit_problem(entry) == expected
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(submission=entry, fields={"results": "New"}, by=official)
    assert refused.value.messages == [expected]
    entry.refresh_from_db()
    assert entry.results != "New"


def test_the_revision_window_opens_at_the_very_moment_the_feedback_is_sent(official):
    entry = _under_revision(official)
    sent = entry.early_bird_feedback.sent_at
    assert apps.in_revision_window(entry, sent - ONE_SECOND) is False
    assert apps.in_revision_window(entry, sent) is True
    assert apps.submission_edit_problem(entry, sent) is None


# --- saving answers -----------------------------------------------------------------


def test_an_unknown_answer_is_refused_by_name_and_nothing_is_written(official):
    entry = _draft(official)
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(
            submission=entry, fields={"title": "New", "colour": "red"}, by=official
        )
    assert refused.value.messages == ["Unknown answer: colour."]
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(submission=entry, fields={"colour": 1, "size": 2}, by=official)
    assert refused.value.messages[0] in (
        "Unknown answer: colour, size.",
        "Unknown answer: size, colour.",
    )
    entry.refresh_from_db()
    assert entry.title == ""


def test_an_answer_at_the_word_limit_is_saved_and_one_word_more_is_refused(official):
    entry = _draft(official)
    apps.submission_update(submission=entry, fields={"title": " ".join(["w"] * 25)}, by=official)
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(
            submission=entry, fields={"title": " ".join(["x"] * 26)}, by=official
        )
    assert refused.value.message_dict == {"title": ["26 words: the limit is 25."]}
    entry.refresh_from_db()
    assert entry.title == " ".join(["w"] * 25)


def test_an_emptied_answer_is_stored_empty_and_an_emptied_date_as_none(official):
    entry = _draft(
        official,
        title="Old",
        abstract="Old",
        domains=["governance"],
        innovation_types=["engagement"],
        start_date=dt.date(2019, 3, 1),
        end_date=dt.date(2022, 3, 1),
    )
    apps.submission_update(
        submission=entry,
        fields={
            "title": None,
            "abstract": None,
            "domains": None,
            "innovation_types": None,
            "start_date": None,
            "end_date": None,
        },
        by=official,
    )
    entry.refresh_from_db()
    assert (entry.title, entry.abstract) == ("", "")
    assert (entry.domains, entry.innovation_types) == ([], [])
    assert (entry.start_date, entry.end_date) == (None, None)


def test_ticking_ongoing_clears_the_stored_end_date(official):
    entry = _draft(official, start_date=dt.date(2019, 3, 1), end_date=dt.date(2022, 3, 1))
    apps.submission_update(submission=entry, fields={"ongoing": True}, by=official)
    entry.refresh_from_db()
    assert (entry.ongoing, entry.end_date) == (True, None)


def test_ticking_ongoing_with_an_end_date_given_stores_no_end_date(official):
    entry = _draft(official, start_date=dt.date(2019, 3, 1))
    apps.submission_update(
        submission=entry, fields={"ongoing": True, "end_date": dt.date(2022, 3, 1)}, by=official
    )
    entry.refresh_from_db()
    assert (entry.ongoing, entry.end_date) == (True, None)


def test_the_date_rule_is_checked_only_when_a_date_is_saved(official):
    # A start date the cycle's rule refuses, stored before the rule was tightened.
    entry = _draft(official, start_date=timezone.now().date())
    apps.submission_update(submission=entry, fields={"title": "Still saved"}, by=official)
    entry.refresh_from_db()
    assert entry.title == "Still saved"


def _assigned_columns(update: str) -> list[str]:
    assigned = update.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    return sorted(part.split(" = ")[0].strip('"') for part in assigned.split(", "))


@pytest.mark.parametrize(
    ("fields", "contacts", "columns"),
    [
        ({"title": "New"}, None, ["title", "updated_at"]),
        ({}, [{"name": "A", "email": "a@example.org"}], ["updated_at"]),
    ],
)
def test_a_save_writes_only_the_answers_given_and_the_time(official, fields, contacts, columns):
    # An end date left beside a ticked "ongoing" (as an import or the admin may leave
    # it) is not touched by a save that does not concern the dates.
    entry = _draft(official, ongoing=True, end_date=dt.date(2022, 3, 1))
    with CaptureQueriesContext(connection) as queries:
        apps.submission_update(submission=entry, fields=fields, contacts=contacts, by=official)
    [update] = _updates(queries.captured_queries)
    assert _assigned_columns(update) == columns
    entry.refresh_from_db()
    assert entry.end_date == dt.date(2022, 3, 1)


def test_saving_a_draft_schedules_no_screening_report(official, django_capture_on_commit_callbacks):
    entry = _draft(official)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        apps.submission_update(submission=entry, fields={"title": "New"}, by=official)
        apps.partner_add(submission=entry, name="NGO", kind="civil_society", by=official)
    assert callbacks == []
    assert ScreeningReport.objects.filter(submission=entry).count() == 0


def test_a_revision_cannot_empty_required_answers_and_names_them_all(official):
    entry = _under_revision(official)
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(
            submission=entry, fields={"abstract": "", "background": "  "}, by=official
        )
    assert refused.value.messages == [
        "A submitted application cannot lose a required answer: abstract, "
        "background and policy framework."
    ]
    entry.refresh_from_db()
    assert entry.abstract and entry.background


def test_an_empty_update_writes_nothing(official, django_capture_on_commit_callbacks):
    entry = _under_revision(official)
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks() as callbacks,
    ):
        apps.submission_update(submission=entry, fields={}, by=official)
    assert _writes(queries.captured_queries) == []
    assert callbacks == []


# --- contacts -----------------------------------------------------------------------


def test_three_contacts_are_saved_with_their_details_and_a_fourth_is_refused(official):
    entry = _draft(official)
    before = Submission.objects.get(pk=entry.pk).updated_at
    apps.submission_update(
        submission=entry,
        contacts=[
            {"name": "A", "email": "a@example.org", "position": "Mayor", "phone": "+55 1"},
            {"name": "B", "email": "b@example.org"},
            {"name": "C", "email": "c@example.org"},
        ],
        by=official,
    )
    assert list(entry.contacts.values_list("name", "position", "phone", "order")) == [
        ("A", "Mayor", "+55 1", 0),
        ("B", "", "", 1),
        ("C", "", "", 2),
    ]
    # Changing only the contacts still marks the entry as changed.
    assert Submission.objects.get(pk=entry.pk).updated_at > before
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(
            submission=entry,
            contacts=[{"name": n, "email": f"{n}@example.org"} for n in "wxyz"],
            by=official,
        )
    assert refused.value.messages == ["At most 3 contact persons."]
    assert refused.value.code == "contacts"
    assert list(entry.contacts.values_list("name", flat=True)) == ["A", "B", "C"]


def test_a_draft_may_drop_every_contact(official):
    entry = _draft(official)
    apps.submission_update(
        submission=entry, contacts=[{"name": "A", "email": "a@example.org"}], by=official
    )
    apps.submission_update(submission=entry, contacts=[], by=official)
    assert entry.contacts.count() == 0


def test_a_revision_keeps_at_least_one_contact(official, django_capture_on_commit_callbacks):
    entry = _under_revision(official)
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(submission=entry, contacts=[], by=official)
    assert refused.value.messages == ["A submitted application needs a contact person."]
    assert list(entry.contacts.values_list("name", flat=True)) == ["Ana Souza"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        apps.submission_update(
            submission=entry, contacts=[{"name": "New", "email": "n@example.org"}], by=official
        )
    assert list(entry.contacts.values_list("name", flat=True)) == ["New"]
    # A revision of the contacts alone rebuilds the Secretariat's screening report.
    assert len(callbacks) == 1
    assert ScreeningReport.objects.filter(submission=entry).count() == 1


# --- goals --------------------------------------------------------------------------


def test_goals_1_and_17_are_saved(official):
    entry = _draft(official)
    apps.submission_update(submission=entry, goals=[17, 1], by=official)
    assert list(entry.goals.order_by("goal").values_list("goal", flat=True)) == [1, 17]


@pytest.mark.parametrize("outside", [0, 18])
def test_a_goal_outside_1_to_17_is_refused_and_nothing_is_written(official, outside):
    entry = _draft(official)
    apps.submission_update(submission=entry, goals=[5], by=official)
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(
            submission=entry, fields={"title": "New"}, goals=[3, outside], by=official
        )
    assert refused.value.message_dict == {"goals": ["Goals are numbered 1 to 17."]}
    entry.refresh_from_db()
    assert entry.title == ""
    assert list(entry.goals.values_list("goal", flat=True)) == [5]


def test_a_draft_may_drop_every_goal(official):
    entry = _draft(official)
    apps.submission_update(submission=entry, goals=[5], by=official)
    apps.submission_update(submission=entry, goals=[], by=official)
    assert entry.goals.count() == 0


def test_a_revision_keeps_at_least_one_goal(official, django_capture_on_commit_callbacks):
    entry = _under_revision(official)
    with pytest.raises(ValidationError) as refused:
        apps.submission_update(submission=entry, goals=[], by=official)
    assert refused.value.message_dict == {
        "goals": ["A submitted application needs at least one SDG."]
    }
    assert list(entry.goals.order_by("goal").values_list("goal", flat=True)) == [11, 16]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        apps.submission_update(submission=entry, goals=[3], by=official)
    assert list(entry.goals.values_list("goal", flat=True)) == [3]
    # A revision of the goals alone rebuilds the Secretariat's screening report.
    assert len(callbacks) == 1


# --- partners -----------------------------------------------------------------------


def test_a_partner_added_without_a_role_has_an_empty_role(official):
    entry = _draft(official)
    partner = apps.partner_add(submission=entry, name="NGO", kind="civil_society", by=official)
    partner.refresh_from_db()
    assert partner.role == ""


# --- creating -----------------------------------------------------------------------


def test_starting_an_application_refusals_say_why(official):
    cycle = factories.CycleFactory(is_open=False)
    with pytest.raises(ValidationError) as refused:
        apps.submission_create(organisation=official.organisation, cycle=cycle, by=official)
    assert refused.value.messages == [f"{cycle} is not accepting applications."]
    with pytest.raises(ValidationError) as refused:
        apps.submission_create(
            organisation=factories.OrganisationFactory(),
            cycle=factories.OpenCycleFactory(),
            by=official,
        )
    assert refused.value.messages == ["Only members of a city may start its applications."]
    assert Submission.objects.count() == 0


# --- submitting ---------------------------------------------------------------------


def test_submitting_twice_is_refused_as_already_submitted(official):
    entry = factories.CompleteSubmissionFactory(
        cycle=factories.OpenCycleFactory(),
        organisation=official.organisation,
        status=Status.SUBMITTED,
    )
    assert apps.submission_submit_problems(entry) == [
        "This application has already been submitted."
    ]


def test_submitting_an_empty_draft_lists_everything_missing(official):
    entry = _draft(official)
    [missing] = apps.submission_submit_problems(entry)
    assert missing.startswith("Still missing: title, start date, ")
    assert ", , " not in missing


def test_the_consent_given_when_submitting_is_what_counts_and_is_stored(official):
    entry = factories.CompleteSubmissionFactory(
        cycle=factories.OpenCycleFactory(),
        organisation=official.organisation,
        publication_consent=False,
    )
    apps.submission_submit(submission=entry, by=official, publication_consent=True)
    entry.refresh_from_db()
    assert (entry.status, entry.publication_consent) == (Status.SUBMITTED, True)


def test_a_consent_withdrawn_when_submitting_refuses_the_submission(official):
    entry = factories.CompleteSubmissionFactory(
        cycle=factories.OpenCycleFactory(), organisation=official.organisation
    )
    with pytest.raises(ValidationError) as refused:
        apps.submission_submit(submission=entry, by=official, publication_consent=False)
    assert refused.value.messages == [
        "Please tick the box agreeing to the publication of a recognised case study."
    ]
    entry.refresh_from_db()
    assert (entry.status, entry.submitted_at) == (Status.DRAFT, None)


@pytest.mark.parametrize(("offset", "early"), [(dt.timedelta(0), True), (ONE_SECOND, False)])
def test_an_entry_submitted_at_the_early_bird_deadline_is_early_bird(official, offset, early):
    deadline = DEADLINE - dt.timedelta(days=30)
    cycle = factories.OpenCycleFactory(
        opens_at=DEADLINE - dt.timedelta(days=90),
        early_bird_deadline=deadline,
        revision_window_ends_at=DEADLINE - dt.timedelta(days=10),
        final_deadline=DEADLINE,
    )
    entry = factories.CompleteSubmissionFactory(cycle=cycle, organisation=official.organisation)
    with time_machine.travel(deadline + offset, tick=False):
        apps.submission_submit(submission=entry, by=official)
    entry.refresh_from_db()
    assert (entry.submitted_at, entry.early_bird) == (deadline + offset, early)


def test_a_submission_is_judged_and_stamped_at_the_one_moment_it_started(official):
    """The clock passing the deadline while the submission runs does not refuse it."""
    cycle = factories.OpenCycleFactory(
        opens_at=DEADLINE - dt.timedelta(days=90),
        early_bird_deadline=DEADLINE - dt.timedelta(days=30),
        revision_window_ends_at=DEADLINE - dt.timedelta(days=10),
        final_deadline=DEADLINE,
    )
    entry = factories.CompleteSubmissionFactory(cycle=cycle, organisation=official.organisation)
    readings = iter([DEADLINE - ONE_SECOND])
    with mock.patch.object(
        apps.timezone, "now", side_effect=lambda: next(readings, DEADLINE + ONE_SECOND)
    ):
        apps.submission_submit(submission=entry, by=official)
    entry.refresh_from_db()
    assert (entry.status, entry.submitted_at) == (Status.SUBMITTED, DEADLINE - ONE_SECOND)


# --- withdrawing --------------------------------------------------------------------


def test_a_withdrawal_keeps_the_citys_note(official):
    entry = _draft(official)
    apps.submission_withdraw(submission=entry, by=official, note="We merged two entries.")
    other = factories.SubmissionFactory(cycle=entry.cycle, organisation=official.organisation)
    apps.submission_withdraw(submission=other, by=official)
    assert list(StatusChange.objects.order_by("pk").values_list("note", flat=True)) == [
        "We merged two entries.",
        "",
    ]


# --- clarifications -----------------------------------------------------------------


@pytest.mark.parametrize("answer", [None, "", "   "])
def test_an_empty_answer_to_a_clarification_is_refused(official, answer):
    entry = factories.CompleteSubmissionFactory(
        cycle=factories.OpenCycleFactory(),
        organisation=official.organisation,
        status=Status.CLARIFICATION,
    )
    question = factories.ClarificationRequestFactory(submission=entry)
    with pytest.raises(ValidationError) as refused:
        apps.submission_answer_clarification(clarification=question, answer=answer, by=official)
    assert refused.value.message_dict == {"answer": ["Please write your answer."]}
    question.refresh_from_db()
    assert (question.answer, question.answered_at) == ("", None)
    assert Submission.objects.get(pk=entry.pk).status == Status.CLARIFICATION


def test_answering_twice_says_it_was_already_answered(official):
    entry = factories.CompleteSubmissionFactory(
        cycle=factories.OpenCycleFactory(),
        organisation=official.organisation,
        status=Status.CLARIFICATION,
    )
    question = factories.ClarificationRequestFactory(submission=entry)
    apps.submission_answer_clarification(clarification=question, answer="Yes.", by=official)
    # The caller's copy shows the answer without reloading it.
    assert question.answer == "Yes." and question.answered_at is not None
    with pytest.raises(ValidationError) as refused:
        apps.submission_answer_clarification(clarification=question, answer="Again", by=official)
    assert refused.value.messages == ["This question has already been answered."]


def test_a_clarification_of_an_entry_no_longer_waiting_cannot_be_answered(official):
    entry = factories.CompleteSubmissionFactory(
        cycle=factories.OpenCycleFactory(),
        organisation=official.organisation,
        status=Status.SUBMITTED,
    )
    question = factories.ClarificationRequestFactory(submission=entry)
    with pytest.raises(ValidationError) as refused:
        apps.submission_answer_clarification(clarification=question, answer="Late", by=official)
    assert refused.value.messages == ["This entry is no longer waiting for a clarification."]
    question.refresh_from_db()
    assert (question.answer, question.answered_at) == ("", None)
    assert StatusChange.objects.count() == 0
