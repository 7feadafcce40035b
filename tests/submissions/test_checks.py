"""The one word-limit rule, pinned on both sides of the limit in every place it acts:
the form, the saving service, the submit check and the screening report."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from submissions import checks
from submissions.forms.application import Step1Form
from submissions.models import Submission
from submissions.services.applications import submission_submit_problems, submission_update
from submissions.services.screening import screening_checks
from tests import factories

pytestmark = pytest.mark.django_db


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


@pytest.fixture
def draft():
    cycle = factories.OpenCycleFactory()
    org = factories.OrganisationFactory()
    return factories.CompleteSubmissionFactory(cycle=cycle, organisation=org)


def test_word_limit_rule_accepts_exactly_the_limit_and_refuses_one_more():
    assert checks.is_over_word_limit(150, 150) is False
    assert checks.is_over_word_limit(151, 150) is True
    assert checks.is_over_word_limit(10_000, None) is False


def test_word_limit_problem_names_the_count_and_the_limit(draft):
    limit = draft.cycle.word_limit("abstract")
    assert checks.word_limit_problem(draft.cycle, "abstract", words(limit)) is None
    assert checks.word_limit_problem(draft.cycle, "abstract", words(limit + 1)) == (
        f"{limit + 1} words: the limit is {limit}."
    )


def test_over_word_limits_at_the_limit_and_one_over(draft):
    limit = draft.cycle.word_limit("abstract")
    draft.abstract = words(limit)
    assert checks.over_word_limits(draft) == {}
    draft.abstract = words(limit + 1)
    assert checks.over_word_limits(draft) == {"abstract": (limit + 1, limit)}


def test_submit_check_word_limit_at_the_limit_and_one_over(draft):
    limit = draft.cycle.word_limit("abstract")
    draft.abstract = words(limit)
    assert submission_submit_problems(draft) == []
    draft.abstract = words(limit + 1)
    assert submission_submit_problems(draft) == [
        f"Abstract has {limit + 1} words; the limit is {limit}."
    ]


def test_screening_report_word_limit_at_the_limit_and_one_over(draft):
    limit = draft.cycle.word_limit("abstract")

    def word_check():
        return next(c for c in screening_checks(draft) if c["code"] == "word_limits")

    draft.abstract = words(limit)
    assert (word_check()["ok"], word_check()["detail"]) == (True, "")
    draft.abstract = words(limit + 1)
    assert (word_check()["ok"], word_check()["detail"]) == (False, f"abstract: {limit + 1}/{limit}")


def test_saving_word_limit_at_the_limit_and_one_over(draft):
    limit = draft.cycle.word_limit("abstract")
    official = factories.CityOfficialFactory(organisation=draft.organisation)
    submission_update(submission=draft, fields={"abstract": words(limit)}, by=official)
    assert Submission.objects.get(pk=draft.pk).abstract == words(limit)
    with pytest.raises(ValidationError) as refused:
        submission_update(submission=draft, fields={"abstract": words(limit + 1)}, by=official)
    assert refused.value.message_dict == {"abstract": [f"{limit + 1} words: the limit is {limit}."]}
    assert Submission.objects.get(pk=draft.pk).abstract == words(limit)


def test_form_word_limit_at_the_limit_and_one_over(draft):
    limit = draft.cycle.word_limit("abstract")
    at_limit = Step1Form(data={"abstract": words(limit)}, submission=draft, only="abstract")
    assert at_limit.is_valid(), at_limit.errors
    over = Step1Form(data={"abstract": words(limit + 1)}, submission=draft, only="abstract")
    assert not over.is_valid()
    assert over.errors == {"abstract": [f"{limit + 1} words: the limit is {limit}."]}


def test_over_word_limits_ignores_a_cycle_limit_on_an_unknown_answer(draft):
    draft.cycle.word_limits = {"no_such_answer": 1}
    assert checks.over_word_limits(draft) == {}


def test_step1_needs_an_end_date_unless_the_initiative_is_ongoing(draft):
    draft.ongoing, draft.end_date = False, None
    assert checks.step1_missing(draft) == ["end date (or tick “ongoing”)"]
    draft.end_date = dt.date(2024, 1, 1)
    assert checks.step1_missing(draft) == []
    draft.ongoing, draft.end_date = True, None
    assert checks.step1_missing(draft) == []


def test_step1_needs_a_contact_person_counted_or_given(draft):
    assert checks.step1_missing(draft) == []  # the factory's one contact
    assert checks.step1_missing(draft, contact_count=0) == ["at least one contact person"]
    draft.contacts.all().delete()
    assert checks.step1_missing(draft) == ["at least one contact person"]
    assert checks.step1_missing(draft, contact_count=1) == []


def test_step2_needs_at_least_one_goal_counted_or_given(draft):
    missing_goal = ["at least one Sustainable Development Goal"]
    assert checks.step2_missing(draft) == []  # the factory's two goals
    assert checks.step2_missing(draft, goal_count=1) == []
    assert checks.step2_missing(draft, goal_count=0) == missing_goal
    draft.goals.all().delete()
    assert checks.step2_missing(draft) == missing_goal
    assert checks.step2_missing(draft, goal_count=2) == []


def test_start_date_on_the_earliest_day_is_accepted_and_a_day_later_refused(draft):
    earliest = draft.cycle.earliest_start_date
    draft.start_date = earliest
    assert checks.start_date_problem(draft) is None
    draft.start_date = earliest + dt.timedelta(days=1)
    assert checks.start_date_problem(draft) == (
        f"The initiative must have started on or before {earliest.isoformat()} "
        "to be assessed in this cycle."
    )


def test_end_date_may_equal_the_start_date_but_not_precede_it(draft):
    draft.ongoing = False
    draft.start_date = draft.end_date = draft.cycle.earliest_start_date
    assert checks.start_date_problem(draft) is None
    draft.end_date = draft.start_date - dt.timedelta(days=1)
    assert checks.start_date_problem(draft) == "The end date is before the start date."


def test_initiative_that_ended_too_long_ago_is_refused_from_the_day_before_the_limit(draft):
    cycle = draft.cycle
    earliest_end = cycle.earliest_end_date
    draft.start_date = earliest_end - dt.timedelta(days=400)
    draft.ongoing, draft.end_date = False, earliest_end
    assert checks.start_date_problem(draft) is None
    draft.end_date = earliest_end - dt.timedelta(days=1)
    assert checks.start_date_problem(draft) == (
        f"The initiative ended more than {cycle.max_years_since_end} years before the "
        f"deadline (before {earliest_end.isoformat()})."
    )
    # An ongoing initiative has not ended: an old end date left in the form is ignored.
    draft.ongoing = True
    assert checks.start_date_problem(draft) is None
