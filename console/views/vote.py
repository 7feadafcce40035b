"""The public vote for City of Your Choice: its window, the live count and the title."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from console.forms import (
    VoteWindowForm,
)
from console.views._common import cycle_or_404, form_errors, secretariat_only
from judging.votes import cycle_city_of_your_choice_set, cycle_vote_window_set, vote_counts


@secretariat_only
def vote(request, number: int):
    cycle = cycle_or_404(number)
    initial = {
        "vote_opens_at": cycle.vote_opens_at,
        "vote_closes_at": cycle.vote_closes_at,
        "votes_per_email_per_day": cycle.votes_per_email_per_day,
        "votes_per_ip_per_day": cycle.votes_per_ip_per_day,
    }
    form = VoteWindowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_vote_window_set(
                cycle=cycle,
                opens_at=form.cleaned_data["vote_opens_at"],
                closes_at=form.cleaned_data["vote_closes_at"],
                votes_per_email_per_day=form.cleaned_data["votes_per_email_per_day"],
                votes_per_ip_per_day=form.cleaned_data["votes_per_ip_per_day"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The voting window was saved."))
            return redirect("console:vote", number=number)
    return render(
        request,
        "console/vote.html",
        {"cycle": cycle, "form": form, "counts": vote_counts(cycle=cycle)},
        status=400 if form.errors else 200,
    )


@secretariat_only
def vote_live(request, number: int):
    """The live count (htmx polls it)."""
    cycle = cycle_or_404(number)
    return render(
        request, "console/_vote_counts.html", {"cycle": cycle, "counts": vote_counts(cycle=cycle)}
    )


@secretariat_only
@require_POST
def vote_title(request, number: int):
    cycle = cycle_or_404(number)
    try:
        chosen = cycle_city_of_your_choice_set(cycle=cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(city)s is the City of Your Choice; it is published with the results.")
            % {"city": chosen.organisation.name},
        )
    return redirect("console:vote", number=number)
