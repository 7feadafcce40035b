"""The public site: results, initiatives, the International Database on Urban
Innovation and its open data. Every view is ``public``."""

from django.urls import path

from submissions.views import open_data
from submissions.views import public as views

app_name = "public"
urlpatterns = [
    path("results/", views.results_index, name="results_index"),
    path("results/<int:number>/", views.results_cycle, name="results_cycle"),
    path("results/<int:number>/jury-report.pdf", views.jury_report_pdf, name="jury_report_pdf"),
    path("initiatives/<int:pk>/", views.initiative_by_id, name="initiative_by_id"),
    path("initiatives/<int:number>/<str:slug>/", views.initiative, name="initiative"),
    path("initiatives/photos/<int:pk>/", views.photo, name="photo"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/file.pdf", views.report_file, name="report_file"),
    path("reports/<int:pk>/cover", views.report_cover, name="report_cover"),
    path("database/", views.database, name="database"),
    path("database/open-data/", open_data.open_data, name="open_data"),
    path("database/initiatives.json", open_data.database_json, name="database_json"),
    path("database/initiatives.csv", open_data.database_csv, name="database_csv"),
]
