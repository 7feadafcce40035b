"""The public vote "City of Your Choice": choose, give an email, confirm by link."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import public
from judging.forms_vote import VoteForm
from judging.votes import (
    cycle_get_voting,
    vote_candidates,
    vote_cast,
    vote_confirm,
    vote_from_token,
)
from submissions.models import Cycle
from submissions.public_cache import public_cached, public_generation

CARDS = "vote/_candidates.html"


def _client_ip(request) -> str | None:
    """The voter's address for the per-IP limit. Behind the production proxy (the one
    that sets SECURE_PROXY_SSL_HEADER) it is the last hop the proxy appended to
    X-Forwarded-For; without a proxy that header is the client's own word and ignored."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _vote_page_data() -> tuple[Cycle | None, list, str]:
    """The cycle whose vote is open now, its candidates (as ``cycle_get_voting`` and
    ``vote_candidates`` give them) and their cards' HTML with none chosen, from the
    public cache (submissions.public_cache): a rush of visitors reads no database and
    renders no card to see the page. The window is checked against the clock on every
    request; only the cycles' windows, the candidates and the cards are cached."""
    generation = public_generation()
    with_window = public_cached(
        "vote_cycles",
        generation=generation,
        build=lambda: list(
            Cycle.objects.filter(
                vote_opens_at__isnull=False, vote_closes_at__isnull=False
            ).order_by("-number")
        ),
    )
    now = timezone.now()
    cycle = next((c for c in with_window if c.vote_opens_at <= now < c.vote_closes_at), None)
    if cycle is None:
        return None, [], ""
    candidates = public_cached(
        "vote_candidates",
        cycle.pk,
        generation=generation,
        build=lambda: list(vote_candidates(cycle=cycle)),
    )
    cards = public_cached(
        "vote_cards",
        cycle.pk,
        generation=generation,
        build=lambda: render_to_string(CARDS, {"candidates": candidates, "chosen": ""}),
    )
    return cycle, candidates, cards


@public
def index(request):
    if request.method == "POST":
        # A vote is checked against the database itself, never against a cached list.
        cycle = cycle_get_voting()
        candidates = list(vote_candidates(cycle=cycle)) if cycle else []
        cards = ""  # shown again with the visitor's choice
    else:
        cycle, candidates, cards = _vote_page_data()
    form = VoteForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and cycle is not None and form.is_valid():
        try:
            vote_cast(
                cycle=cycle,
                submission_id=form.cleaned_data["submission"],
                email=form.cleaned_data["email"],
                ip_address=_client_ip(request),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _(
                    "Thank you! We have sent a confirmation link to %(email)s: your vote counts once you open it."
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("vote:index")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "vote/index.html",
        {
            "cycle": cycle,
            "candidates": candidates,
            "cards": cards,
            "chosen": str(form["submission"].value() or ""),
            "form": form,
        },
        status=status,
    )


@public
def confirm(request, token: str):
    """GET shows the vote to confirm; POST confirms it (mail scanners only GET)."""
    try:
        vote = vote_from_token(token=token)
        if request.method == "POST":
            vote = vote_confirm(token=token)
            return render(request, "vote/confirmed.html", {"vote": vote})
    except ValidationError as error:
        return render(request, "vote/confirm_error.html", {"errors": error.messages}, status=400)
    return render(request, "vote/confirm.html", {"vote": vote})
