"""The city officials' area. Every view declares its permission (``access``)."""

from django.urls import path

from submissions.views import applicant, documents, files

app_name = "submissions"
urlpatterns = [
    path("my/", applicant.dashboard, name="dashboard"),
    path("my/city/new/", applicant.organisation_create, name="organisation_create"),
    path("my/city/edit/", applicant.organisation_edit, name="organisation_edit"),
    path("my/city/members/", applicant.organisation_members, name="organisation_members"),
    path("invitations/<uuid:token>/", applicant.invitation_accept, name="invitation_accept"),
    path("my/entries/new/", applicant.submission_start, name="submission_start"),
    path("my/entries/<int:pk>/", applicant.preview, name="preview"),
    path("my/entries/<int:pk>/step-<int:step>/", applicant.application_step, name="step"),
    path("my/entries/<int:pk>/save/<str:field>/", applicant.field_save, name="field_save"),
    path("my/entries/<int:pk>/contacts/", applicant.contacts_save, name="contacts_save"),
    path("my/entries/<int:pk>/partners/add/", applicant.partner_add, name="partner_add"),
    path(
        "my/entries/<int:pk>/partners/<int:partner_pk>/remove/",
        applicant.partner_remove,
        name="partner_remove",
    ),
    path("my/entries/<int:pk>/attachments/", applicant.attachments, name="attachments"),
    path(
        "my/entries/<int:pk>/attachments/<int:attachment_pk>/delete/",
        applicant.attachment_delete,
        name="attachment_delete",
    ),
    path(
        "entries/<int:pk>/files/<int:attachment_pk>/",
        files.attachment,
        name="attachment",
    ),
    path("my/entries/<int:pk>/application.pdf", documents.application_pdf, name="application_pdf"),
    path("my/entries/<int:pk>/certificate.pdf", documents.certificate, name="certificate"),
    path("my/entries/<int:pk>/submit/", applicant.submit, name="submit"),
    path("my/entries/<int:pk>/withdraw/", applicant.withdraw, name="withdraw"),
    path(
        "my/entries/<int:pk>/clarifications/<int:clarification_pk>/answer/",
        applicant.clarification_answer,
        name="clarification_answer",
    ),
]
