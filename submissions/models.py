"""Cycles, cities, entries and everything an entry carries.

``Submission.status`` is written only by ``services.submission_transition``: see
``workflow.py`` for the table of allowed moves.
"""

import os
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .classifications import (
    Domain,
    IneligibilityReason,
    InnovationKind,
    InnovationType,
    OrganisationKind,
    PartnerType,
    Topic,
)
from .continents import Continent
from .workflow import APPLICANT_LABELS, Status

# Word limits per answer; a cycle may override any of them in ``Cycle.word_limits``.
DEFAULT_WORD_LIMITS = {
    "title": 25,
    "subtitle": 40,
    "abstract": 150,
    "background": 500,
    "problem": 400,
    "innovation": 600,
    "implementation": 600,
    "resources": 400,
    "results": 600,
    "sustainability": 400,
    "transferability": 400,
    "nua_links": 300,
    "lessons": 400,
}


def default_draft_reminder_days():
    return [14, 7, 2]


class Cycle(models.Model):
    """One biennial edition of the award, with its calendar, quotas and limits."""

    number = models.PositiveSmallIntegerField(_("cycle number"), unique=True)
    year = models.CharField(_("year"), max_length=20, help_text=_("For example 2025/26."))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    is_open = models.BooleanField(
        _("open for applications"),
        default=False,
        help_text=_("At most one cycle is open for applications at a time."),
    )
    opens_at = models.DateTimeField(_("call opens"), null=True, blank=True)
    early_bird_deadline = models.DateTimeField(_("early-bird deadline"), null=True, blank=True)
    revision_window_ends_at = models.DateTimeField(
        _("early-bird revisions until"), null=True, blank=True
    )
    final_deadline = models.DateTimeField(_("final deadline"), null=True, blank=True)
    shortlist_quota = models.PositiveSmallIntegerField(_("shortlisted quota"), default=15)
    deserving_quota = models.PositiveSmallIntegerField(_("deserving quota"), default=30)
    winner_quota = models.PositiveSmallIntegerField(_("winners quota"), default=5)
    medals_of_honor = models.BooleanField(
        _("medals of honor"),
        default=True,
        help_text=_("Shortlisted entries that do not win receive a Medal of Honor."),
    )
    earliest_start_date = models.DateField(
        _("earliest allowed start date"),
        null=True,
        blank=True,
        help_text=_("Initiatives must have started on or before this date."),
    )
    max_years_since_end = models.PositiveSmallIntegerField(
        _("ended at most N years before the deadline"), default=2
    )
    word_limits = models.JSONField(_("word limits"), default=dict, blank=True)
    max_file_mb = models.PositiveSmallIntegerField(_("largest file (MB)"), default=10)
    max_entry_mb = models.PositiveSmallIntegerField(_("all files of an entry (MB)"), default=40)
    max_attachments = models.PositiveSmallIntegerField(_("most attachments per entry"), default=12)
    # Publication and the public vote.
    results_publish_at = models.DateTimeField(_("publish results at"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    # The jury report: this text is its introduction; the winners' citations, the
    # medals and special mentions come from the entries; the jury chair signs it off.
    jury_report = models.TextField(_("jury report: introduction"), blank=True)
    jury_report_chair_name = models.CharField(
        _("jury chair who signed the report"), max_length=200, blank=True, editable=False
    )
    jury_report_signed_at = models.DateTimeField(
        _("jury report signed"), null=True, blank=True, editable=False
    )
    jury_report_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    funded_delegates = models.PositiveSmallIntegerField(
        _("funded delegates per shortlisted city"),
        default=2,
        help_text=_("How many delegates a shortlisted city may name for the public hearing."),
    )
    public_vote_title = models.CharField(
        _("name of the public vote's title"),
        max_length=100,
        default="City of Your Choice",
        help_text=_("Earlier cycles called it “Online Popular City”."),
    )
    vote_opens_at = models.DateTimeField(_("public vote opens"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(_("public vote closes"), null=True, blank=True)
    votes_per_email_per_day = models.PositiveSmallIntegerField(
        _("votes per email address per day"), default=1
    )
    votes_per_ip_per_day = models.PositiveSmallIntegerField(
        _("votes per IP address per day"), default=20
    )
    city_of_your_choice = models.ForeignKey(
        "Submission",
        verbose_name=_("City of Your Choice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    draft_reminder_days = models.JSONField(
        _("remind unsubmitted drafts (days before the final deadline)"),
        default=default_draft_reminder_days,
        blank=True,
    )
    clarification_reminder_days = models.PositiveSmallIntegerField(
        _("remind unanswered clarifications after (days)"), default=7
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_open"],
                condition=models.Q(is_open=True),
                name="one_cycle_open_for_applications",
            )
        ]

    def __str__(self):
        # Shown on pages ("Cycle 7 (2025/26)"): in the reader's language.
        return gettext("Cycle %(number)s (%(year)s)") % {"number": self.number, "year": self.year}

    def word_limit(self, field: str) -> int | None:
        return {**DEFAULT_WORD_LIMITS, **(self.word_limits or {})}.get(field)

    @property
    def all_word_limits(self) -> dict:
        return {**DEFAULT_WORD_LIMITS, **(self.word_limits or {})}

    @property
    def is_published(self) -> bool:
        return self.results_published_at is not None

    def accepts_submissions(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.is_open
            and (self.opens_at is None or self.opens_at <= at)
            and (self.final_deadline is None or at < self.final_deadline)
        )

    @property
    def earliest_end_date(self):
        """Initiatives that ended before this date are too old to enter."""
        if not self.final_deadline:
            return None
        return (self.final_deadline - timedelta(days=365 * self.max_years_since_end)).date()


class DeadlineChange(models.Model):
    """Every change of a cycle date, with who made it and why."""

    FIELDS = [
        ("opens_at", _("call opens")),
        ("early_bird_deadline", _("early-bird deadline")),
        ("revision_window_ends_at", _("early-bird revisions until")),
        ("final_deadline", _("final deadline")),
    ]
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="deadline_changes")
    field = models.CharField(max_length=40, choices=FIELDS)
    old_value = models.DateTimeField(null=True, blank=True)
    new_value = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.get_field_display()} of cycle {self.cycle_id}: {self.old_value} → {self.new_value}"


class Organisation(models.Model):
    """A city, region or other local government that applies."""

    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province or state"), max_length=200, blank=True)
    country = CountryField(_("country"))
    continent = models.CharField(
        _("continent"), max_length=20, choices=Continent.choices, blank=True, editable=False
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.CITY
    )
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    gdp_per_capita_usd = models.PositiveIntegerField(
        _("GDP per capita (USD)"), null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "country", name="unique_organisation_per_country"
            )
        ]
        # The database's continent and country filters pick cities by country: without
        # it Postgres compares every city with each of a continent's ~58 countries.
        indexes = [models.Index(fields=["country"], name="organisation_country")]

    def __str__(self):
        return f"{self.name}, {self.country.name}"


class OrganisationInvitation(models.Model):
    """A colleague invited by email to join the organisation's account."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation of {self.email} to {self.organisation_id}"


class Submission(models.Model):
    """An initiative entered by an organisation in a cycle (an "entry")."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="submissions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="submissions"
    )
    sequence = models.PositiveIntegerField(editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    early_bird = models.BooleanField(
        _("early-bird entry"),
        default=False,
        help_text=_("Submitted before the early-bird deadline."),
    )

    # Step 1: basic information.
    title = models.CharField(_("title"), max_length=300, blank=True)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    umbrella_title = models.CharField(
        _("umbrella title"),
        max_length=300,
        blank=True,
        help_text=_("For up to three actions under one policy framework."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    ongoing = models.BooleanField(_("ongoing"), default=False)
    domains = models.JSONField(_("domains"), default=list, blank=True)
    innovation_types = models.JSONField(_("innovation types"), default=list, blank=True)
    innovation_kind = models.CharField(
        _("kind of innovation"), max_length=20, choices=InnovationKind.choices, blank=True
    )
    abstract = models.TextField(_("abstract"), blank=True)

    # Step 2: the initiative.
    background = models.TextField(_("background and policy framework"), blank=True)
    problem = models.TextField(_("the problem"), blank=True)
    innovation = models.TextField(_("the innovation"), blank=True)
    implementation = models.TextField(_("implementation and partners"), blank=True)
    resources = models.TextField(_("resources and financing"), blank=True)
    results = models.TextField(_("results, evidence and indicators"), blank=True)
    sustainability = models.TextField(_("sustainability"), blank=True)
    transferability = models.TextField(_("transferability"), blank=True)
    nua_links = models.TextField(_("links to the New Urban Agenda"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)

    # Set by the Secretariat and the judging.
    topic = models.CharField(
        _("analytical topic"), max_length=60, choices=Topic.choices, blank=True
    )
    citation = models.TextField(_("jury citation"), blank=True)

    # Entries of past cycles loaded from spreadsheets.
    imported = models.BooleanField(default=False, editable=False)
    source_url = models.URLField(_("web page"), blank=True)

    # Publication: the city's consent to publish the narrative of a recognised entry
    # (given when it submits), and the readable address of its public page (set when
    # the cycle's results are published or the entry is imported).
    publication_consent = models.BooleanField(
        _("agrees to the publication of the case study"), default=False, editable=False
    )
    slug = models.SlugField(_("address"), max_length=90, blank=True, allow_unicode=True)

    # The public order of outcomes, best first (``selectors.public.PUBLIC_OUTCOMES``):
    # stored by the database itself, whatever writes ``status`` (the workflow, the
    # import, a test's ``update()``), so that an index serves the public database's
    # pages in order instead of sorting every row by a CASE.
    OUTCOME_ORDER = (
        Status.WINNER,
        Status.MEDAL_OF_HONOR,
        Status.SPECIAL_MENTION,
        Status.SHORTLISTED,
        Status.DESERVING,
        Status.NOT_SELECTED,
    )
    outcome_rank = models.GeneratedField(
        expression=models.Case(
            *[
                models.When(status=status, then=models.Value(rank))
                for rank, status in enumerate(OUTCOME_ORDER)
            ],
            default=models.Value(len(OUTCOME_ORDER)),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-cycle__number", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "sequence"], name="unique_sequence_per_cycle"),
            models.UniqueConstraint(
                fields=["cycle", "slug"],
                condition=~models.Q(slug=""),
                name="unique_slug_per_cycle",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "status"]),
            # A page of the public database, one cycle at a time, already in order.
            models.Index(
                fields=["cycle", "outcome_rank", "title", "id"], name="submission_public_order"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title or _('(untitled)')}"

    @property
    def applicant_label(self):
        return APPLICANT_LABELS[Status(self.status)]

    @property
    def display_title(self):
        return self.title or _("Untitled initiative")

    def get_public_url(self) -> str:
        """The readable address of the initiative's public page (``cycle`` loaded)."""
        from django.urls import reverse

        if self.slug:
            return reverse("public:initiative", args=[self.cycle.number, self.slug])
        return reverse("public:initiative_by_id", args=[self.pk])

    # Labels of the stored choice lists, for the pages that show an application.
    @property
    def domain_labels(self) -> list[str]:
        labels = dict(Domain.choices)
        return [labels.get(value, value) for value in self.domains or []]

    @property
    def innovation_type_labels(self) -> list[str]:
        labels = dict(InnovationType.choices)
        return [labels.get(value, value) for value in self.innovation_types or []]


STEP1_FIELDS = (
    "title",
    "subtitle",
    "umbrella_title",
    "start_date",
    "end_date",
    "ongoing",
    "domains",
    "innovation_types",
    "innovation_kind",
    "abstract",
)
STEP2_TEXT_FIELDS = (
    "background",
    "problem",
    "innovation",
    "implementation",
    "resources",
    "results",
    "sustainability",
    "transferability",
    "nua_links",
    "lessons",
)


class SubmissionGoal(models.Model):
    """One Sustainable Development Goal (1-17) an entry contributes to."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="goals")
    goal = models.PositiveSmallIntegerField(
        choices=[(n, str(n)) for n in range(1, 18)], db_index=True
    )

    class Meta:
        ordering = ["goal"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "goal"], name="unique_goal_per_entry")
        ]

    def __str__(self):
        return f"SDG {self.goal}"


class Contact(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class Partner(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=PartnerType.choices)
    role = models.CharField(_("role"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


def attachment_path(instance, filename):
    # Random names: the original name is kept in the row, never in the path.
    ext = os.path.splitext(filename)[1].lower()[:10]
    return (
        f"entries/{instance.submission.cycle_id}/{instance.submission_id}/{uuid.uuid4().hex}{ext}"
    )


class Attachment(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        PHOTO = "photo", _("Photo")
        VIDEO = "video", _("Video link")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=attachment_path, blank=True, max_length=300)
    video_url = models.URLField(_("video link"), blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    is_public = models.BooleanField(
        _("show on the public page"),
        default=False,
        help_text=_(
            "Photos only: shown on the initiative's public page once results are published."
        ),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return self.original_name or self.video_url


class StatusChange(models.Model):
    """The audit trail: one row for every move of an entry."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    transition = models.CharField(max_length=40)
    reason = models.CharField(max_length=30, choices=IneligibilityReason.choices, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status} ({self.transition})"


class ClarificationRequest(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="clarifications"
    )
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self):
        return f"Clarification on entry {self.submission_id}"


class ScreeningReport(models.Model):
    """The automatic checks the Secretariat reads before deciding eligibility."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="screening_report"
    )
    created_at = models.DateTimeField(auto_now=True)
    checks = models.JSONField(default=list)  # [{"code", "label", "ok", "detail"}]
    possible_duplicates = models.JSONField(default=list)  # [{"id", "reference", "title", "cycle"}]
    is_clean = models.BooleanField(default=False)

    def __str__(self):
        return f"Screening report of {self.submission.reference}"


class SentEmail(models.Model):
    """The outbox: one row per email the portal sends, keyed so that a task run twice
    sends once. Written ``queued`` with the rendered message, then ``sent`` (or
    ``failed`` with the error, to be retried or resent from the console)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    template_key = models.CharField(max_length=80, blank=True, db_index=True)
    language = models.CharField(max_length=10, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails_received",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    announcement = models.ForeignKey(
        "Announcement", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENT)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["state", "queued_at"], name="sentemail_state_queued")]

    def __str__(self):
        return f"{self.subject} → {self.to}"


def publication_cover_path(instance, filename: str) -> str:
    return f"publications/covers/{uuid.uuid4().hex}-{filename[-80:]}"


def publication_file_path(instance, filename: str) -> str:
    return f"publications/files/{uuid.uuid4().hex}-{filename[-80:]}"


class Publication(models.Model):
    """A report the award publishes: jury reports, analytical reports, brochures.

    The Secretariat uploads them in the console; the public reports library lists them
    per cycle and finds them by words of their title and description.
    """

    class Kind(models.TextChoices):
        JURY_REPORT = "jury_report", _("Jury report")
        ANALYTICAL_REPORT = "analytical_report", _("Analytical report")
        BROCHURE = "brochure", _("Brochure")
        OTHER = "other", _("Other publication")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
        help_text=_("Leave empty for a publication about the award as a whole."),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("PDF file"), upload_to=publication_file_path, max_length=300)
    size_bytes = models.PositiveIntegerField(default=0, editable=False)
    cover = models.FileField(
        _("cover image"), upload_to=publication_cover_path, blank=True, max_length=300
    )
    published_on = models.DateField(_("publication date"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self):
        return self.title


class EmailTemplate(models.Model):
    """The Secretariat's wording of one message in one language; without a row the
    shipped default (templates/…_subject.txt and .txt, translated) is used."""

    key = models.CharField(max_length=80)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language"], name="one_email_template_per_language"
            )
        ]

    def __str__(self):
        return f"{self.key} ({self.language})"


