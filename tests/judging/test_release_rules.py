"""The release as a whole (``proposals_release``): every entry moves to its outcome in
the order of the entries, with the reason it was moved for; winners' and special
mentions' citations are saved; the count returned; who is emailed; and a release that
fails halfway releases nothing, emails no one and leaves the public pages as they were.

The stored ranking is written directly (the ranking itself is tested elsewhere)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError

from judging.models import Assignment, OutcomeProposal, RankedEntry, Ranking
from judging.services.outcomes import (
    proposal_move,
    proposal_set_citation,
    proposals_build,
    proposals_release,
)
from submissions.models import StatusChange, Submission
from submissions.public_cache import GENERATION_KEY, public_generation

NOW = dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.UTC)


def _rank(panel, entries):
    """Store a ranking of ``entries`` in this order (scores 9, 8, ...)."""
    ranking, _ = Ranking.objects.get_or_create(panel=panel)
    RankedEntry.objects.bulk_create(
        RankedEntry(ranking=ranking, submission=e, rank=i + 1, score=Decimal(9 - i))
        for i, e in enumerate(entries)
    )


def _close(panel):
    panel.closed_at = NOW - dt.timedelta(days=1)
    panel.save(update_fields=["closed_at"])


def _proposal(panel, entry):
    return OutcomeProposal.objects.get(panel=panel, submission=entry)


def _changes():
    return list(
        StatusChange.objects.order_by("pk").values_list(
            "submission", "from_status", "to_status", "transition", "note", "by"
        )
    )


@pytest.fixture
def jury_ready(cycle, jury_panel, jury_members, make_entry, secretariat):
    """A jury without medals, ready to release: three shortlisted entries (by sequence),
    the last one ranked first and proposed winner, the middle one moved to a special
    mention, the first one staying shortlisted (its proposal's citation is not used)."""
    cycle.medals_of_honor, cycle.winner_quota = False, 1
    cycle.save(update_fields=["medals_of_honor", "winner_quota"])
    stays, mention, winner = (make_entry(status="shortlisted") for _ in range(3))
    # The jury read all three (the city left shortlisted is found through them).
    Assignment.objects.bulk_create(
        Assignment(panel=jury_panel, reviewer=jury_members[0], submission=e)
        for e in (stays, mention, winner)
    )
    _rank(jury_panel, [winner, stays, mention])
    proposals_build(panel=jury_panel)
    proposal_move(
        proposal=_proposal(jury_panel, mention),
        outcome="special_mention",
        reason="Young people lead it.",
        by=secretariat,
    )
    proposal_set_citation(
        proposal=_proposal(jury_panel, mention), citation="For the young.", by=secretariat
    )
    proposal_set_citation(
        proposal=_proposal(jury_panel, stays), citation="Not released.", by=secretariat
    )
    # Written outside the service (e.g. in the admin): released trimmed all the same.
    OutcomeProposal.objects.filter(panel=jury_panel, submission=winner).update(
        citation="  For courage.  "
    )
    _close(jury_panel)
    return stays, mention, winner


def test_jury_release_moves_each_entry_in_order_with_its_reason_and_saves_citations(
    jury_panel, jury_ready, secretariat, django_capture_on_commit_callbacks
):
    stays, mention, winner = jury_ready
    mail.outbox.clear()
    before = public_generation()
    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert proposals_release(panel=jury_panel, by=secretariat) == 2
    assert list(
        Submission.objects.filter(pk__in=[stays.pk, mention.pk, winner.pk])
        .order_by("sequence")
        .values_list("status", "citation")
    ) == [("shortlisted", ""), ("special_mention", "For the young."), ("winner", "For courage.")]
    assert _changes() == [
        (mention.pk, "shortlisted", "special_mention", "jury_outcome", "Young people lead it.",
         secretariat.pk),
        (winner.pk, "shortlisted", "winner", "jury_outcome", "", secretariat.pk),
    ]  # fmt: skip
    jury_panel.refresh_from_db()
    assert jury_panel.released_at == NOW
    # Each city hears once: the two moved by their move, the one left by the jury's word.
    official = {e.pk: e.organisation.members.get().email for e in jury_ready}
    assert sorted((m.to, m.subject) for m in mail.outbox) == sorted(
        [
            ([official[stays.pk]], f"Guangzhou Award: the Jury's decision on entry {stays.reference}"),
            ([official[mention.pk]], f"Guangzhou Award: the decision on entry {mention.reference}"),
            ([official[winner.pk]], f"Guangzhou Award: the decision on entry {winner.reference}"),
        ]
    )  # fmt: skip
    assert cache.get(GENERATION_KEY) != before


def test_tc_release_moves_every_entry_in_order_and_gives_the_jury_the_shortlist(
    cycle, tc_panel, jury_panel, jury_members, make_entry, secretariat,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    cycle.shortlist_quota, cycle.deserving_quota = 1, 1
    cycle.save(update_fields=["shortlist_quota", "deserving_quota"])
    first, second, third = (make_entry(status="eligible") for _ in range(3))
    _rank(tc_panel, [third, second, first])
    proposals_build(panel=tc_panel)
    _close(tc_panel)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert proposals_release(panel=tc_panel, by=secretariat) == 3
    assert _changes() == [
        (first.pk, "eligible", "not_selected", "tc_outcome", "", secretariat.pk),
        (second.pk, "eligible", "deserving", "tc_outcome", "", secretariat.pk),
        (third.pk, "eligible", "shortlisted", "tc_outcome", "", secretariat.pk),
    ]
    assert len(mail.outbox) == 3
    assert set(
        Assignment.objects.filter(panel=jury_panel).values_list("submission", flat=True)
    ) == {third.pk}


def test_release_failing_halfway_releases_nothing_and_emails_no_one(
    cycle, tc_panel, jury_panel, jury_members, make_entry, secretariat,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    cycle.shortlist_quota, cycle.deserving_quota = 1, 1
    cycle.save(update_fields=["shortlist_quota", "deserving_quota"])
    first, second = (make_entry(status="eligible") for _ in range(2))
    _rank(tc_panel, [first, second])
    proposals_build(panel=tc_panel)
    # A proposal written outside the services: the Technical Committee cannot make a
    # winner, and its entry comes second, after the first one has moved.
    OutcomeProposal.objects.filter(panel=tc_panel, submission=second).update(
        outcome="winner", citation="Never saved."
    )
    _close(tc_panel)
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        proposals_release(panel=tc_panel, by=secretariat)
    assert refused.value.messages == ["An entry cannot move from “Eligible” to “Winner”."]
    assert list(
        Submission.objects.filter(pk__in=[first.pk, second.pk])
        .order_by("sequence")
        .values_list("status", "citation")
    ) == [("eligible", ""), ("eligible", "")]
    assert StatusChange.objects.count() == 0
    tc_panel.refresh_from_db()
    assert tc_panel.released_at is None
    assert mail.outbox == []
    assert Assignment.objects.filter(panel=jury_panel).count() == 0


def test_refused_release_leaves_the_public_pages_as_they_were(jury_panel, jury_ready, secretariat):
    OutcomeProposal.objects.filter(panel=jury_panel, outcome="winner").update(citation=" ")
    before = public_generation()
    with pytest.raises(ValidationError) as refused:
        proposals_release(panel=jury_panel, by=secretariat)
    assert refused.value.messages == [f"Write the citation of {jury_ready[2].reference}."]
    assert cache.get(GENERATION_KEY) == before
    assert StatusChange.objects.count() == 0
