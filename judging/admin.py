"""Admin for every judging model: list columns, filters, search."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import (
    Assignment,
    Criterion,
    CriterionScore,
    ExportJob,
    HearingSession,
    HearingSlot,
    OutcomeProposal,
    Panel,
    PanelMember,
    RankedEntry,
    Ranking,
    ReminderLog,
    Review,
    ReviewHistory,
    ShortlistReport,
    Vote,
)
from .services.assignment import assignment_release_conflicts


class CriterionInline(TranslationTabularInline):
    model = Criterion
    extra = 0


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = [
        "cycle",
        "kind",
        "scoring_deadline",
        "closed_at",
        "released_at",
        "reviewers_per_entry",
    ]
    list_filter = ["kind", "cycle", "conflict_scope", "aggregation"]
    search_fields = ["cycle__year", "cycle__number"]
    inlines = [CriterionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "conflict_scope" in form.changed_data:
            assignment_release_conflicts(panel=obj, by=request.user)


@admin.register(PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "panel", "is_chair", "country", "affiliation", "last_activity_at"]
    list_filter = ["panel__kind", "panel__cycle", "is_chair"]
    search_fields = ["user__email", "user__full_name", "affiliation"]
    list_select_related = ["user", "panel__cycle"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "country" in form.changed_data:
            assignment_release_conflicts(panel=obj.panel, member=obj, by=request.user)


@admin.register(Criterion)
class CriterionAdmin(TranslationAdmin):
    list_display = ["name", "panel", "weight", "scale_min", "scale_max", "order"]
    list_filter = ["panel__kind", "panel__cycle"]
    search_fields = ["name", "description"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = [
        "submission",
        "reviewer",
        "panel",
        "state",
        "created_at",
        "released_at",
        "replaced",
    ]
    list_filter = ["state", "panel__kind", "panel__cycle", "replaced"]
    search_fields = ["submission__reference", "submission__title", "reviewer__user__email"]
    list_select_related = ["submission", "reviewer__user", "panel__cycle"]
    raw_id_fields = ["submission", "reviewer", "assigned_by"]


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["assignment", "recommendation", "submitted_at", "updated_at"]
    list_filter = ["recommendation", "assignment__panel__kind", "assignment__panel__cycle"]
    search_fields = ["assignment__submission__reference", "assignment__reviewer__user__email"]
    raw_id_fields = ["assignment"]
    inlines = [CriterionScoreInline]


@admin.register(ReviewHistory)
class ReviewHistoryAdmin(admin.ModelAdmin):
    list_display = ["review", "by", "at"]
    list_filter = ["review__assignment__panel__kind"]
    search_fields = ["review__assignment__submission__reference", "by__email"]
    raw_id_fields = ["review", "by"]

    def has_change_permission(self, request, obj=None):
        return False  # the history is an audit trail


class RankedEntryInline(admin.TabularInline):
    model = RankedEntry
    extra = 0
    raw_id_fields = ["submission"]


@admin.register(Ranking)
class RankingAdmin(admin.ModelAdmin):
    list_display = ["panel", "computed_at"]
    list_filter = ["panel__kind", "panel__cycle"]
    search_fields = ["panel__cycle__year"]
    inlines = [RankedEntryInline]


@admin.register(RankedEntry)
class RankedEntryAdmin(admin.ModelAdmin):
    list_display = [
        "rank",
        "submission",
        "ranking",
        "score",
        "spread",
        "review_count",
        "high_disagreement",
    ]
    list_filter = ["ranking__panel__kind", "high_disagreement"]
    search_fields = ["submission__reference", "submission__title"]
    raw_id_fields = ["submission"]


@admin.register(OutcomeProposal)
class OutcomeProposalAdmin(admin.ModelAdmin):
    list_display = ["submission", "panel", "proposed_outcome", "outcome", "moved_by", "moved_at"]
    list_filter = ["panel__kind", "panel__cycle", "outcome"]
    search_fields = ["submission__reference", "submission__title", "moved_reason"]
    raw_id_fields = ["submission", "moved_by"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["member", "sent_on"]
    list_filter = ["sent_on", "member__panel__kind"]
    search_fields = ["member__user__email"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["email", "submission", "cycle", "day", "ip_address", "confirmed_at"]
    list_filter = ["cycle", "day", "confirmed_at"]
    search_fields = ["email", "submission__reference", "ip_address"]
    raw_id_fields = ["submission"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "fmt",
        "cycle",
        "requested_by",
        "status",
        "progress",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "fmt"]
    search_fields = ["requested_by__email", "kind", "error"]
    raw_id_fields = ["requested_by"]


# The shortlist phase: the console and the cities' pages write these through services;
# the admin reads them.
class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HearingSession)
class HearingSessionAdmin(_ReadOnlyAdmin):
    list_display = ["cycle", "starts_at", "theme", "place"]
    list_filter = ["cycle"]
    search_fields = ["theme", "place"]


@admin.register(HearingSlot)
class HearingSlotAdmin(_ReadOnlyAdmin):
    list_display = ["submission", "session", "starts_at", "confirmed_at"]
    list_select_related = ["submission", "session"]
    search_fields = ["submission__reference", "submission__title"]


@admin.register(ShortlistReport)
class ShortlistReportAdmin(_ReadOnlyAdmin):
    list_display = ["cycle", "updated_at"]
    search_fields = ["text"]
