"""Cycles: the list, a new cycle, the overview, settings, dates (with their history) and
publication of the results."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.content_languages import translations_from
from console.forms import (
    CycleCreateForm,
    CycleDatesForm,
    CycleSettingsForm,
    PublishForm,
)
from console.views._common import cycle_or_404, form_errors, secretariat_only
from judging import selectors as judging_selectors
from judging.models import Panel
from submissions.models import Cycle
from submissions.selectors.console import (
    cycle_funnel,
    cycle_list_console,
    deadline_change_list,
)
from submissions.services.cycles import (
    DATE_FIELDS,
    cycle_change_dates,
    cycle_create,
    cycle_update_settings,
)
from submissions.services.publishing import (
    cycle_cancel_scheduled_results,
    cycle_publication_problems,
    cycle_publish_results,
    cycle_schedule_results,
)


@secretariat_only
def index(request):
    return render(request, "console/index.html", {"cycles": cycle_list_console()})


@secretariat_only
def cycle_new(request):
    form = CycleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = cycle_create(
                number=data["number"],
                year=data["year"],
                theme=data["theme"],
                theme_translations=translations_from(data, "theme"),
                dates={f: data[f] for f in DATE_FIELDS},
                copy_from=data["copy_from"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Cycle %(n)s was created.") % {"n": cycle.number})
            return redirect("console:cycle", number=cycle.number)
    return render(
        request, "console/cycle_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _panels_with_progress(cycle: Cycle):
    panels = []
    for panel in Panel.objects.filter(cycle=cycle).order_by("kind"):
        panels.append((panel, judging_selectors.reviewer_progress(panel)))
    return panels


@secretariat_only
def cycle_overview(request, number: int):
    cycle = cycle_or_404(number)
    panels = _panels_with_progress(cycle)
    panel_kinds = {p.kind for p, _rows in panels}
    return render(
        request,
        "console/cycle_overview.html",
        {
            "cycle": cycle,
            "funnel": cycle_funnel(cycle=cycle),
            "panels": panels,
            "stages": [("tc", _("Technical Committee")), ("jury", _("Jury"))],
            "panel_kinds": panel_kinds,
            "changes": deadline_change_list(cycle=cycle)[:5],
            "problems": cycle_publication_problems(cycle=cycle) if not cycle.is_published else [],
            "now": timezone.now(),
        },
    )


@secretariat_only
def cycle_settings(request, number: int):
    cycle = cycle_or_404(number)
    form = CycleSettingsForm(request.POST or None, instance=Cycle.objects.get(pk=cycle.pk))
    if request.method == "POST" and form.is_valid():
        try:
            cycle_update_settings(cycle=cycle, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The settings of cycle %(n)s were saved.") % {"n": number})
            return redirect("console:cycle", number=number)
    return render(
        request,
        "console/cycle_settings.html",
        {"cycle": cycle, "form": form},
        status=400 if form.errors else 200,
    )


def _to_minute(value):
    return value.replace(second=0, microsecond=0) if value else value


@secretariat_only
def cycle_dates(request, number: int):
    cycle = cycle_or_404(number)
    initial = {f: getattr(cycle, f) for f in DATE_FIELDS}
    form = CycleDatesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_change_dates(
                cycle=cycle,
                dates={
                    f: form.cleaned_data[f]
                    for f in DATE_FIELDS
                    # The form shows minutes: an untouched field is not a change.
                    if _to_minute(form.cleaned_data[f]) != _to_minute(getattr(cycle, f))
                },
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The dates were changed and the change recorded."))
            return redirect("console:cycle_dates", number=number)
    return render(
        request,
        "console/cycle_dates.html",
        {"cycle": cycle, "form": form, "changes": deadline_change_list(cycle=cycle)},
        status=400 if form.errors else 200,
    )


@secretariat_only
def publish(request, number: int):
    cycle = cycle_or_404(number)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "publish":
                cycle_publish_results(cycle=cycle, by=request.user)
                messages.success(
                    request, _("The results of cycle %(n)s are public.") % {"n": number}
                )
            elif action == "schedule":
                cycle_schedule_results(
                    cycle=cycle, publish_at=form.cleaned_data["publish_at"], by=request.user
                )
                messages.success(request, _("The publication is scheduled."))
            else:
                cycle_cancel_scheduled_results(cycle=cycle, by=request.user)
                messages.success(request, _("The scheduled publication was cancelled."))
        except ValidationError as error:
            form_errors(form, error)
        else:
            return redirect("console:cycle", number=number)
    return render(
        request,
        "console/publish.html",
        {
            "cycle": cycle,
            "form": form,
            "problems": cycle_publication_problems(cycle=cycle),
        },
        status=400 if form.errors else 200,
    )
