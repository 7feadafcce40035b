"""Load the demo: an open cycle with cities, drafts and submitted entries; a past
cycle with published results (through the same code path as import_initiatives);
one account for every role. Running it again adds nothing."""

import datetime as dt
import struct
import zlib
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts import roles
from accounts.demo import demo_second_factors
from console import demo_cycle
from console.demo.knowledge import load_publications
from console.demo_outbox import load_outbox_demo
from judging import demo_reviewing
from judging.models import PanelKind, Vote
from judging.services.panels import criteria_create_defaults, member_invite, panel_get_or_create
from judging.services.screening import screening_mark_eligible, screening_request_clarification
from judging.votes import cycle_city_of_your_choice_set
from submissions.demo.i18n import load_translated_themes
from submissions.models import Cycle, Organisation, Submission
from submissions.services.applications import (
    submission_create,
    submission_submit,
    submission_update,
)
from submissions.services.attachments import attachment_add
from submissions.services.importing import initiatives_import
from submissions.services.organisations import organisation_create, organisation_find_existing
from submissions.services.publishing import cycle_publish_results

PASSWORD = "demo-pass-2026"
DOMAIN = "demo.gzaward.org"
PAST_CSV = Path(settings.BASE_DIR) / "submissions" / "fixtures" / "demo_past_cycle.csv"

LOGINS = [
    ("Secretariat", f"secretariat@{DOMAIN}"),
    ("Technical Committee chair", f"tc.chair@{DOMAIN}"),
    ("Technical Committee member", f"tc.member@{DOMAIN}"),
    ("Jury chair", f"jury.chair@{DOMAIN}"),
    ("City official, Porto Aurora (draft)", f"official@{DOMAIN}"),
    ("City official, Lumen (submitted)", f"official2@{DOMAIN}"),
    ("Django admin (superuser)", f"admin@{DOMAIN}"),
]

# (email, name, country, affiliation): the Technical Committee of the open cycle.
TC_MEMBERS = [
    (f"tc.chair@{DOMAIN}", "Prof. Lin Wei", "CN", "Tsinghua University", True),
    (f"tc.member@{DOMAIN}", "Dr. Amélie Laurent", "FR", "Sciences Po Urban School", False),
    (f"tc.3@{DOMAIN}", "Dr. Kwame Mensah", "GH", "University of Ghana", False),
    (f"tc.4@{DOMAIN}", "Ms. Sofia Ramírez", "MX", "UN-Habitat", False),
    (f"tc.5@{DOMAIN}", "Mr. Hiroshi Tanaka", "JP", "Metropolis", False),
]
JURY_MEMBERS = [
    (f"jury.chair@{DOMAIN}", "Dr. Aisha Bello", "NG", "Former mayor", True),
    (f"jury.2@{DOMAIN}", "Mr. Erik Lindqvist", "SE", "UCLG", False),
    (
        f"jury.3@{DOMAIN}",
        "Ms. Priya Natarajan",
        "IN",
        "Indian Institute for Human Settlements",
        False,
    ),
]

# (official email, city, country, kind, what to do with the entry, title)
CITY_ENTRIES = [
    (f"official@{DOMAIN}", "Porto Aurora", "BR", "draft", "Rain Gardens for Every School"),
    (f"official2@{DOMAIN}", "Lumen", "EE", "submitted", "Citizens' Data Trust"),
    (f"valdoria@{DOMAIN}", "Valdoria", "ES", "eligible", "Fifteen-Minute Neighbourhood Plans"),
    (f"mbale@{DOMAIN}", "Mbale Hills", "KE", "eligible", "Women-led Water Kiosks"),
    (f"kanlaon@{DOMAIN}", "Kanlaon City", "PH", "clarification", "Typhoon-Ready Barangays"),
    (f"mireille@{DOMAIN}", "Saint-Mireille", "CA", "submitted", "Winter City Public Spaces"),
]

