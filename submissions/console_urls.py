"""The secretariat's console. Every view requires ``accounts.secretariat``."""

from django.urls import path

from submissions.views import console as views

app_name = "console"
cycle = "cycles/<int:number>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("cycles/new/", views.cycle_new, name="cycle_new"),
    path(cycle, views.cycle_overview, name="cycle"),
    path(cycle + "settings/", views.cycle_settings, name="cycle_settings"),
    path(cycle + "dates/", views.cycle_dates, name="cycle_dates"),
    path(cycle + "topics/", views.topics, name="topics"),
    path(cycle + "publish/", views.publish, name="publish"),
    path(cycle + "vote/", views.vote, name="vote"),
    path(cycle + "vote/live/", views.vote_live, name="vote_live"),
    path(cycle + "vote/title/", views.vote_title, name="vote_title"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/download.<str:fmt>", views.statistics_download, name="statistics_download"),
    path("exports/", views.exports, name="exports"),
    path("exports/<uuid:token>/", views.export_status, name="export_status"),
    path("exports/<uuid:token>/download/", views.export_download, name="export_download"),
]