class Announcement(models.Model):
    """A message the Secretariat writes to an audience, sent now or at a set time.
    Recipients are resolved into outbox rows once, when it is sent."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    # {"fr": {"subject": "...", "body": "..."}, ...}: the English text is the fallback.
    translations = models.JSONField(default=dict, blank=True)
    audience = models.CharField(_("audience"), max_length=40)
    cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="announcements"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class EmailOptOut(models.Model):
    """A user who no longer wants announcements (transactional emails still go)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_out"
    )
    at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user} opted out"


class EarlyBirdFeedback(models.Model):
    """The Secretariat's written feedback on an early-bird entry: a draft until sent.

    One per entry (the unique submission), and sent at most once: ``sent_at`` is
    written once by ``services.feedback.feedback_send``, which also keeps a snapshot
    of the answers so that the changes made since can be shown field by field.
    """

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="early_bird_feedback"
    )
    text = models.TextField(_("feedback"), blank=True)
    # Codes of the screening report's checks the city should look at again.
    checklist = models.JSONField(_("points of the screening report"), default=list, blank=True)
    answers_at_sending = models.JSONField(default=dict, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        constraints = [
            # Sent means sent by someone at a moment, with the answers kept.
            models.CheckConstraint(
                condition=models.Q(sent_at__isnull=True) | ~models.Q(text=""),
                name="sent_feedback_has_text",
            )
        ]

    def __str__(self):
        return f"Early-bird feedback on {self.submission_id}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
