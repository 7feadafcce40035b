"""Public email pages: the unsubscribe link of announcements (no sign-in needed)."""

from django.urls import path

from submissions.views import emails as views

app_name = "emails"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
