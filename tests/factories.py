"""factory_boy factories for the core models. No hidden side effects: a factory
makes the rows it names, nothing more (no emails, no tasks, no transitions)."""

import datetime as dt
import time

import factory
from allauth.mfa.totp.internal.auth import TOTP, yield_hotp_counters_from_time
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.models import User
from submissions.models import (
    Attachment,
    ClarificationRequest,
    Contact,
    Cycle,
    EarlyBirdFeedback,
    Organisation,
    OrganisationInvitation,
    Partner,
    Submission,
    SubmissionGoal,
)
from submissions.workflow import Status

# The TOTP secret of every privileged test user (tests.factories.totp_code gives its code).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


# A code is given only with this long left in its period: allauth accepts the current
# period's code alone (MFA_TOTP_TOLERANCE 0), so a code taken in a period's last second
# was refused by the time a loaded machine's browser had sent it.
TOTP_CODE_MARGIN_SECONDS = 5


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The current TOTP code for ``secret``, valid for at least a few more seconds."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < TOTP_CODE_MARGIN_SECONDS:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "a-Strong-pass-42")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """UserFactory(role="secretariat") puts the user in that role's group."""
        if extracted:
            group, _ = Group.objects.get_or_create(name=extracted)
            self.groups.add(group)
        self.save()

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """Privileged users (roles.is_privileged) get a TOTP authenticator with
        ``TEST_TOTP_SECRET``, as the portal requires one of them; ``totp=False``
        leaves it out, ``totp=True`` adds it to anybody."""
        if not create or extracted is False:
            return
        privileged = (
            self.is_staff
            or self.is_superuser
            or self.groups.filter(name__in=list(roles.ROLE_GROUPS)).exists()
        )
        if extracted or privileged:
            TOTP.activate(self, TEST_TOTP_SECRET)


def add_totp(user, secret: str = TEST_TOTP_SECRET) -> None:
    """Give ``user`` a TOTP authenticator with ``secret`` unless they have one."""
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)


def secretariat_user(**kwargs):
    return UserFactory(role=roles.SECRETARIAT, **kwargs)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"City {n}")
    country = "BR"
    continent = "South America"
    kind = "city"
    population = 1_500_000


class CityOfficialFactory(UserFactory):
    organisation = factory.SubFactory(OrganisationFactory)


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    number = factory.Sequence(lambda n: 10 + n)
    year = factory.LazyAttribute(lambda o: str(2000 + 2 * o.number))
    theme = "Urban innovation for sustainable development"
    is_open = False
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=60))
    early_bird_deadline = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    revision_window_ends_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    final_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    earliest_start_date = factory.LazyFunction(
        lambda: timezone.now().date() - dt.timedelta(days=365)
    )


class OpenCycleFactory(CycleFactory):
    is_open = True


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A draft with nothing filled in."""

    class Meta:
        model = Submission
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda o: f"GZA-{o.cycle.number}-{o.sequence:04d}")
    status = Status.DRAFT


class CompleteSubmissionFactory(SubmissionFactory):
    """A draft with both steps filled in, a contact and two SDGs: ready to submit."""

    title = factory.Sequence(lambda n: f"Participatory budgeting for neighbourhood parks {n}")
    subtitle = "Residents decide how parks are renewed"
    start_date = factory.LazyFunction(lambda: dt.date(2019, 3, 1))
    ongoing = True
    domains = ["governance", "social_cultural"]
    innovation_types = ["engagement", "governance"]
    innovation_kind = "evolutionary"
    abstract = "Residents of every district vote on the renewal of their parks each year."
    background = "The city adopted a participation charter in 2018."
    problem = "Parks were renewed without asking the people who use them."
    innovation = "A yearly binding vote on park projects, open to every resident over 14."
    implementation = "Run by the parks department with neighbourhood associations."
    resources = "Two per cent of the capital budget."
    results = "Park use rose by 30 per cent in four years; 120,000 residents voted."
    sustainability = "The vote is written into the city's budget law."
    transferability = "Adopted by three neighbouring municipalities."
    nua_links = "Paragraphs 13, 37 and 92 of the New Urban Agenda."
    lessons = "Start small, publish every result, and keep promises."
    publication_consent = True

    @factory.post_generation
    def with_details(self, create, extracted, **kwargs):
        if not create:
            return
        Contact.objects.create(
            submission=self, name="Ana Souza", email=f"contact{self.pk}@example.org", order=0
        )
        for goal in (11, 16):
            SubmissionGoal.objects.create(submission=self, goal=goal)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    submission = factory.SubFactory(SubmissionFactory)
    kind = Attachment.Kind.DOCUMENT
    file = factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4\n%test\n")
    original_name = "report.pdf"
    content_type = "application/pdf"
    size_bytes = 15


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    submission = factory.SubFactory(SubmissionFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = "civil_society"
    role = "Runs the neighbourhood meetings"


class OrganisationInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationInvitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")


class ClarificationRequestFactory(factory.django.DjangoModelFactory):
    """An open question on an entry; the entry's status is left as it is."""

    class Meta:
        model = ClarificationRequest

    submission = factory.SubFactory(SubmissionFactory)
    question = "Please send the evaluation report mentioned in the results."


class SentFeedbackFactory(factory.django.DjangoModelFactory):
    """Early-bird feedback already sent (the row only: no email, no snapshot logic)."""

    class Meta:
        model = EarlyBirdFeedback

    submission = factory.SubFactory(SubmissionFactory)
    text = "Please give figures for the results."
    sent_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=5))


EMAIL_LANGUAGES = ("en", "fr", "zh-hans", "es")


def cities_with_entries(cycle, n: int, *, status: str = Status.DRAFT, prefix: str = "City"):
    """``n`` cities, each with one official (languages in turn: en, fr, zh-hans, es,
    email ``<prefix>{i}@example.org`` in lower case) and one entry in ``cycle``: the
    world of the announcement tests and of bench/bench_emails.py, in bulk inserts."""
    Organisation.objects.bulk_create(
        Organisation(
            name=f"{prefix} City {i}", country="BR", continent="South America", kind="city"
        )
        for i in range(n)
    )
    organisations = list(
        Organisation.objects.filter(name__startswith=f"{prefix} City ").order_by("pk")
    )
    User.objects.bulk_create(
        User(
            email=f"{prefix.lower()}{i}@example.org",
            full_name=f"Official {i}",
            organisation=organisation,
            language=EMAIL_LANGUAGES[i % len(EMAIL_LANGUAGES)],
            password="!",
        )
        for i, organisation in enumerate(organisations)
    )
    return Submission.objects.bulk_create(
        Submission(
            cycle=cycle,
            organisation=organisation,
            sequence=i + 1,
            reference=f"GZA-{cycle.number}-{i + 1:04d}",
            status=status,
            title=f"{prefix} initiative {i}",
        )
        for i, organisation in enumerate(organisations)
    )
