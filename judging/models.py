"""Panels (technical committee, jury), criteria, assignments, conflicts, reviews,
rankings, outcome proposals, the public vote and export jobs."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from submissions.models import Cycle, Submission


class PanelKind(models.TextChoices):
    TECHNICAL_COMMITTEE = "tc", _("Technical Committee")
    JURY = "jury", _("Jury")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean")
    MEDIAN = "median", _("Median")


class ConflictScope(models.TextChoices):
    NONE = "none", _("Only declared conflicts")
    COUNTRY = "country", _("Same country")
    CONTINENT = "continent", _("Same continent")


class Panel(models.Model):
    """A cycle's technical committee or jury, and the rules of its stage."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="panels")
    kind = models.CharField(max_length=10, choices=PanelKind.choices)
    scoring_deadline = models.DateTimeField(_("scoring deadline"), null=True, blank=True)
    closed_at = models.DateTimeField(_("stage closed"), null=True, blank=True)
    released_at = models.DateTimeField(_("decisions released"), null=True, blank=True)
    reviewers_per_entry = models.PositiveSmallIntegerField(
        _("reviewers per entry"), default=3, help_text=_("Technical Committee only.")
    )
    conflict_scope = models.CharField(
        _("automatic conflicts"),
        max_length=20,
        choices=ConflictScope.choices,
        default=ConflictScope.COUNTRY,
    )
    aggregation = models.CharField(
        _("combine reviewers' scores by"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.MEAN,
    )
    normalise = models.BooleanField(
        _("normalise per reviewer"),
        default=False,
        help_text=_(
            "z-score each reviewer's scores, rescaled to the scale, to even out strict and lenient reviewers."
        ),
    )
    tie_break = models.JSONField(
        _("tie-break order"),
        default=list,
        blank=True,
        help_text=_(
            'Declared before scoring, e.g. ["criterion:Innovation", "shortlist_recommendations", "chair"].'
        ),
    )
    show_peer_scores = models.BooleanField(
        _("reviewers see others' scores after submitting their own"), default=False
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("remind from N days before the deadline"), default=5
    )
    disagreement_threshold = models.DecimalField(
        _("flag disagreement above this standard deviation"),
        max_digits=5,
        decimal_places=2,
        default=2,
    )
    calibration_round = models.BooleanField(
        _("calibration round before scoring"),
        default=False,
        help_text=_(
            "Every member first scores the same calibration entries; scoring opens when "
            "this is switched off."
        ),
    )
    calibration_entries = models.ManyToManyField(
        Submission, blank=True, related_name="+", verbose_name=_("calibration entries")
    )

    class Meta:
        ordering = ["cycle", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="one_panel_per_kind_per_cycle")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – cycle {self.cycle.number}"

    @property
    def is_closed(self):
        return self.closed_at is not None


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships"
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    country = CountryField(_("country"), blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    expertise = models.JSONField(_("expertise (topics)"), default=list, blank=True)
    invited_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["panel", "-is_chair", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="unique_member_per_panel"),
            models.UniqueConstraint(
                fields=["panel"], condition=models.Q(is_chair=True), name="one_chair_per_panel"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.panel})"


class Criterion(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name_plural = _("criteria")
        ordering = ["panel", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "name"], name="unique_criterion_per_panel")
        ]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """An entry given to one panel member to score."""

    class State(models.TextChoices):
        AWAITING_CONFLICT_CHECK = "pending", _("Awaiting conflict declaration")
        ACTIVE = "active", _("Active")
        RELEASED = "released", _("Released (conflict or removed)")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="assignments")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="assignments")
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.AWAITING_CONFLICT_CHECK
    )
    conflict_reason = models.TextField(blank=True)
    no_conflict_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)
    replaced = models.BooleanField(
        default=False, help_text=_("A released assignment whose replacement was made.")
    )
    fit = models.SmallIntegerField(
        _("fit"), null=True, blank=True, help_text=_("Topic fit plus preference when assigned.")
    )

    class Meta:
        ordering = ["panel", "submission", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "submission", "reviewer"],
                condition=~models.Q(state="released"),
                name="one_live_assignment_per_reviewer_and_entry",
            )
        ]

    def __str__(self):
        return f"{self.submission_id} → {self.reviewer_id} ({self.state})"


class Recommendation(models.TextChoices):
    SHORTLIST = "shortlist", _("Shortlist")
    DESERVING = "deserving", _("Deserving")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")


class Review(models.Model):
    """A reviewer's score sheet for one assignment."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    overall_comment = models.TextField(_("overall comment"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Review of assignment {self.assignment_id}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


class ReviewHistory(models.Model):
    """A snapshot of a review at every save: scores are never silently rewritten."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="history")
    snapshot = models.JSONField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"Review {self.review_id} at {self.at:%Y-%m-%d %H:%M}"


class Ranking(models.Model):
    """The ranked result of a closed stage; a later run replaces the earlier one."""

    panel = models.OneToOneField(Panel, on_delete=models.CASCADE, related_name="ranking")
    computed_at = models.DateTimeField(default=timezone.now)
    method = models.JSONField(default=dict)  # aggregation, normalise, tie_break in force
    # agreement, leniency and leave-one-reviewer-out robustness (services/analysis.py)
    analysis = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"Ranking of panel {self.panel_id}"


