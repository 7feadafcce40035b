from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from judging.models import Criterion, Panel, PanelMember
from submissions.classifications import Topic
from submissions.models import Cycle, DeadlineChange, Submission
from submissions.services.cycles import cycle_change_dates, cycle_create, cycle_update_settings
from submissions.services.topics import submission_set_topic, submission_set_topic_bulk
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry

BJ = ZoneInfo("Asia/Shanghai")


def _at(day, hour=12):
    return datetime(2027, 1, day, hour, 0, tzinfo=BJ)


def test_cycle_create_records_initial_dates(db, secretariat):
    cycle = cycle_create(
        number=8,
        year="2027/28",
        theme="Cities for all",
        dates={"opens_at": _at(1), "final_deadline": _at(30)},
        by=secretariat,
    )

    assert (cycle.number, cycle.year, cycle.theme, cycle.is_open) == (
        8,
        "2027/28",
        "Cities for all",
        False,
    )
    rows = list(
        DeadlineChange.objects.filter(cycle=cycle)
        .order_by("field")
        .values_list("field", "old_value", "new_value", "changed_by")
    )
    assert rows == [
        ("final_deadline", None, _at(30), secretariat.pk),
        ("opens_at", None, _at(1), secretariat.pk),
    ]


def test_cycle_create_refuses_a_number_in_use(db, secretariat):
    factories.CycleFactory(number=8)

    with pytest.raises(ValidationError) as error:
        cycle_create(number=8, year="2027", by=secretariat)

    assert error.value.message_dict == {"number": ["Cycle 8 already exists."]}
    assert Cycle.objects.count() == 1


def test_cycle_create_copies_settings_panels_criteria_members_not_entries(db, secretariat):
    source = factories.CycleFactory(
        number=7,
        shortlist_quota=12,
        deserving_quota=20,
        winner_quota=4,
        medals_of_honor=False,
        word_limits={"abstract": 200},
        max_file_mb=15,
        votes_per_ip_per_day=7,
        jury_report="Old report",
    )
    entry(cycle=source, status=Status.WINNER)
    expert = factories.UserFactory()
    chair = factories.UserFactory()
    tc = Panel.objects.create(
        cycle=source,
        kind="tc",
        reviewers_per_entry=4,
        conflict_scope="continent",
        normalise=True,
        tie_break=["chair"],
    )
    Criterion.objects.create(panel=tc, name="Innovation", weight=2, scale_max=5, order=1)
    Criterion.objects.create(panel=tc, name="Impact", order=2)
    PanelMember.objects.create(
        panel=tc, user=expert, country="KE", affiliation="UN-Habitat", expertise=["Smart city"]
    )
    PanelMember.objects.create(panel=tc, user=chair, is_chair=True)
    Panel.objects.create(cycle=source, kind="jury")

    copy = cycle_create(number=8, year="2027/28", copy_from=source, by=secretariat)

    copy.refresh_from_db()
    assert (
        copy.shortlist_quota,
        copy.deserving_quota,
        copy.winner_quota,
        copy.medals_of_honor,
    ) == (12, 20, 4, False)
    assert (copy.word_limits, copy.max_file_mb, copy.votes_per_ip_per_day, copy.jury_report) == (
        {"abstract": 200},
        15,
        7,
        "",
    )
    assert Submission.objects.filter(cycle=copy).count() == 0
    new_tc = Panel.objects.get(cycle=copy, kind="tc")
    assert (
        new_tc.reviewers_per_entry,
        new_tc.conflict_scope,
        new_tc.normalise,
        new_tc.tie_break,
    ) == (4, "continent", True, ["chair"])
    assert list(new_tc.criteria.values_list("name", "weight", "scale_max", "order")) == [
        ("Innovation", 2, 5, 1),
        ("Impact", 1, 10, 2),
    ]
    assert sorted(new_tc.members.values_list("user_id", "is_chair", "affiliation")) == sorted(
        [(expert.pk, False, "UN-Habitat"), (chair.pk, True, "")]
    )
    assert Panel.objects.filter(cycle=copy, kind="jury").count() == 1
    assert Panel.objects.filter(cycle=source).count() == 2


def test_cycle_change_dates_keeps_history_with_reason(db, secretariat):
    cycle = factories.CycleFactory(
        opens_at=_at(1),
        early_bird_deadline=_at(10),
        revision_window_ends_at=_at(15),
        final_deadline=_at(20),
    )

    rows = cycle_change_dates(
        cycle=cycle,
        dates={
            "opens_at": _at(1),
            "early_bird_deadline": _at(10),
            "revision_window_ends_at": _at(15),
            "final_deadline": _at(27),
        },
        reason="Extension requested by many cities",
        by=secretariat,
    )

    cycle.refresh_from_db()
    assert cycle.final_deadline == _at(27)
    assert [(r.field, r.old_value, r.new_value, r.reason, r.changed_by) for r in rows] == [
        ("final_deadline", _at(20), _at(27), "Extension requested by many cities", secretariat)
    ]
    assert DeadlineChange.objects.filter(cycle=cycle).count() == 1


