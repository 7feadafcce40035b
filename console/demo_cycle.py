"""The demo's share of issue 7: the past cycle judged through the real services
(reviews, close, rank, hearings, the committee's analysis, a signed jury report),
and an early-bird feedback sent in the open cycle. Called by ``load_demo``."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts import roles
from judging.models import Assignment, Panel, PanelKind
from judging.services.assignment import assignment_add, assignment_confirm_no_conflict
from judging.services.hearings import (
    hearing_presentation_set,
    hearing_session_create,
    hearing_slot_assign,
    hearing_slot_confirm,
)
from judging.services.outcomes import panel_close, proposal_move, proposals_build
from judging.services.panels import criteria_create_defaults, member_invite, panel_get_or_create
from judging.services.ranking import ranking_compute
from judging.services.reports import jury_report_sign, shortlist_report_save
from judging.services.reviews import review_save
from submissions.models import Organisation, Submission
from submissions.services.applications import submission_update
from submissions.services.feedback import checklist_choices, feedback_save, feedback_send
from submissions.services.screening import screening_report_build
from submissions.workflow import SHORTLISTED_OR_BETTER, VALID, Status

DOMAIN = "demo.gzaward.org"
PAST_TC = [
    (f"tc.chair@{DOMAIN}", "Prof. Lin Wei", "CN", "Tsinghua University", True),
    (f"tc.member@{DOMAIN}", "Dr. Amélie Laurent", "FR", "Sciences Po Urban School", False),
    (f"tc.4@{DOMAIN}", "Ms. Sofia Ramírez", "MX", "UN-Habitat", False),
]
PAST_JURY = [
    (f"jury.chair@{DOMAIN}", "Dr. Aisha Bello", "NG", "Former mayor", True),
    (f"jury.2@{DOMAIN}", "Mr. Erik Lindqvist", "SE", "UCLG", False),
    (f"jury.3@{DOMAIN}", "Ms. Priya Natarajan", "IN", "IIHS", False),
]
# Scores that reproduce the imported outcomes when ranked.
TC_SCORE = {
    Status.WINNER: 9,
    Status.MEDAL_OF_HONOR: 8,
    Status.SPECIAL_MENTION: 8,
    Status.SHORTLISTED: 8,
    Status.DESERVING: 6,
    Status.NOT_SELECTED: 4,
}
JURY_SCORE = {Status.WINNER: 9, Status.SPECIAL_MENTION: 7, Status.MEDAL_OF_HONOR: 6}
TC_OUTCOME = {s: Status.SHORTLISTED for s in SHORTLISTED_OR_BETTER} | {
    Status.DESERVING: Status.DESERVING,
    Status.NOT_SELECTED: Status.NOT_SELECTED,
}


def _panel(cycle, kind, people, staff, user, group):
    panel = panel_get_or_create(cycle=cycle, kind=kind)
    criteria_create_defaults(panel=panel)
    members = []
    for email, name, country, affiliation, chair in people:
        user(email, name, group)
        member, _created = member_invite(
            panel=panel,
            email=email,
            full_name=name,
            country=country,
            affiliation=affiliation,
            is_chair=chair,
            by=staff,
        )
        members.append(member)
    return panel, members


def _score(panel, members, entries, score_of, staff):
    criteria = list(panel.criteria.all())
    is_tc = panel.kind == PanelKind.TECHNICAL_COMMITTEE
    for entry in entries:
        for member in members:
            try:
                assignment = assignment_add(panel=panel, submission=entry, member=member, by=staff)
            except ValidationError:
                continue  # same country: the automatic conflict rule keeps them apart
            assignment_confirm_no_conflict(assignment=assignment, by=member.user)
            value = score_of[entry.status]
            review_save(
                assignment=assignment,
                values={c.pk: min(max(value, c.scale_min), c.scale_max) for c in criteria},
                comments={},
                overall_comment="Read before the meeting; discussed in session.",
                recommendation=(
                    {9: "shortlist", 8: "shortlist", 6: "deserving"}.get(value, "not_recommended")
                    if is_tc
                    else ""
                ),
                submit=True,
                by=member.user,
            )


def _close_rank_and_match(panel, staff, outcome_of):
    """Close, rank and propose; proposals are moved to the outcomes the cycle
    actually gave (imported), so the stage reads as it was decided."""
    panel_close(panel=panel, by=staff)
    ranking_compute(panel=panel)
    proposals_build(panel=panel)
    for proposal in panel.proposals.select_related("submission"):
        wanted = outcome_of.get(proposal.submission.status, proposal.outcome)
        if proposal.outcome != wanted:
            proposal_move(
                proposal=proposal,
                outcome=wanted,
                reason="The jury singles out its youth engagement.",
                by=staff,
            )


def past_cycle_judging(*, cycle, staff, now, user) -> None:
    """Both stages of the imported past cycle, closed and ranked; hearings with
    slots (one confirmed, with a presentation); the committee's analysis; the jury
    report signed by the jury chair. Runs before the cycle is published."""
    entries = list(
        Submission.objects.filter(cycle=cycle, status__in=VALID)
        .select_related("organisation")
        .order_by("sequence")
    )
    shortlisted = [e for e in entries if e.status in SHORTLISTED_OR_BETTER]
    # The small demo cycle's quotas, so that the ranking proposes what was decided.
    type(cycle).objects.filter(pk=cycle.pk).update(
        shortlist_quota=len(shortlisted),
        deserving_quota=sum(1 for e in entries if e.status == Status.DESERVING),
        winner_quota=sum(1 for e in entries if e.status == Status.WINNER),
    )
    cycle.refresh_from_db()

    tc, tc_members = _panel(
        cycle, PanelKind.TECHNICAL_COMMITTEE, PAST_TC, staff, user, roles.TECHNICAL_COMMITTEE
    )
    _score(tc, tc_members, entries, TC_SCORE, staff)
    _close_rank_and_match(tc, staff, TC_OUTCOME)

    jury, jury_members = _panel(cycle, PanelKind.JURY, PAST_JURY, staff, user, roles.JURY)
    _score(jury, jury_members, shortlisted, JURY_SCORE, staff)
    _close_rank_and_match(jury, staff, {s: s for s in JURY_SCORE})

    # The public hearings, in Guangzhou and online, by theme.
    first = (now - dt.timedelta(days=450)).replace(hour=1, minute=0, second=0, microsecond=0)
    sessions = [
        hearing_session_create(
            cycle=cycle,
            starts_at=first,
            place="Guangzhou International Convention Centre, Hall B",
            online_link="https://meet.example.org/gza-hearing-1",
            theme="Resilient and green cities",
            by=staff,
        ),
        hearing_session_create(
            cycle=cycle,
            starts_at=first + dt.timedelta(days=1),
            place="Guangzhou International Convention Centre, Hall B",
            online_link="",
            theme="Governance and participation",
            by=staff,
        ),
    ]
    for i, entry in enumerate(shortlisted):
        session = sessions[i % 2]
        hearing_slot_assign(
            session=session,
            submission=entry,
            starts_at=session.starts_at + dt.timedelta(minutes=30 * (i // 2)),
            minutes=25,
            by=staff,
        )
    lumen = next((e for e in shortlisted if e.organisation.name == "Lumen"), None)
    if lumen is not None:
        official = user(f"official2@{DOMAIN}", "Official of Lumen")
        if official.organisation_id is None:
            official.organisation = Organisation.objects.get(pk=lumen.organisation_id)
            official.save(update_fields=["organisation"])
        slot = lumen.hearing_slot
        hearing_slot_confirm(
            slot=slot,
            delegates=[
                {"name": "Kadri Tamm", "position": "Deputy Mayor"},
                {"name": "Jaan Sepp", "position": "Head of Digital Services"},
            ],
            by=official,
        )
        hearing_presentation_set(
            slot=slot, video_url="https://video.example.org/lumen-digital-front-desk", by=official
        )

    # The committee's analysis, written by its chair for the jury.
    tc_chair = next(m.user for m in tc_members if m.is_chair)
    shortlist_report_save(
        cycle=cycle,
        text=(
            "The committee read 20 valid entries over three days. The shortlist balances "
            "five continents and the five domains; climate adaptation and open government "
            "were the strongest themes. Evidence of results was the deciding criterion."
        ),
        summaries={
            e.pk: f"{e.organisation.name}: strong evidence of results; transferable with "
            "modest resources. The committee discussed its scale and recommends it unanimously."
            for e in shortlisted
        },
        by=tc_chair,
    )

    # The stages were decided long ago: their dates say so.
    Panel.objects.filter(pk=tc.pk).update(
        closed_at=now - dt.timedelta(days=610), released_at=now - dt.timedelta(days=600)
    )
    Panel.objects.filter(pk=jury.pk).update(
        closed_at=now - dt.timedelta(days=425), released_at=now - dt.timedelta(days=420)
    )
    Assignment.objects.filter(panel__in=[tc, jury]).update(
        no_conflict_confirmed_at=now - dt.timedelta(days=620)
    )
    cycle.refresh_from_db()
    jury_report_sign(cycle=cycle, by=next(m.user for m in jury_members if m.is_chair))
    type(cycle).objects.filter(pk=cycle.pk).update(
        jury_report_signed_at=now - dt.timedelta(days=405)
    )


def current_cycle_feedback(*, cycle, staff) -> None:
    """Early-bird feedback sent to Lumen's entry, which the city then revised."""
    entry = (
        Submission.objects.filter(cycle=cycle, early_bird=True, status=Status.SUBMITTED)
        .select_related("organisation")
        .filter(organisation__name="Lumen")
        .first()
    )
    if entry is None:
        return
    screening_report_build(submission=entry)
    points = [code for code, _label in checklist_choices(entry) if code == "evidence"]
    feedback_save(
        submission=entry,
        text=(
            "Thank you for entering early. Your results section would be stronger with "
            "figures before and after the data trust started, and the resources section "
            "should say how the trust is funded after 2026."
        ),
        checklist=points,
        by=staff,
    )
    feedback_send(submission=entry, by=staff)
    official = (
        get_user_model()
        .objects.filter(organisation_id=entry.organisation_id)
        .order_by("pk")
        .first()
    )
    submission_update(
        submission=entry,
        fields={
            "results": entry.results
            + " Before the trust, 12% of residents shared data with the city; after two "
            "years, 46% do (city survey, n=3,000)."
        },
        by=official,
    )
