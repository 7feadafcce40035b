"""The Secretariat's console. Every view requires ``accounts.secretariat``."""

from django.urls import path

from console.views import (
    announcements,
    cycles,
    emails,
    exports,
    feedback,
    hearings,
    publications,
    statistics,
    topics,
    vote,
)

app_name = "console"
cycle = "cycles/<int:number>/"
urlpatterns = [
    path("", cycles.index, name="index"),
    path("cycles/new/", cycles.cycle_new, name="cycle_new"),
    path(cycle, cycles.cycle_overview, name="cycle"),
    path(cycle + "settings/", cycles.cycle_settings, name="cycle_settings"),
    path(cycle + "dates/", cycles.cycle_dates, name="cycle_dates"),
    path(cycle + "topics/", topics.topics, name="topics"),
    path(cycle + "publish/", cycles.publish, name="publish"),
    path(cycle + "feedback/", feedback.feedback_queue, name="feedback_queue"),
    path(cycle + "feedback/<int:pk>/", feedback.feedback_entry, name="feedback_entry"),
    path(cycle + "hearings/", hearings.hearings, name="hearings"),
    path(cycle + "hearings/sessions/<int:pk>/", hearings.hearing_session, name="hearing_session"),
    path(cycle + "vote/", vote.vote, name="vote"),
    path(cycle + "vote/live/", vote.vote_live, name="vote_live"),
    path(cycle + "vote/title/", vote.vote_title, name="vote_title"),
    path("statistics/", statistics.statistics, name="statistics"),
    path(
        "statistics/download.<str:fmt>", statistics.statistics_download, name="statistics_download"
    ),
    path("publications/", publications.publications, name="publications"),
    path(
        "publications/<int:pk>/remove/",
        publications.publication_remove,
        name="publication_remove",
    ),
    path("exports/", exports.exports, name="exports"),
    path("exports/<uuid:token>/", exports.export_status, name="export_status"),
    path("exports/<uuid:token>/download/", exports.export_download, name="export_download"),
    # Emails: wording per language, the outbox, a city's messages, announcements.
    path("emails/", emails.email_templates, name="email_templates"),
    path("emails/<slug:key>/<str:language>/", emails.email_template_edit, name="email_template"),
    path(
        "emails/<slug:key>/<str:language>/preview.html",
        emails.email_template_preview_html,
        name="email_template_preview",
    ),
    path("outbox/", emails.outbox, name="outbox"),
    path("outbox/<int:pk>/", emails.outbox_email, name="outbox_email"),
    path("outbox/<int:pk>/email.html", emails.outbox_email_html, name="outbox_email_html"),
    path("outbox/<int:pk>/resend/", emails.outbox_resend, name="outbox_resend"),
    path("cities/<int:pk>/", emails.city_messages, name="city"),
    path("announcements/", announcements.announcements, name="announcements"),
    path("announcements/new/", announcements.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", announcements.announcement, name="announcement"),
    path("announcements/<int:pk>/send/", announcements.announcement_send, name="announcement_send"),
]