class RankedEntry(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()
    score = models.DecimalField(max_digits=7, decimal_places=3, null=True)
    spread = models.DecimalField(max_digits=7, decimal_places=3, null=True)
    review_count = models.PositiveSmallIntegerField(default=0)
    recommendations = models.JSONField(default=dict)
    tie_break_note = models.CharField(max_length=300, blank=True)
    high_disagreement = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = _("ranked entries")
        ordering = ["ranking", "rank"]

    def __str__(self):
        return f"#{self.rank} {self.submission_id}"


class OutcomeProposal(models.Model):
    """A proposed stage outcome for an entry, adjusted with reasons, then released."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="proposals")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=20)  # a submissions.workflow.Status value
    proposed_outcome = models.CharField(max_length=20)  # as first proposed from the ranking
    citation = models.TextField(_("citation"), blank=True)
    moved_reason = models.TextField(blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel", "submission"], name="one_proposal_per_entry")
        ]

    def __str__(self):
        return f"{self.submission_id}: {self.outcome}"


class ReminderLog(models.Model):
    """At most one reminder a day per member."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self):
        return f"{self.member_id} on {self.sent_on}"


class Vote(models.Model):
    """A public vote for a shortlisted entry; counts once confirmed by email."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="votes")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="votes")
    email = models.EmailField()
    email_key = models.CharField(
        max_length=254,
        blank=True,
        help_text=_("The mailbox, normalised: one person's address variants count once."),
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    day = models.DateField(help_text=_("The voting day, in Beijing time."))
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["cycle", "email", "day"]),
            models.Index(fields=["cycle", "email_key", "day"], name="vote_mailbox_day"),
        ]

    def __str__(self):
        return f"{self.email} → {self.submission_id}"


class ExportJob(models.Model):
    """A large export built by a task; the file is downloaded through a checked view."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=40)
    fmt = models.CharField(max_length=10)
    cycle = models.ForeignKey(Cycle, null=True, blank=True, on_delete=models.CASCADE)
    # Books and attachment archives are built for one panel (see judging.documents).
    panel = models.ForeignKey(
        "Panel", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} ({self.fmt}) {self.status}"


class Preference(models.TextChoices):
    WANT = "want", _("I want to review it")
    CAN = "can", _("I can review it")
    RATHER_NOT = "rather_not", _("I would rather not")


class EntryPreference(models.Model):
    """A member's wish about one entry, stated before the assignment runs."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="preferences")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=12, choices=Preference.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "submission"], name="one_preference_per_member_and_entry"
            )
        ]

    def __str__(self):
        return f"{self.member_id} {self.level} {self.submission_id}"


class CalibrationScore(models.Model):
    """A member's score of a calibration entry: never counted in the ranking."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="calibration_scores")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    values = models.JSONField(default=dict)  # {criterion id (str): value}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "submission"], name="one_calibration_score_per_entry"
            )
        ]

    def __str__(self):
        return f"Calibration {self.member_id} on {self.submission_id}"


class Meeting(models.Model):
    """The committee's session: the chair walks the ranking, everyone follows."""

    panel = models.OneToOneField(Panel, on_delete=models.CASCADE, related_name="meeting")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    current = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # bumped at every move so that followers' screens refresh only when it changes
    version = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Meeting of panel {self.panel_id}"


class DiscussionPost(models.Model):
    """A panel member's note on an entry, before or during the meeting: never shown
    to the city or to the public, nor to members conflicted with the entry."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="posts")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Post {self.pk} on {self.submission_id}"


class MeetingDecision(models.Model):
    """What the meeting decided for an entry, who moved it, why, and the vote."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="decisions")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("decision"), max_length=20)  # a workflow Status value
    moved_by = models.ForeignKey(
        PanelMember,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moved by"),
    )
    reason = models.TextField(_("reason"))
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "submission"], name="one_decision_per_entry")
        ]

    def __str__(self):
        return f"{self.submission_id}: {self.outcome}"


class HearingSession(models.Model):
    """A public hearing of the shortlist phase: shortlisted cities present in slots."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="hearing_sessions")
    starts_at = models.DateTimeField(_("starts"), help_text=_("Beijing time."))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    theme = models.CharField(_("thematic group"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.theme or 'Hearing'} {self.starts_at:%Y-%m-%d %H:%M}"


def presentation_path(instance, filename):
    # Random names: the original name is kept in the row, never in the path.
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"hearings/{instance.session.cycle_id}/{instance.submission_id}/{uuid.uuid4().hex}{ext}"


class HearingSlot(models.Model):
    """One shortlisted entry's turn in a hearing session, and what its city prepared."""

    session = models.ForeignKey(HearingSession, on_delete=models.CASCADE, related_name="slots")
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="hearing_slot"
    )
    starts_at = models.DateTimeField(_("slot starts"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=20)
    confirmed_at = models.DateTimeField(_("attendance confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delegates = models.JSONField(_("delegates"), default=list, blank=True)  # [{name, position}]
    presentation = models.FileField(upload_to=presentation_path, blank=True, max_length=300)
    presentation_name = models.CharField(max_length=255, blank=True)
    presentation_type = models.CharField(max_length=100, blank=True)
    presentation_size = models.PositiveBigIntegerField(default=0)
    video_url = models.URLField(_("video link"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"Hearing slot of {self.submission_id}"

    @property
    def has_presentation(self) -> bool:
        return bool(self.presentation) or bool(self.video_url)


class ShortlistReport(models.Model):
    """The Technical Committee's analysis of its shortlist, written by its chair for
    the jury: one text and a summary per shortlisted entry. Never public."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="shortlist_report")
    text = models.TextField(_("analysis of the shortlist"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Shortlist report of cycle {self.cycle_id}"


class ShortlistSummary(models.Model):
    report = models.ForeignKey(ShortlistReport, on_delete=models.CASCADE, related_name="summaries")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["submission__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "submission"], name="one_summary_per_shortlisted_entry"
            )
        ]

    def __str__(self):
        return f"Summary of {self.submission_id}"
