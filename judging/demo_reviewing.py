"""The demo's share of issue 11: the open cycle's Technical Committee stage with
expertise, wishes, a solver-made assignment, scores from reviewers of different
leniency, a closed and ranked stage (agreement, leniency, robustness near the line,
balance of the shortlist) and the committee's meeting in progress, with threads and
a first decision. Everything goes through the real services. Called by ``load_demo``
with one line; running it twice adds nothing."""

from submissions.models import Submission
from submissions.services.organisations import organisation_create
from submissions.services.topics import submission_set_topic
from submissions.workflow import Status

from .models import Assignment, Meeting, Panel, PanelKind, PanelMember
from .services.assignment import assignment_confirm_no_conflict, assignment_staff_panel
from .services.meeting import decision_record, discussion_post, meeting_go_to, meeting_start
from .services.outcomes import panel_close, proposals_build
from .services.preferences import member_update_expertise, preferences_save
from .services.ranking import ranking_compute
from .services.reviews import review_save

DOMAIN = "demo.gzaward.org"
# (email, city, country, population, topic, title, quality 1–10)
CITIES = [
    (
        "tc-demo-1",
        "Nordhavn",
        "DK",
        650_000,
        "Energy saving and emission reduction",
        "Heat from the Harbour",
        9,
    ),
    (
        "tc-demo-2",
        "Ciudad Verde",
        "CO",
        2_400_000,
        "Inclusive community",
        "Cable Cars to the Hills",
        8,
    ),
    (
        "tc-demo-3",
        "Sana Bay",
        "SN",
        1_100_000,
        "Urban waste management",
        "Market Waste to Compost",
        8,
    ),
    ("tc-demo-4", "Kota Lestari", "ID", 3_900_000, "Resilient city", "Flood Maps by Residents", 7),
    ("tc-demo-5", "Harbourview", "AU", 480_000, "Smart city", "Open Kerbside Data", 7),
    (
        "tc-demo-6",
        "Nova Ruta",
        "PT",
        230_000,
        "Resident engagement",
        "Participatory Budget for Youth",
        6,
    ),
    (
        "tc-demo-7",
        "Al Waha",
        "JO",
        1_800_000,
        "Urban public service improvement",
        "One-Stop Permits",
        6,
    ),
    (
        "tc-demo-8",
        "Riverside",
        "US",
        11_000_000,
        "Urban renewal and infrastructure construction",
        "Highway to Park",
        5,
    ),
    (
        "tc-demo-9",
        "Mysore Park",
        "IN",
        920_000,
        "Environmental protection",
        "Lakes Brought Back",
        5,
    ),
    (
        "tc-demo-10",
        "Vila Esperança",
        "BR",
        5_600_000,
        "Government capacity building",
        "Civil Servants' Academy",
        4,
    ),
]
EXPERTISE = {
    f"tc.chair@{DOMAIN}": [
        "Smart city",
        "Government capacity building",
        "technology",
        "governance",
    ],
    f"tc.member@{DOMAIN}": ["Inclusive community", "Resident engagement", "social_cultural"],
    f"tc.3@{DOMAIN}": ["Urban waste management", "Environmental protection", "environmental"],
    f"tc.4@{DOMAIN}": [
        "Resilient city",
        "Urban renewal and infrastructure construction",
        "economic",
    ],
    f"tc.5@{DOMAIN}": ["Energy saving and emission reduction", "Smart city", "technology"],
}
# Each reviewer's habit: added to the entry's quality (lenient +, strict −).
LENIENCY = {
    f"tc.chair@{DOMAIN}": 0,
    f"tc.member@{DOMAIN}": 1,
    f"tc.3@{DOMAIN}": -2,
    f"tc.4@{DOMAIN}": 0,
    f"tc.5@{DOMAIN}": 2,
}
SHORTLIST, DESERVING = 4, 4


