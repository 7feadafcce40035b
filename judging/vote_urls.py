"""Placeholder routes: the owner of this module replaces them with real views."""

from django.urls import path
from django.views.generic import TemplateView

from accounts.access import public

app_name = "vote"
_placeholder = public(TemplateView.as_view(template_name="placeholder.html"))
urlpatterns = [
    path("index-0/", _placeholder, name="index"),
]
