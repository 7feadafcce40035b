from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from accounts.access import public
from submissions.models import Cycle


@public
def home(request):
    """The award's front page: the open call, links into each user's area."""
    open_cycle = Cycle.objects.filter(is_open=True).first()
    latest_published = Cycle.objects.filter(results_published_at__isnull=False).first()
    return render(
        request,
        "home.html",
        {"open_cycle": open_cycle, "latest_published": latest_published},
    )


@public
def healthz(request):
    """For load balancers and the compose healthcheck: is the database reachable?"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
