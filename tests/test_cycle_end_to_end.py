"""Issue 7's walk through a whole cycle, over HTTP with the role clients:
early-bird entry → feedback sent → revised → submitted → screened → scored (the
dossier downloaded by a reviewer, refused to a conflicted one) → shortlisted →
hearing slot confirmed, presentation uploaded → the jury reads the committee's
analysis → winner, a medal and a special mention → report signed → published →
certificates downloadable. PDFs are checked by their text and page count."""

import datetime as dt
import io

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from judging.models import Assignment, HearingSession, HearingSlot, OutcomeProposal, Panel
from judging.services.panels import panel_get_or_create
from submissions.models import Cycle, EarlyBirdFeedback, StatusChange
from tests import factories
from tests.judging.conftest import client_for
from tests.judging.factories import PanelMemberFactory
from tests.submissions.helpers import PDF, upload

ANALYSIS = "Three strong entries; the early-bird one improved most after feedback."


def _score_all(panel, value_for, capture):
    for member in panel.members.select_related("user"):
        client = client_for(member.user)
        for a in Assignment.objects.filter(reviewer=member).exclude(state="released"):
            assert (
                client.post(
                    reverse("judging:conflict", args=[a.pk]), {"action": "no_conflict"}
                ).status_code
                == 302
            )
            data = {"action": "submit", "overall_comment": "Convincing."}
            if panel.kind == "tc":
                data["recommendation"] = "shortlist"
            for c in panel.criteria.all():
                data[f"value_{c.pk}"] = str(value_for(a.submission))
            with capture(execute=True):
                r = client.post(reverse("judging:score", args=[a.pk]), data)
            assert r.status_code == 302, r.content.decode()[:300]


