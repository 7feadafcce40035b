"""Three entries from submission to winner, over HTTP with the role clients."""

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from judging.models import Assignment, OutcomeProposal, Panel
from submissions.models import ClarificationRequest, StatusChange
from submissions.services.transitions import submission_transition
from tests import factories
from tests.judging.conftest import client_for


def _trail(entry):
    return list(
        StatusChange.objects.filter(submission=entry).values_list("transition", "to_status")
    )


def _score_all(panel, value_for, capture):
    """Every member of ``panel`` confirms no conflict and submits, over HTTP."""
    for member in panel.members.select_related("user"):
        client = client_for(member.user)
        queue = client.get(reverse("judging:reviewer_queue"))
        assert queue.status_code == 200
        for a in Assignment.objects.filter(reviewer=member).exclude(state="released"):
            r = client.post(reverse("judging:conflict", args=[a.pk]), {"action": "no_conflict"})
            assert r.status_code == 302
            sheet = client.get(reverse("judging:score", args=[a.pk]))
            assert sheet.status_code == 200
            data = {"action": "submit", "overall_comment": "Convincing."}
            if panel.kind == "tc":
                data["recommendation"] = "shortlist"
            for c in panel.criteria.all():
                data[f"value_{c.pk}"] = str(value_for(a.submission))
            with capture(execute=True):
                r = client.post(reverse("judging:score", args=[a.pk]), data)
            assert r.status_code == 302, r.content.decode()[:500]


