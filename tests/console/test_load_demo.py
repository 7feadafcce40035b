"""The demo that `make run` loads: every role, both cycles, and idempotent."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from judging.models import Assignment, Panel
from submissions.models import Cycle, ScreeningReport, Submission
from submissions.workflow import Status


@pytest.mark.django_db
def test_load_demo_builds_both_cycles_and_every_role(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))
    User = get_user_model()
    groups = {
        email: set(User.objects.get(email=email).groups.values_list("name", flat=True))
        for email in (
            "secretariat@demo.gzaward.org",
            "tc.member@demo.gzaward.org",
            "jury.chair@demo.gzaward.org",
        )
    }
    assert groups == {
        "secretariat@demo.gzaward.org": {"secretariat"},
        "tc.member@demo.gzaward.org": {"technical_committee"},
        "jury.chair@demo.gzaward.org": {"jury"},
    }
    official = User.objects.get(email="official@demo.gzaward.org")
    assert official.organisation.name == "Porto Aurora"
    assert official.check_password("demo-pass-2026")

    past = Cycle.objects.get(number=6)
    assert past.is_published
    assert past.city_of_your_choice.title == "Zero-Waste Markets"
    assert Submission.objects.filter(cycle=past, imported=True).count() == 22

    current = Cycle.objects.get(number=7)
    assert current.is_open and current.accepts_submissions()
    statuses = sorted(current.submissions.values_list("status", flat=True))
    assert statuses == sorted(
        [
            Status.DRAFT,
            Status.SUBMITTED,
            Status.SUBMITTED,
            Status.ELIGIBLE,
            Status.ELIGIBLE,
            Status.CLARIFICATION,
        ]
        + [Status.ELIGIBLE] * 10  # judging/demo_reviewing.py: the TC stage and its meeting
    )
    assert ScreeningReport.objects.filter(submission__cycle=current).count() == 15
    assert Panel.objects.filter(cycle=current).count() == 2
    # 12 eligible × 3 reviewers
    assert Assignment.objects.filter(panel__cycle=current, panel__kind="tc").count() == 36


@pytest.mark.django_db
def test_load_demo_twice_adds_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))
    counts = (get_user_model().objects.count(), Submission.objects.count(), Cycle.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (
        get_user_model().objects.count(),
        Submission.objects.count(),
        Cycle.objects.count(),
    ) == counts
