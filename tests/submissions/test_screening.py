"""The automatic screening report."""

import datetime as dt

import pytest

from submissions.models import ScreeningReport
from submissions.services.screening import screening_report_build, similar_titles
from submissions.workflow import Status
from tests import factories


def _checks(report):
    return {c["code"]: c["ok"] for c in report.checks}


@pytest.mark.django_db
def test_screening_report_is_clean_for_a_complete_entry_with_a_document():
    submission = factories.CompleteSubmissionFactory(status=Status.SUBMITTED)
    factories.AttachmentFactory(submission=submission)
    report = screening_report_build(submission=submission)
    assert _checks(report) == {
        "complete": True,
        "word_limits": True,
        "dates": True,
        "attachments": True,
        "files_present": True,
        "evidence": True,
        "on_time": True,
    }
    assert report.possible_duplicates == []
    assert report.is_clean is True


@pytest.mark.django_db
def test_screening_report_flags_missing_answers_word_limits_and_a_too_new_start():
    cycle = factories.CycleFactory(earliest_start_date=dt.date(2020, 1, 1))
    submission = factories.CompleteSubmissionFactory(
        cycle=cycle,
        status=Status.SUBMITTED,
        start_date=dt.date(2023, 5, 1),
        lessons="",
        abstract="word " * 151,
    )
    report = screening_report_build(submission=submission)
    checks = _checks(report)
    assert (checks["complete"], checks["word_limits"], checks["dates"], checks["evidence"]) == (
        False,
        False,
        False,
        False,
    )
    details = {c["code"]: c["detail"] for c in report.checks}
    assert "abstract: 151/150" in details["word_limits"]
    assert "lessons learned" in details["complete"]
    assert report.is_clean is False


@pytest.mark.django_db
def test_screening_report_lists_the_same_citys_entries_with_a_similar_title():
    organisation = factories.OrganisationFactory()
    earlier_cycle = factories.CycleFactory(number=5)
    cycle = factories.CycleFactory(number=6)
    earlier = factories.SubmissionFactory(
        cycle=earlier_cycle,
        organisation=organisation,
        status=Status.NOT_SELECTED,
        title="Participatory Budgeting for Neighbourhood Parks",
    )
    factories.SubmissionFactory(
        cycle=earlier_cycle, organisation=organisation, status=Status.WINNER, title="Night buses"
    )
    factories.SubmissionFactory(  # another city: never a duplicate
        cycle=earlier_cycle,
        status=Status.WINNER,
        title="Participatory budgeting for neighbourhood parks",
    )
    submission = factories.CompleteSubmissionFactory(
        cycle=cycle,
        organisation=organisation,
        status=Status.SUBMITTED,
        title="Participatory budgeting for neighbourhood parks!",
    )
    report = screening_report_build(submission=submission)
    assert [d["reference"] for d in report.possible_duplicates] == [earlier.reference]
    assert report.is_clean is False


@pytest.mark.django_db
def test_screening_report_build_twice_keeps_one_report():
    submission = factories.CompleteSubmissionFactory(status=Status.SUBMITTED)
    first = screening_report_build(submission=submission)
    # The entry changes between the two builds (a resubmission): the report follows.
    submission.title = ""
    submission.save(update_fields=["title"])
    again = screening_report_build(submission=submission)
    assert ScreeningReport.objects.filter(submission=submission).count() == 1
    stored = ScreeningReport.objects.get(submission=submission)
    assert again.pk == first.pk == stored.pk
    assert _answered_all(first) and not _answered_all(stored)


def _answered_all(report) -> bool:
    return next(c for c in report.checks if c["code"] == "complete")["ok"]


def test_similar_titles_ignores_case_and_punctuation():
    assert similar_titles("Smart Water-Meters!", "smart water meters") == 1.0
    assert similar_titles("Night buses", "Green roofs for offices") < 0.6