def test_a_cycle_from_early_bird_feedback_to_published_report(
    client, secretariat, secretariat_client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    now = timezone.now()
    cycle = factories.OpenCycleFactory(
        number=9,
        early_bird_deadline=now + dt.timedelta(days=5),
        revision_window_ends_at=now + dt.timedelta(days=10),
        final_deadline=now + dt.timedelta(days=20),
        shortlist_quota=3,
        deserving_quota=0,
        winner_quota=1,
    )
    tc = panel_get_or_create(cycle=cycle, kind="tc")
    jury = panel_get_or_create(cycle=cycle, kind="jury")
    tc_members = [
        PanelMemberFactory(panel=tc, country=c, is_chair=(i == 0))
        for i, c in enumerate(["FR", "KE", "JP", "CA"])
    ]
    jury_members = [
        PanelMemberFactory(panel=jury, country=c, is_chair=(i == 0))
        for i, c in enumerate(["DE", "IN"])
    ]
    officials, entries = [], []
    for _ in range(3):
        official = factories.CityOfficialFactory()
        entry = factories.CompleteSubmissionFactory(cycle=cycle, organisation=official.organisation)
        with capture(execute=True):
            r = client_for(official).post(reverse("submissions:submit", args=[entry.pk]))
        assert r.status_code == 302
        entry.refresh_from_db()
        assert entry.early_bird is True
        officials.append(official)
        entries.append(entry)
    a, b, c = entries
    city_a = client_for(officials[0])
    assert "will send you written feedback" in mail.outbox[0].body
    mail.outbox.clear()

    # Before feedback, the early-bird entry cannot be revised.
    r = city_a.post(
        reverse("submissions:field_save", args=[a.pk, "results"]), {"results": "Too early."}
    )
    a.refresh_from_db()
    assert a.results != "Too early."

    # The Secretariat writes and sends feedback on A.
    queue = secretariat_client.get(reverse("console:feedback_queue", args=[9]))
    assert [e.pk for e in queue.context["entries"]] == [a.pk, b.pk, c.pk]
    with capture(execute=True):
        r = secretariat_client.post(
            reverse("console:feedback_entry", args=[9, a.pk]),
            {"action": "send", "text": "Give figures before and after.", "checklist": ["evidence"]},
        )
    assert r.status_code == 302
    assert [m.to[0] for m in mail.outbox] == [officials[0].email]
    assert (
        "Give figures before and after."
        in city_a.get(reverse("submissions:dashboard")).content.decode()
    )

    # The city revises A within its window; the change shows field by field.
    with capture(execute=True):
        city_a.post(
            reverse("submissions:field_save", args=[a.pk, "results"]),
            {"results": a.results + " Satisfaction rose from 52% to 81%."},
        )
    a.refresh_from_db()
    assert a.results.endswith("Satisfaction rose from 52% to 81%.")
    assert EarlyBirdFeedback.objects.get(submission=a).answers_at_sending["results"] != a.results

    # The call closes; the Secretariat screens the three entries as eligible.
    Cycle.objects.filter(pk=cycle.pk).update(
        final_deadline=now - dt.timedelta(minutes=1), is_open=False
    )
    detail = secretariat_client.get(reverse("judging:screening_detail", args=[a.pk]))
    assert "Satisfaction rose from 52% to 81%." in detail.content.decode()
    assert "Changed since the early-bird feedback" in detail.content.decode()
    for e in entries:
        with capture(execute=True):
            r = secretariat_client.post(
                reverse("judging:screening_detail", args=[e.pk]), {"action": "eligible"}
            )
        assert r.status_code == 302
    assert Assignment.objects.filter(panel=tc).count() == 9

    # The reviewer sees the diff beside the entry, scores; the TC closes and releases.
    first = Assignment.objects.filter(panel=tc, submission=a).first()
    reviewer = client_for(first.reviewer.user)
    reviewer.post(reverse("judging:conflict", args=[first.pk]), {"action": "no_conflict"})
    assert (
        "Changed since the early-bird feedback"
        in reviewer.get(reverse("judging:score", args=[first.pk])).content.decode()
    )
    _score_all(tc, lambda e: {a.pk: 9, b.pk: 8, c.pk: 7}[e.pk], capture)
    with capture(execute=True):
        secretariat_client.post(reverse("judging:ranking", args=[9, "tc"]), {"action": "close"})
    with capture(execute=True):
        r = secretariat_client.post(
            reverse("judging:proposals", args=[9, "tc"]), {"action": "release"}
        )
    assert r.status_code == 302
    for e in entries:
        e.refresh_from_db()
    assert [e.status for e in entries] == ["shortlisted"] * 3
    assert Assignment.objects.filter(panel=jury).count() == 6

    # Hearings: a session, three slots; city A confirms, names delegates, uploads slides.
    hearings = reverse("console:hearings", args=[9])
    starts = (now + dt.timedelta(days=30)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert (
        secretariat_client.post(
            hearings,
            {
                "action": "session",
                "session-starts_at": starts.strftime("%Y-%m-%dT09:00"),
                "session-theme": "Participation",
                "session-online_link": "https://meet.example.org/h1",
            },
        ).status_code
        == 302
    )
    session = HearingSession.objects.get(cycle=cycle)
    for i, e in enumerate(entries):
        assert (
            secretariat_client.post(
                hearings,
                {
                    "action": "slot",
                    "entry": e.pk,
                    "session": session.pk,
                    "starts_at": starts.strftime(f"%Y-%m-%dT{9 + i:02d}:30"),
                    "minutes": "25",
                },
            ).status_code
            == 302
        )
    hearing_url = reverse("shortlist:hearing_city", args=[a.pk])
    assert "Participation" in city_a.get(hearing_url).content.decode()
    assert (
        city_a.post(
            hearing_url,
            {"action": "confirm", "del-name_1": "Ana Souza", "del-position_1": "Mayor"},
        ).status_code
        == 302
    )
    assert (
        city_a.post(
            hearing_url, {"action": "presentation", "pres-presentation": upload("slides.pdf", PDF)}
        ).status_code
        == 302
    )
    slot = HearingSlot.objects.get(submission=a)
    assert (slot.confirmed_at is not None, slot.presentation_name) == (True, "slides.pdf")
    # Another city cannot see A's slot.
    assert client_for(officials[1]).get(hearing_url).status_code == 403

    # The TC chair writes the analysis; the jury reads it beside the entries.
    analysis_url = reverse("shortlist:shortlist_report", args=[9])
    r = client_for(tc_members[0].user).post(
        analysis_url,
        {"text": ANALYSIS, f"summary_{a.pk}": "Best evidence of the three."},
    )
    assert r.status_code == 302
    juror = client_for(jury_members[1].user)
    assert ANALYSIS in juror.get(analysis_url).content.decode()
    jury_assignment = Assignment.objects.get(panel=jury, submission=a, reviewer=jury_members[1])
    juror.post(reverse("judging:conflict", args=[jury_assignment.pk]), {"action": "no_conflict"})
    sheet = juror.get(reverse("judging:score", args=[jury_assignment.pk])).content.decode()
    assert "Best evidence of the three." in sheet
    assert "slides.pdf" in sheet
    assert juror.get(reverse("shortlist:hearing_presentation", args=[slot.pk])).status_code == 200
    assert city_a.get(analysis_url).status_code == 403
    assert client.get(analysis_url).status_code == 302

    # The jury scores; A wins, B gets a special mention, C a medal.
    _score_all(jury, lambda e: {a.pk: 9, b.pk: 8, c.pk: 7}[e.pk], capture)
    proposals = reverse("judging:proposals", args=[9, "jury"])
    with capture(execute=True):
        secretariat_client.post(reverse("judging:ranking", args=[9, "jury"]), {"action": "close"})
    pa = OutcomeProposal.objects.get(panel=jury, submission=a)
    pb = OutcomeProposal.objects.get(panel=jury, submission=b)
    secretariat_client.post(
        proposals, {"action": "citation", "proposal": pa.pk, "citation": "For evidence."}
    )
    secretariat_client.post(
        proposals,
        {"action": "move", "proposal": pb.pk, "outcome": "special_mention", "reason": "Youth."},
    )
    secretariat_client.post(
        proposals, {"action": "citation", "proposal": pb.pk, "citation": "For the young."}
    )
    with capture(execute=True):
        assert secretariat_client.post(proposals, {"action": "release"}).status_code == 302
    for e in entries:
        e.refresh_from_db()
    assert [e.status for e in entries] == ["winner", "special_mention", "medal_of_honor"]

    # Publishing waits for the chair's signature.
    publish = reverse("console:publish", args=[9])
    r = secretariat_client.post(publish, {"action": "publish", "confirm": "on"})
    assert r.status_code == 400
    assert "The jury chair has not signed the jury report yet." in r.content.decode()
    chair = client_for(jury_members[0].user)
    report_url = reverse("shortlist:jury_report", args=[9])
    chair.post(report_url, {"action": "save", "introduction": "The jury met in Guangzhou."})
    assert chair.post(report_url, {"action": "sign"}).status_code == 302
    assert (
        secretariat_client.post(publish, {"action": "publish", "confirm": "on"}).status_code == 302
    )

    # Published: the results page and the report's PDF.
    page = client.get(reverse("public:results_cycle", args=[9])).content.decode()
    for text in (
        "For evidence.",
        "Special Mentions",
        "For the young.",
        "The jury met in Guangzhou.",
    ):
        assert text in page
    assert ANALYSIS not in page
    assert "Best evidence of the three." not in page
    pdf = client.get(reverse("public:jury_report_pdf", args=[9]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert a.title in text and "For evidence." in text
    assert jury_members[0].user.display_name in text
    assert list(
        StatusChange.objects.filter(submission=b).values_list("transition", "to_status")
    ) == [
        ("submit", "submitted"),
        ("mark_eligible", "eligible"),
        ("tc_outcome", "shortlisted"),
        ("jury_outcome", "special_mention"),
    ]
    assert Panel.objects.get(pk=jury.pk).released_at is not None
    assert User.objects.filter(organisation__isnull=False).count() == 3

    # Certificates: each city downloads its own; the Secretariat has them all.
    for official, entry, wording in (
        (officials[0], a, "Winner"),
        (officials[1], b, "Special Mention"),
        (officials[2], c, "Medal of Honor"),
    ):
        city = client_for(official)
        assert (
            reverse("submissions:certificate", args=[entry.pk])
            in city.get(reverse("submissions:dashboard")).content.decode()
        )
        r = city.get(reverse("submissions:certificate", args=[entry.pk]))
        assert (r.status_code, r["Content-Type"]) == (200, "application/pdf")
        certificate = PdfReader(io.BytesIO(r.content))
        text = " ".join(" ".join(p.extract_text().split()) for p in certificate.pages)
        assert wording in text
        assert entry.title in text
        assert len(certificate.pages) == 1
    assert (
        client_for(officials[1]).get(reverse("submissions:certificate", args=[a.pk])).status_code
        == 403
    )
    assert secretariat_client.get(reverse("judging:certificates", args=[9])).status_code == 200