ANSWERS = {
    "subtitle": "A city-wide programme led by the municipality with residents",
    "start_date": dt.date(2020, 3, 1),
    "ongoing": True,
    "domains": ["governance", "environmental"],
    "innovation_types": ["engagement", "implementation"],
    "innovation_kind": "evolutionary",
    "abstract": "The municipality redesigned a public service together with residents, "
    "measured its effects for three years and now runs it in every district.",
    "background": "The city council adopted a sustainability strategy in 2019 that asks every "
    "department to co-design services with residents.",
    "problem": "Services were designed without the people who use them, and uptake was low in "
    "the poorest districts.",
    "innovation": "Residents and staff design, test and evaluate the service together, with a "
    "public dashboard of results.",
    "implementation": "Led by the mayor's office with district councils, two universities and "
    "neighbourhood associations.",
    "resources": "Municipal budget (80%), a national grant (15%) and private sponsors (5%).",
    "results": "Uptake doubled in three years; satisfaction rose from 52% to 81% (city survey, "
    "n=4,000).",
    "sustainability": "The programme is part of the multi-year budget and the city charter.",
    "transferability": "Two neighbouring cities copied it with our open toolkit.",
    "nua_links": "Commitments 13, 26 and 92 of the New Urban Agenda.",
    "lessons": "Publish results early, fund the districts that need it most, and keep residents "
    "in the room when things go wrong.",
}


