"""The one word-limit rule, pinned on both sides of the limit in every place it acts:
the form, the saving service, the submit check and the screening report."""

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
