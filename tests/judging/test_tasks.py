"""Tasks: idempotent, and the sweep redoes what the database shows undone."""

import datetime as dt
import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone

from judging import tasks
from judging.models import Assignment, Ranking, ReminderLog
from judging.services.assignment import assignment_staff_tc_entry
from judging.services.ranking import ranking_compute
from judging.services.reminders import award_today, reminders_send
from tests.conftest import skip_or_fail
from tests.judging.conftest import score


def test_assign_eligible_entry_twice_assigns_once(tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")
    assert tasks.assign_eligible_entry(entry.pk) == 3
    assert tasks.assign_eligible_entry(entry.pk) == 0
    assert Assignment.objects.filter(submission=entry).count() == 3


def test_sweep_staffs_eligible_entries_the_broker_lost(tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")  # became eligible, but no task ever ran
    assert tasks.sweep_unfinished_work() == 1
    assert Assignment.objects.filter(submission=entry, state="pending").count() == 3
    assert tasks.sweep_unfinished_work() == 0


def test_sweep_replaces_released_assignments(tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")
    first = assignment_staff_tc_entry(submission=entry)[0]
    # A conflict declared while the broker was down: released, never replaced.
    Assignment.objects.filter(pk=first.pk).update(
        state="released", conflict_reason="Former adviser.", replaced=False
    )
    tasks.sweep_unfinished_work()
    first.refresh_from_db()
    assert first.replaced is True
    live = Assignment.objects.filter(submission=entry).exclude(state="released")
    assert live.count() == 3
    assert first.reviewer_id not in set(live.values_list("reviewer_id", flat=True))


def test_sweep_closes_stage_past_deadline_and_ranks(tc_panel, scored_tc):
    tc_panel.scoring_deadline = timezone.now() - dt.timedelta(minutes=1)
    tc_panel.save()
    tasks.sweep_unfinished_work()
    tc_panel.refresh_from_db()
    assert tc_panel.closed_at is not None
    assert tc_panel.ranking.entries.count() == 5
    assert tc_panel.proposals.count() == 5


def test_sweep_ranks_closed_stage_without_ranking(tc_panel, scored_tc):
    tc_panel.closed_at = timezone.now()
    tc_panel.save()
    tasks.sweep_unfinished_work()
    assert tc_panel.proposals.count() == 5
    assert tasks.rank_panel(tc_panel.pk) == 0  # proposals kept: nothing new


def test_sweep_staffs_jury_after_release(cycle, tc_panel, jury_panel, jury_members, make_entry):
    tc_panel.released_at = timezone.now()
    tc_panel.closed_at = timezone.now()
    tc_panel.save()
    entry = make_entry(status="shortlisted")
    tasks.sweep_unfinished_work()
    assert Assignment.objects.filter(panel=jury_panel, submission=entry).count() == 3


def test_jury_conflict_by_country(cycle, jury_panel, jury_members, make_entry):
    entry = make_entry(status="shortlisted", country="DE")  # jury_members[0] is German
    assert tasks.assign_jury(cycle.pk) == 2
    assert not Assignment.objects.filter(reviewer=jury_members[0], submission=entry).exists()


def test_daily_reminders_in_window_once_a_day(tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")
    done, *todo = assignment_staff_tc_entry(submission=entry)
    score(done, 7)
    tc_panel.scoring_deadline = timezone.now() + dt.timedelta(days=2)
    tc_panel.save()
    assert tasks.send_daily_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.reviewer.user.email for a in todo)
    assert tasks.send_daily_reminders() == 0
    assert ReminderLog.objects.filter(sent_on=award_today()).count() == 2


def test_daily_reminders_wait_for_the_window(tc_panel, tc_members, make_entry):
    assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    tc_panel.scoring_deadline = timezone.now() + dt.timedelta(days=30)
    tc_panel.save()
    assert tasks.send_daily_reminders() == 0
    assert mail.outbox == []


def test_staff_can_remind_outside_the_window(tc_panel, tc_members, make_entry, secretariat):
    assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    assert reminders_send(panel=tc_panel, by=secretariat) == 3
    assert reminders_send(panel=tc_panel, by=secretariat) == 0
    assert len(mail.outbox) == 3
    assert "review to finish" in mail.outbox[0].subject


def test_sweep_leaves_entries_nobody_else_may_review(tc_panel, tc_members, make_entry):
    tc_panel.reviewers_per_entry = 4
    tc_panel.save()
    entry = make_entry(status="eligible", country="FR")  # the French member may not review it
    assert tasks.sweep_unfinished_work() == 1
    assert Assignment.objects.filter(submission=entry).count() == 3
    assert tasks.sweep_unfinished_work() == 0  # three is all it can get


def test_reminder_shows_deadline_in_beijing_and_member_zone(
    tc_panel, tc_members, make_entry, secretariat
):
    import datetime as dt_

    member = tc_members[1]
    member.user.time_zone = "Europe/Paris"
    member.user.save()
    assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    tc_panel.scoring_deadline = dt_.datetime(2030, 3, 1, 10, 0, tzinfo=dt_.UTC)
    tc_panel.save()
    reminders_send(panel=tc_panel, by=secretariat)
    body = next(m.body for m in mail.outbox if m.to == [member.user.email])
    assert "1 March 2030, 18:00 Beijing time" in body
    assert "(1 March 2030, 11:00 Europe/Paris)" in body


def test_rank_panel_run_twice_keeps_one_ranking(tc_panel, scored_tc):
    tc_panel.closed_at = timezone.now()
    tc_panel.save()
    tasks.rank_panel(tc_panel.pk)
    tasks.rank_panel(tc_panel.pk)
    assert Ranking.objects.filter(panel=tc_panel).count() == 1
    assert tc_panel.proposals.count() == 5


@pytest.mark.django_db(transaction=True)
def test_rank_panel_overlapping_runs_take_turns_on_the_panel_lock(tc_panel, scored_tc):
    """The close and the sweep both dispatch ``rank_panel``: the second run waits for
    the first one's commit instead of inserting a second ranking (IntegrityError)."""
    if connection.vendor != "postgresql":
        skip_or_fail("overlapping transactions need Postgres (DATABASE_URL)")
    tc_panel.closed_at = timezone.now()
    tc_panel.save()
    first_ranked, release, errors = threading.Event(), threading.Event(), []

    def first_run():
        try:
            with transaction.atomic():
                ranking_compute(panel=tc_panel)
                first_ranked.set()
                release.wait(10)  # still uncommitted while the second run starts
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    def second_run():
        try:
            tasks.rank_panel(tc_panel.pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=first_run)
    first.start()
    assert first_ranked.wait(10)
    second = threading.Thread(target=second_run)
    second.start()
    time.sleep(0.5)
    release.set()
    first.join(20)
    second.join(20)

    assert errors == []
    assert Ranking.objects.filter(panel=tc_panel).count() == 1
    assert tc_panel.proposals.count() == 5