def _tiny_png() -> bytes:
    """A valid 2×2 red PNG, made here so the demo needs no image files."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xb3\x20\x2a" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _tiny_pdf(title: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        + f"% {title}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


class Command(BaseCommand):
    help = "Load the demo cycle, cities, entries and one account per role (idempotent)."

    def handle(self, *args, **options):
        # The demo's own emails (invitations, acknowledgements) are not for the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            created = self._load()
            load_outbox_demo()  # reworded emails, a sent and a scheduled announcement
        load_translated_themes()  # the themes in Chinese, French and Spanish
        self.stdout.write(
            self.style.SUCCESS("Demo data " + ("loaded." if created else "already present."))
        )
        self.stdout.write("")
        self.stdout.write(f"  Demo logins (password for all: {PASSWORD})")
        for role, email in LOGINS:
            self.stdout.write(f"    {role:<38} {email}")
        self.stdout.write("")
        demo_second_factors(self.stdout)

    def _user(self, email, name="", group=None, superuser=False):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": name, "is_staff": superuser, "is_superuser": superuser},
        )
        if created or not user.has_usable_password():
            user.set_password(PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if group:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        return user

    @transaction.atomic
    def _load(self) -> bool:
        if Cycle.objects.filter(number=7).exists():
            return False
        now = timezone.now()
        self._user(f"admin@{DOMAIN}", "Portal Administrator", roles.SECRETARIAT, superuser=True)
        staff = self._user(f"secretariat@{DOMAIN}", "Mei Chen (Secretariat)", roles.SECRETARIAT)

        self._past_cycle(staff, now)
        load_publications(staff=staff, pdf=_tiny_pdf)

        Cycle.objects.filter(is_open=True).update(is_open=False)
        final = now + dt.timedelta(days=35)
        cycle = Cycle.objects.create(
            number=7,
            year="2025/26",
            theme="Innovation for people-centred, sustainable cities",
            is_open=True,
            opens_at=now - dt.timedelta(days=90),
            early_bird_deadline=now + dt.timedelta(days=7),
            revision_window_ends_at=now + dt.timedelta(days=21),
            final_deadline=final,
            earliest_start_date=(final - dt.timedelta(days=730)).date(),
        )
        self._panels(cycle, staff, final)

        for email, city, country, outcome, title in CITY_ENTRIES:
            official = self._user(email, f"Official of {city}")
            if official.organisation_id is None:
                organisation = organisation_find_existing(name=city, country=country)
                if organisation is None:
                    organisation = organisation_create(
                        data={"name": city, "country": country, "kind": "city"}, by=official
                    )
                else:
                    official.organisation = organisation
                    official.save(update_fields=["organisation"])
            self._entry(cycle, official, title, outcome, staff)
        demo_reviewing.load(cycle=cycle, staff=staff, user=self._user, entry=self._entry)
        demo_cycle.current_cycle_feedback(cycle=cycle, staff=staff)
        return True

    def _past_cycle(self, staff, now):
        initiatives_import(
            text=PAST_CSV.read_text(encoding="utf-8"),
            cycle_number=6,
            source=PAST_CSV.name,
            by=staff,
        )
        cycle = Cycle.objects.get(number=6)
        cycle.theme = "Urban innovation for the 2030 Agenda"
        cycle.final_deadline = now - dt.timedelta(days=700)
        cycle.vote_opens_at = now - dt.timedelta(days=460)
        cycle.vote_closes_at = now - dt.timedelta(days=430)
        cycle.jury_report = (
            "The Jury met in closed session after the public hearings of the fifteen shortlisted "
            "cities. It sought a balance of topics, regions and city sizes among the winners, "
            "and admired how every shortlisted city measured its results."
        )
        cycle.save()
        # The public vote of the past cycle, so that the title can be given as in real life.
        favourite = Submission.objects.get(cycle=cycle, title="Zero-Waste Markets")
        runner_up = Submission.objects.get(cycle=cycle, title="Neighbourhood Climate Shelters")
        day = (now - dt.timedelta(days=440)).date()
        votes = [(favourite, n) for n in range(7)] + [(runner_up, n) for n in range(4)]
        Vote.objects.bulk_create(
            Vote(
                cycle=cycle,
                submission=entry,
                email=f"voter{n}-{entry.pk}@example.org",
                day=day,
                confirmed_at=now - dt.timedelta(days=440),
            )
            for entry, n in votes
        )
        cycle_city_of_your_choice_set(cycle=cycle, by=staff)
        demo_cycle.past_cycle_judging(cycle=cycle, staff=staff, now=now, user=self._user)
        cycle_publish_results(cycle=cycle, by=staff, at=now - dt.timedelta(days=400))

    def _panels(self, cycle, staff, final):
        for kind, members, deadline in (
            (PanelKind.TECHNICAL_COMMITTEE, TC_MEMBERS, final + dt.timedelta(days=60)),
            (PanelKind.JURY, JURY_MEMBERS, final + dt.timedelta(days=150)),
        ):
            panel = panel_get_or_create(cycle=cycle, kind=kind)
            panel.scoring_deadline = deadline
            panel.save(update_fields=["scoring_deadline"])
            criteria_create_defaults(panel=panel)
            group = (
                roles.TECHNICAL_COMMITTEE if kind == PanelKind.TECHNICAL_COMMITTEE else roles.JURY
            )
            for email, name, country, affiliation, chair in members:
                self._user(email, name, group)
                member_invite(
                    panel=panel,
                    email=email,
                    full_name=name,
                    country=country,
                    affiliation=affiliation,
                    is_chair=chair,
                    by=staff,
                )

    def _entry(self, cycle, official, title, outcome, staff):
        organisation = Organisation.objects.get(pk=official.organisation_id)
        entry = submission_create(organisation=organisation, cycle=cycle, by=official)
        answers = {**ANSWERS, "title": title}
        if outcome == "draft":
            # Step 1 done, step 2 half-way: what a city looks like mid-application.
            answers = {
                k: v
                for k, v in answers.items()
                if k not in ("results", "sustainability", "transferability", "nua_links", "lessons")
            }
        submission_update(
            submission=entry,
            fields=answers,
            contacts=[
                {
                    "name": official.full_name,
                    "position": "Head of International Relations",
                    "email": official.email,
                    "phone": "+00 000 0000",
                }
            ],
            goals=[11, 13, 16],
            by=official,
        )
        if outcome == "draft":
            return entry
        attachment_add(
            submission=entry,
            kind="document",
            upload=SimpleUploadedFile("evaluation-report.pdf", _tiny_pdf(title), "application/pdf"),
            caption="Independent evaluation report",
            by=official,
        )
        attachment_add(
            submission=entry,
            kind="photo",
            upload=SimpleUploadedFile("site-visit.png", _tiny_png(), "image/png"),
            caption="Residents at the opening",
            is_public=True,
            by=official,
        )
        entry = submission_submit(submission=entry, by=official, publication_consent=True)
        if outcome == "eligible":
            screening_mark_eligible(submission=entry, by=staff)
        elif outcome == "clarification":
            screening_request_clarification(
                submission=entry,
                question="Please confirm that the municipality, not the province, runs the "
                "programme, and send the 2024 evaluation in English.",
                by=staff,
            )
        return entry
