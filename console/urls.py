"""The Secretariat's console. Every view requires ``accounts.secretariat``."""

from django.urls import path

from console.views import cycles, exports, feedback, hearings, statistics, topics, vote

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
    path(cycle + "vote/", vote.vote, name="vote"),
    path(cycle + "vote/live/", vote.vote_live, name="vote_live"),
    path(cycle + "vote/title/", vote.vote_title, name="vote_title"),
    path("statistics/", statistics.statistics, name="statistics"),
    path(
        "statistics/download.<str:fmt>", statistics.statistics_download, name="statistics_download"
    ),
    path("exports/", exports.exports, name="exports"),
    path("exports/<uuid:token>/", exports.export_status, name="export_status"),
    path("exports/<uuid:token>/download/", exports.export_download, name="export_download"),
]
