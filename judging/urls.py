"""Placeholder routes: the owner of this module replaces them with real views."""

from django.urls import path
from django.views.generic import TemplateView

from accounts.access import public

app_name = "judging"
_placeholder = public(TemplateView.as_view(template_name="placeholder.html"))
urlpatterns = [
    path("reviewer_queue-0/", _placeholder, name="reviewer_queue"),
    path("screening_queue-1/", _placeholder, name="screening_queue"),
]
