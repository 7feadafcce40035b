"""Judging pages. Every view is wrapped in ``accounts.access.access``."""

from django.urls import path

from .views import documents, outcomes, panels, reviewing, screening

app_name = "judging"
stage = "cycle/<int:cycle_number>/<str:kind>/"
urlpatterns = [
    path("screening/", screening.screening_queue, name="screening_queue"),
    path("screening/<int:pk>/", screening.screening_detail, name="screening_detail"),
    path(stage + "setup/", panels.panel_setup, name="panel_setup"),
    path(stage + "assignments/", panels.assignment_matrix, name="assignment_matrix"),
    path(stage + "progress/", panels.progress, name="progress"),
    path(stage + "reminders/", panels.send_reminders, name="send_reminders"),
    path(stage + "ranking/", outcomes.ranking, name="ranking"),
    path(stage + "proposals/", outcomes.proposals, name="proposals"),
    path("reviews/", reviewing.reviewer_queue, name="reviewer_queue"),
    path("reviews/<int:pk>/", reviewing.score, name="score"),
    path("reviews/<int:pk>/conflict/", reviewing.conflict, name="conflict"),
    path(stage + "documents/", documents.panel_document, name="panel_document"),
    path("entries/<int:submission_pk>/dossier.pdf", documents.dossier, name="dossier"),
    path("documents/<uuid:token>/", documents.document_job_status, name="document_job_status"),
    path(
        "documents/<uuid:token>/download/",
        documents.document_job_download,
        name="document_job_download",
    ),
    path("cycle/<int:cycle_number>/certificates/", documents.certificates, name="certificates"),
    path(
        "cycle/<int:cycle_number>/certificates/<int:submission_pk>.pdf",
        documents.certificate,
        name="certificate",
    ),
    path(
        "entries/<int:submission_pk>/files/<int:attachment_pk>/",
        reviewing.attachment,
        name="attachment",
    ),
]
