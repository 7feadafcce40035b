"""The public vote "City of Your Choice": choose, give an email, confirm by link."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.access import public
from judging.forms_vote import CHALLENGE_HOLE, VoteForm, vote_challenge_json
from judging.votes import (
    vote_candidates,
    vote_cast,
    vote_confirm,
    vote_from_token,
)
from submissions.models import Cycle
from submissions.public_cache import public_cached, public_generation, public_page

CARDS = "vote/_candidates.html"


def _client_ip(request) -> str | None:
    """The voter's address for the per-IP limit. Behind the production proxy (the one
    that sets SECURE_PROXY_SSL_HEADER) it is the last hop the proxy appended to
    X-Forwarded-For; without a proxy that header is the client's own word and ignored."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _cycle_voting_now(generation: int) -> Cycle | None:
    """The cycle whose vote is open now (the newest, if windows overlap), from the
    public cache (submissions.public_cache): the window is checked against the clock on
    every request; only the cycles' windows are cached."""
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
    return next((c for c in with_window if c.vote_opens_at <= now < c.vote_closes_at), None)


def _candidates_and_cards(cycle: Cycle | None, generation: int) -> tuple[list, str]:
    """The candidates of ``cycle`` (as ``vote_candidates`` gives them) and their cards'
    HTML with none chosen, from the public cache: a rush of visitors reads no database
    and renders no card to see the page."""
    if cycle is None:
        return [], ""
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
    return candidates, cards


@public
def index(request):
    if request.method != "POST":
        generation = public_generation()
        cycle = _cycle_voting_now(generation)

        def page(extra: dict):
            candidates, cards = _candidates_and_cards(cycle, generation)
            form = VoteForm(candidates=candidates, challenge_hole=bool(extra))
            return _vote_page(request, cycle, form, cards, extra)

        # The same page for every anonymous visitor while this cycle's vote is open (or
        # none is), each with a challenge of its own (judging.forms_vote.CaptchaWidget).
        return public_page(
            request,
            cycle.pk if cycle else "closed",
            render=page,
            holes={CHALLENGE_HOLE: lambda: escape(vote_challenge_json())},
            generation=generation,
        )
    # The form is checked against the page the visitor saw (the public cache); the vote
    # itself against the database (``vote_cast`` locks the cycle, checks its window and
    # that the entry is still a candidate).
    generation = public_generation()
    cycle = _cycle_voting_now(generation)
    candidates, _cards = _candidates_and_cards(cycle, generation)
    form = VoteForm(request.POST, candidates=candidates)
    if cycle is not None and form.is_valid():
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
    # Shown again with the visitor's choice (no cached cards).
    return _vote_page(request, cycle, form, "", {}, status=400)


def _vote_page(request, cycle, form, cards: str, extra: dict, status: int = 200):
    return render(
        request,
        "vote/index.html",
        {
            "cycle": cycle,
            "candidates": form.candidates,
            "cards": cards,
            "chosen": str(form["submission"].value() or ""),
            "form": form,
        }
        | extra,
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
