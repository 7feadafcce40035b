"""Django admin for cycles, cities and entries.

Statuses are never edited here: every move goes through ``submission_transition``
(the audit trail), so ``Submission.status`` and the audit rows are read-only.
"""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from accounts.models import User
from submissions.models import (
    STEP1_FIELDS,
    STEP2_TEXT_FIELDS,
    Attachment,
    ClarificationRequest,
    Contact,
    Cycle,
    DeadlineChange,
    EarlyBirdFeedback,
    Organisation,
    OrganisationInvitation,
    Partner,
    ScreeningReport,
    SentEmail,
    StatusChange,
    Submission,
    SubmissionGoal,
)

# Addresses typed without a scheme are read as https (Django 6's default, today).
URL_AS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ReadOnlyInlineMixin:
    """An inline that shows rows only: the audit trail is never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyInlineMixin, admin.TabularInline):
    pass


class DeadlineChangeInline(ReadOnlyInline):
    model = DeadlineChange
    fields = ["field", "old_value", "new_value", "reason", "changed_by", "changed_at"]
    readonly_fields = fields


@admin.register(Cycle)
class CycleAdmin(TranslationAdmin):
    list_display = [
        "number",
        "year",
        "is_open",
        "early_bird_deadline",
        "final_deadline",
        "results_published_at",
    ]
    list_filter = ["is_open"]
    search_fields = ["year", "theme"]
    inlines = [DeadlineChangeInline]


class MemberInline(admin.TabularInline):
    model = User
    fk_name = "organisation"
    fields = ["email", "full_name", "position"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class InvitationInline(ReadOnlyInline):
    model = OrganisationInvitation
    fields = ["email", "invited_by", "created_at", "accepted_at", "accepted_by"]
    readonly_fields = fields


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = URL_AS_HTTPS
    list_display = ["name", "province", "country", "continent", "kind", "population"]
    list_filter = ["continent", "kind", "country"]
    search_fields = ["name", "province"]
    readonly_fields = ["continent", "created_by", "created_at"]
    inlines = [MemberInline, InvitationInline]


@admin.register(OrganisationInvitation)
class OrganisationInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "invited_by", "created_at", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    readonly_fields = ["token", "created_at", "accepted_at", "accepted_by"]
    autocomplete_fields = ["organisation"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


class GoalInline(admin.TabularInline):
    model = SubmissionGoal
    extra = 0


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = [
        "kind",
        "original_name",
        "video_url",
        "content_type",
        "size_bytes",
        "caption",
        "is_public",
    ]
    readonly_fields = fields


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "transition", "reason", "note", "by"]
    readonly_fields = fields


class ReadableReportMixin:
    """The report's checks and duplicates as lists, not raw JSON."""

    @admin.display(description=_("checks"))
    def check_list(self, report):
        return format_html(
            "<ul class='mb-0'>{}</ul>",
            format_html_join(
                "",
                "<li>{} {}{}</li>",
                (
                    (
                        "✔" if c["ok"] else "✘",
                        c["label"],
                        f" – {c['detail']}" if c["detail"] else "",
                    )
                    for c in report.checks
                ),
            ),
        )

    @admin.display(description=_("possible duplicates"))
    def duplicate_list(self, report):
        if not report.possible_duplicates:
            return "–"
        return format_html_join(
            ", ",
            "{} “{}” (cycle {})",
            ((d["reference"], d["title"], d["cycle"]) for d in report.possible_duplicates),
        )


class ScreeningReportInline(ReadableReportMixin, ReadOnlyInlineMixin, admin.StackedInline):
    model = ScreeningReport
    fields = ["created_at", "is_clean", "check_list", "duplicate_list"]
    readonly_fields = fields


class ClarificationInline(ReadOnlyInline):
    model = ClarificationRequest
    fields = ["asked_at", "question", "asked_by", "answer", "answered_at", "answered_by"]
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    formfield_overrides = URL_AS_HTTPS
    list_display = [
        "reference",
        "title",
        "organisation",
        "cycle",
        "status",
        "early_bird",
        "submitted_at",
        "topic",
    ]
    list_filter = ["cycle", "status", "early_bird", "topic", "organisation__continent", "imported"]
    search_fields = ["reference", "title", "organisation__name"]
    list_select_related = ["cycle", "organisation"]
    readonly_fields = [
        "reference",
        "status",
        "sequence",
        "submitted_at",
        "early_bird",
        "created_by",
        "created_at",
        "updated_at",
        "imported",
    ]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "submitted_at"
    inlines = [
        ContactInline,
        PartnerInline,
        GoalInline,
        AttachmentInline,
        ClarificationInline,
        ScreeningReportInline,
        StatusChangeInline,
    ]
    fieldsets = (
        (None, {"fields": ("reference", "cycle", "organisation", "status", "sequence")}),
        (
            _("Dates"),
            {"fields": ("submitted_at", "early_bird", "created_by", "created_at", "updated_at")},
        ),
        (
            _("Step 1"),
            {"fields": STEP1_FIELDS},
        ),
        (
            _("Step 2"),
            {
                "classes": ("collapse",),
                "fields": STEP2_TEXT_FIELDS,
            },
        ),
        (_("Secretariat and judging"), {"fields": ("topic", "citation", "imported", "source_url")}),
    )


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["submission", "from_status", "to_status", "transition", "by", "at"]
    list_filter = ["transition", "to_status"]
    search_fields = ["submission__reference", "note"]
    list_select_related = ["submission", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScreeningReport)
class ScreeningReportAdmin(ReadableReportMixin, admin.ModelAdmin):
    list_display = ["submission", "is_clean", "created_at"]
    list_filter = ["is_clean"]
    search_fields = ["submission__reference"]
    fields = ["submission", "created_at", "is_clean", "check_list", "duplicate_list"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    list_display = ["key", "to", "subject", "state", "queued_at", "sent_at"]
    list_filter = ["state", "template_key", "language"]
    search_fields = ["key", "to", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EarlyBirdFeedback)
class EarlyBirdFeedbackAdmin(admin.ModelAdmin):
    """Read-only: feedback is written and sent once from the console."""

    list_display = ["submission", "sent_at", "updated_at"]
    list_select_related = ["submission"]
    search_fields = ["submission__reference", "text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