def test_entries_go_from_submission_to_winner(
    client, secretariat, secretariat_client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    cycle = factories.CycleFactory(shortlist_quota=1, deserving_quota=1, winner_quota=1)
    officials, entries = [], []
    for _ in range(3):
        official = factories.CityOfficialFactory()
        entry = factories.CompleteSubmissionFactory(cycle=cycle, organisation=official.organisation)
        with capture(execute=True):
            submission_transition(submission=entry, to="submitted", by=official)
        officials.append(official)
        entries.append(entry)
    a, b, c = entries
    assert len(mail.outbox) == 3  # acknowledgements

    # The Secretariat sets up both panels and invites the members.
    for kind, people in (
        ("tc", [("tc1", "FR"), ("tc2", "KE"), ("tc3", "JP")]),
        ("jury", [("j1", "DE"), ("j2", "IN")]),
    ):
        url = reverse("judging:panel_setup", args=[cycle.number, kind])
        assert secretariat_client.get(url).status_code == 200
        assert secretariat_client.post(url, {"action": "create"}).status_code == 302
        for i, (name, country) in enumerate(people):
            with capture(execute=True):
                r = secretariat_client.post(
                    url,
                    {
                        "action": "invite",
                        "invite-email": f"{name}@example.org",
                        "invite-full_name": name.upper(),
                        "invite-country": country,
                        "invite-is_chair": "on" if i == 0 else "",
                    },
                )
            assert r.status_code == 302
    tc = Panel.objects.get(cycle=cycle, kind="tc")
    jury = Panel.objects.get(cycle=cycle, kind="jury")
    r = secretariat_client.post(
        reverse("judging:panel_setup", args=[cycle.number, "tc"]),
        {
            "action": "settings",
            "panel-reviewers_per_entry": "2",
            "panel-conflict_scope": "country",
            "panel-aggregation": "mean",
            "panel-reminder_days_before": "5",
            "panel-disagreement_threshold": "2",
            "panel-tie_break_text": "shortlist_recommendations",
        },
    )
    assert r.status_code == 302
    assert len(mail.outbox) == 3 + 5  # invitations
    assert not User.objects.get(email="tc1@example.org").has_usable_password()
    mail.outbox.clear()

    # Screening: A eligible; B asked, answered, then eligible; C not eligible.
    detail = lambda e: reverse("judging:screening_detail", args=[e.pk])  # noqa: E731
    queue = secretariat_client.get(reverse("judging:screening_queue") + f"?cycle={cycle.number}")
    assert [e.pk for e in queue.context["entries"]] == [a.pk, b.pk, c.pk]
    with capture(execute=True):
        assert secretariat_client.post(detail(a), {"action": "eligible"}).status_code == 302
        assert (
            secretariat_client.post(
                detail(b), {"action": "clarify", "clar-question": "Who funds it?"}
            ).status_code
            == 302
        )
        assert (
            secretariat_client.post(
                detail(c),
                {
                    "action": "ineligible",
                    "inel-reason": "no_evidence",
                    "inel-note": "No results shown.",
                },
            ).status_code
            == 302
        )
    question = ClarificationRequest.objects.get(submission=b)
    question.answer, question.answered_at = "The city budget.", timezone.now()
    question.save()
    with capture(execute=True):
        submission_transition(submission=b, to="submitted", by=officials[1])
    assert b"The city budget." in secretariat_client.get(detail(b)).content
    with capture(execute=True):
        assert secretariat_client.post(detail(b), {"action": "eligible"}).status_code == 302
    assert Assignment.objects.filter(panel=tc).exclude(state="released").count() == 4
    # A passed, B asked, C refused, B passed: every decision is emailed to the city.
    assert [m.to[0] for m in mail.outbox] == [
        officials[0].email,
        officials[1].email,
        officials[2].email,
        officials[1].email,
    ]
    mail.outbox.clear()

    # TC scoring: A gets 9, B gets 6.
    _score_all(tc, lambda e: 9 if e.pk == a.pk else 6, capture)
    progress = secretariat_client.get(reverse("judging:progress", args=[cycle.number, "tc"]))
    assert sum(r.done for r in progress.context["rows"]) == 4

    # Close, check the ranking, release.
    with capture(execute=True):
        secretariat_client.post(
            reverse("judging:ranking", args=[cycle.number, "tc"]), {"action": "close"}
        )
    ranking = secretariat_client.get(reverse("judging:ranking", args=[cycle.number, "tc"]))
    assert [(r.submission_id, float(r.score)) for r in ranking.context["rows"]] == [
        (a.pk, 9.0),
        (b.pk, 6.0),
    ]
    with capture(execute=True):
        r = secretariat_client.post(
            reverse("judging:proposals", args=[cycle.number, "tc"]), {"action": "release"}
        )
    assert r.status_code == 302
    for e in entries:
        e.refresh_from_db()
    assert (a.status, b.status, c.status) == ("shortlisted", "deserving", "ineligible")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officials[0].email, officials[1].email])
    assert {a.pk} == set(
        Assignment.objects.filter(panel=jury).values_list("submission_id", flat=True)
    )
    mail.outbox.clear()

    # Jury scoring, citation, release: A wins.
    _score_all(jury, lambda e: 8, capture)
    with capture(execute=True):
        secretariat_client.post(
            reverse("judging:ranking", args=[cycle.number, "jury"]), {"action": "close"}
        )
    proposal = OutcomeProposal.objects.get(panel=jury, submission=a)
    assert proposal.outcome == "winner"
    proposals_url = reverse("judging:proposals", args=[cycle.number, "jury"])
    r = secretariat_client.post(proposals_url, {"action": "release"}, follow=True)
    assert "Write the citation" in r.content.decode()
    secretariat_client.post(
        proposals_url,
        {
            "action": "citation",
            "proposal": proposal.pk,
            "citation": "Budgeting by and for residents.",
        },
    )
    with capture(execute=True):
        assert secretariat_client.post(proposals_url, {"action": "release"}).status_code == 302
    a.refresh_from_db()
    assert (a.status, a.citation) == ("winner", "Budgeting by and for residents.")
    assert [m.to[0] for m in mail.outbox] == [officials[0].email]
    assert "Budgeting by and for residents." in mail.outbox[0].body

    # The audit trail.
    assert _trail(a) == [
        ("submit", "submitted"),
        ("mark_eligible", "eligible"),
        ("tc_outcome", "shortlisted"),
        ("jury_outcome", "winner"),
    ]
    assert _trail(b) == [
        ("submit", "submitted"),
        ("request_clarification", "clarification"),
        ("answer_clarification", "submitted"),
        ("mark_eligible", "eligible"),
        ("tc_outcome", "deserving"),
    ]
    assert _trail(c) == [("submit", "submitted"), ("mark_ineligible", "ineligible")]
    assert set(
        StatusChange.objects.filter(transition__in=["tc_outcome", "jury_outcome"]).values_list(
            "by", flat=True
        )
    ) == {secretariat.pk}
    # City officials never see scores or reviewers.
    assert (
        client_for(officials[0])
        .get(reverse("judging:ranking", args=[cycle.number, "jury"]))
        .status_code
        == 403
    )