def test_cycle_change_dates_requires_a_reason(db, secretariat):
    cycle = factories.CycleFactory(final_deadline=_at(20))

    with pytest.raises(ValidationError) as error:
        cycle_change_dates(
            cycle=cycle, dates={"final_deadline": _at(25)}, reason="  ", by=secretariat
        )

    assert error.value.message_dict == {"reason": ["Please say why the dates change."]}
    cycle.refresh_from_db()
    assert cycle.final_deadline == _at(20)
    assert DeadlineChange.objects.count() == 0


def test_cycle_change_dates_refuses_dates_out_of_order(db, secretariat):
    cycle = factories.CycleFactory(
        opens_at=_at(1),
        early_bird_deadline=_at(10),
        revision_window_ends_at=_at(15),
        final_deadline=_at(20),
    )

    with pytest.raises(ValidationError) as error:
        cycle_change_dates(
            cycle=cycle, dates={"final_deadline": _at(5)}, reason="typo", by=secretariat
        )

    assert error.value.message_dict == {
        "early_bird_deadline": ["The early-bird deadline must come before the final deadline."]
    }
    cycle.refresh_from_db()
    assert (cycle.early_bird_deadline, cycle.final_deadline) == (_at(10), _at(20))
    assert DeadlineChange.objects.count() == 0


def test_cycle_change_dates_with_nothing_changed_says_so(db, secretariat):
    cycle = factories.CycleFactory(final_deadline=_at(20))

    with pytest.raises(ValidationError) as error:
        cycle_change_dates(
            cycle=cycle, dates={"final_deadline": _at(20)}, reason="none", by=secretariat
        )

    assert error.value.messages == ["No date was changed."]
    assert DeadlineChange.objects.count() == 0


def test_cycle_update_settings_refuses_a_second_open_cycle(db, secretariat):
    factories.OpenCycleFactory(number=7)
    other = factories.CycleFactory(number=8)

    with pytest.raises(ValidationError) as error:
        cycle_update_settings(cycle=other, data={"is_open": True, "theme": "New"}, by=secretariat)

    assert error.value.message_dict == {
        "is_open": ["Cycle 7 is already open for applications: close it before opening another."]
    }
    other.refresh_from_db()
    assert (other.is_open, other.theme) == (False, "Urban innovation for sustainable development")


def test_cycle_update_settings_saves_changes(db, secretariat):
    cycle = factories.CycleFactory(number=8)

    cycle_update_settings(
        cycle=cycle,
        data={"is_open": True, "shortlist_quota": 10, "jury_report": "Report"},
        by=secretariat,
    )

    cycle.refresh_from_db()
    assert (cycle.is_open, cycle.shortlist_quota, cycle.jury_report) == (True, 10, "Report")


def test_submission_set_topic_one_and_clear(db, secretariat):
    sub = entry(cycle=factories.CycleFactory(), status=Status.ELIGIBLE)

    submission_set_topic(submission=sub, topic=Topic.WASTE, by=secretariat)
    sub.refresh_from_db()
    assert sub.topic == Topic.WASTE.value

    submission_set_topic(submission=sub, topic="", by=secretariat)
    sub.refresh_from_db()
    assert sub.topic == ""


def test_submission_set_topic_refuses_unknown_topic(db, secretariat):
    sub = entry(cycle=factories.CycleFactory(), status=Status.ELIGIBLE)
    topic = sub.topic

    with pytest.raises(ValidationError) as error:
        submission_set_topic(submission=sub, topic="Space travel", by=secretariat)

    assert error.value.messages == ["Choose one of the 12 analytical topics."]
    sub.refresh_from_db()
    assert sub.topic == topic


def test_submission_set_topic_bulk_sets_all_or_nothing(db, secretariat):
    cycle = factories.CycleFactory()
    a = entry(cycle=cycle, status=Status.ELIGIBLE)
    b = entry(cycle=cycle, status=Status.SUBMITTED)
    other = entry(cycle=factories.CycleFactory(), status=Status.ELIGIBLE)

    with pytest.raises(ValidationError, match="not received entries of this cycle"):
        submission_set_topic_bulk(
            cycle=cycle, submission_ids=[a.pk, other.pk], topic=Topic.SMART, by=secretariat
        )
    assert list(Submission.objects.filter(topic=Topic.SMART).values_list("pk", flat=True)) == []

    assert (
        submission_set_topic_bulk(
            cycle=cycle, submission_ids=[a.pk, b.pk], topic=Topic.SMART, by=secretariat
        )
        == 2
    )
    assert sorted(
        Submission.objects.filter(topic=Topic.SMART).values_list("pk", flat=True)
    ) == sorted([a.pk, b.pk])


def test_deadline_history_order_is_newest_first(db, secretariat):
    cycle = factories.CycleFactory(final_deadline=_at(20))
    cycle_change_dates(
        cycle=cycle, dates={"final_deadline": _at(22)}, reason="first", by=secretariat
    )
    cycle_change_dates(
        cycle=cycle, dates={"final_deadline": _at(24)}, reason="second", by=secretariat
    )

    from submissions.selectors.console import deadline_change_list

    assert [c.reason for c in deadline_change_list(cycle=cycle)] == ["second", "first"]
    assert _at(24) - _at(22) == timedelta(days=2)
