"""The portal's URLs plus three bare reference views, for ``make bench`` only
(``awardportal.settings.bench``). Each reference is the least a page of its kind can
cost on this server: Django with the production middleware, one query or one
20-row query, a small template. Nothing here is reachable with the normal settings
(tests/bench/test_bench_config.py pins that)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from accounts.access import public
from awardportal.urls import urlpatterns as portal_urlpatterns
from submissions.models import Submission


@public
def bare(request):
    """No template, no query: what Django and gunicorn cost per request."""
    return HttpResponse(b"ok", content_type="text/plain")


@public
def bare_detail(request, pk: int):
    """One row by primary key, a small template."""
    entry = get_object_or_404(Submission.objects.only("pk", "title", "reference"), pk=pk)
    return render(request, "bench/detail.html", {"entry": entry})


@public
def bare_list(request):
    """The first twenty rows by primary key with their organisation (one join), a
    small template."""
    entries = (
        Submission.objects.select_related("organisation")
        .only("pk", "title", "reference", "organisation__name", "organisation__country")
        .order_by("pk")[:20]  # the primary key's index: no sort of the whole table
    )
    return render(request, "bench/list.html", {"entries": entries})


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/detail/<int:pk>/", bare_detail, name="bench_detail"),
    path("bench/list/", bare_list, name="bench_list"),
    *portal_urlpatterns,
]
