from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from accounts.access import public
from submissions.models import Cycle
from submissions.public_cache import public_cached, public_generation, public_page


@public
def home(request):
    """The award's front page: the open call, links into each user's area. From the
    public cache (submissions.public_cache): whole for anonymous visitors, its two
    cycles for the others."""
    generation = public_generation()

    def page(extra: dict):
        open_cycle, latest_published = public_cached(
            "home", generation=generation, build=_home_cycles
        )
        return render(
            request,
            "home.html",
            {"open_cycle": open_cycle, "latest_published": latest_published} | extra,
        )

    return public_page(request, render=page, generation=generation)


def _home_cycles() -> tuple[Cycle | None, Cycle | None]:
    return (
        Cycle.objects.filter(is_open=True).first(),
        Cycle.objects.filter(results_published_at__isnull=False).first(),
    )


@public
def healthz(request):
    """For load balancers and the compose healthcheck: is the database reachable?"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