def load(*, cycle, staff, user, entry) -> None:
    """``user(email, name)`` and ``entry(cycle, official, title, outcome, staff)`` are
    load_demo's own helpers, so the entries look like every other demo entry."""
    panel = Panel.objects.filter(cycle=cycle, kind=PanelKind.TECHNICAL_COMMITTEE).first()
    if panel is None or Meeting.objects.filter(panel=panel).exists():
        return
    members = {
        m.user.email: m for m in PanelMember.objects.filter(panel=panel).select_related("user")
    }
    for email, topics in EXPERTISE.items():
        if email in members:
            member_update_expertise(member=members[email], expertise=topics, by=members[email].user)

    quality = {}
    for handle, city, country, population, topic, title, q in CITIES:
        official = user(f"{handle}@{DOMAIN}", f"Official of {city}")
        if official.organisation_id is None:
            organisation_create(
                data={"name": city, "country": country, "kind": "city", "population": population},
                by=official,
            )
            official.refresh_from_db()
        made = entry(cycle, official, title, "eligible", staff)
        submission_set_topic(submission=made, topic=topic, by=staff)
        quality[made.pk] = q
    # Wishes stated before the assignment runs.
    wished = {s.title: s.pk for s in Submission.objects.filter(pk__in=quality)}
    if f"tc.member@{DOMAIN}" in members:
        preferences_save(
            member=members[f"tc.member@{DOMAIN}"],
            levels={
                wished["Cable Cars to the Hills"]: "want",
                wished["Highway to Park"]: "rather_not",
            },
            by=members[f"tc.member@{DOMAIN}"].user,
        )
    cycle.shortlist_quota, cycle.deserving_quota = SHORTLIST, DESERVING
    cycle.save(update_fields=["shortlist_quota", "deserving_quota"])

    assignment_staff_panel(panel=panel, by=staff)
    _score_everything(panel, quality)
    # The stage closes and is ranked (here directly; the task will find it done).
    panel = panel_close(panel=panel, by=staff)
    ranking_compute(panel=panel)
    proposals_build(panel=panel)

    chair = members.get(f"tc.chair@{DOMAIN}")
    ranked = list(panel.ranking.entries.order_by("rank").select_related("submission"))
    meeting_start(panel=panel, by=staff)
    first, second = ranked[0].submission, ranked[1].submission
    discussion_post(
        panel=panel,
        submission=first,
        member=members.get(f"tc.3@{DOMAIN}"),
        body="Clear evidence of impact; the district heating figures are audited.",
        by=members[f"tc.3@{DOMAIN}"].user,
    )
    decision_record(
        panel=panel,
        submission=first,
        outcome=Status.SHORTLISTED,
        moved_by=chair,
        reason="Strongest evidence and a model other port cities can copy.",
        votes_for=5,
        votes_against=0,
        abstentions=0,
        by=chair.user if chair else staff,
    )
    meeting_go_to(panel=panel, submission=second, by=staff)
    discussion_post(
        panel=panel,
        submission=second,
        member=members.get(f"tc.member@{DOMAIN}"),
        body="Is the operating cost covered after the national grant ends?",
        by=members[f"tc.member@{DOMAIN}"].user,
    )


def _score_everything(panel, quality):
    criteria = list(panel.criteria.all())
    assignments = Assignment.objects.filter(
        panel=panel, submission_id__in=quality, state=Assignment.State.AWAITING_CONFLICT_CHECK
    ).select_related("reviewer__user")
    for i, a in enumerate(assignments):
        user = a.reviewer.user
        assignment_confirm_no_conflict(assignment=a, by=user)
        a.refresh_from_db()
        base = quality[a.submission_id] + LENIENCY.get(user.email, 0)
        values = {
            c.pk: max(c.scale_min, min(c.scale_max, base + ((i + j) % 3) - 1))
            for j, c in enumerate(criteria)
        }
        review_save(
            assignment=a,
            values=values,
            comments={},
            overall_comment="Scored for the demo: see the criteria.",
            recommendation="shortlist"
            if base >= 8
            else ("deserving" if base >= 6 else "not_recommended"),
            submit=True,
            by=user,
        )
