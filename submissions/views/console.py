"""The secretariat's console: cycles, dates, topics, statistics, exports,
publication and the public vote. Thin views: parse, call a service, message, redirect.

The console is where submissions and judging meet: it reads judging's panels,
export jobs and votes (submissions' core never imports judging).
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access
from accounts.content_languages import translations_from
from judging import selectors as judging_selectors
from judging.exports import KINDS, export_job_list, export_job_start, rows_to_csv, rows_to_xlsx
from judging.forms_vote import VoteWindowForm
from judging.models import ExportJob, Panel
from judging.votes import cycle_city_of_your_choice_set, cycle_vote_window_set, vote_counts
from submissions.classifications import SDG_NAMES, Domain, Topic
from submissions.forms.console import (
    CycleCreateForm,
    CycleDatesForm,
    CycleSettingsForm,
    ExportForm,
    PublishForm,
    TopicBulkForm,
    TopicOneForm,
)
from submissions.models import Cycle, Submission
from submissions.selectors.console import (
    cycle_funnel,
    cycle_get_console,
    cycle_list_console,
    deadline_change_list,
    submission_list_for_topics,
)
from submissions.selectors.statistics import (
    statistics_get,
    statistics_list_per_cycle,
    statistics_table_rows,
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
from submissions.services.topics import submission_set_topic, submission_set_topic_bulk

SECRETARIAT = "accounts.secretariat"


def secretariat_only(view):
    """Secretariat only; the console reads and writes times in Beijing time."""

    @wraps(view)
    def in_beijing_time(request, *args, **kwargs):
        with timezone.override(settings.AWARD_TIME_ZONE):
            return view(request, *args, **kwargs)

    return access(SECRETARIAT)(in_beijing_time)


def _cycle(number: int) -> Cycle:
    cycle = cycle_get_console(number=number)
    if cycle is None:
        raise Http404(_("There is no such cycle."))
    return cycle


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e.messages[0])
    else:
        for message in error.messages:
            form.add_error(None, message)


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
            _form_errors(form, error)
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
    cycle = _cycle(number)
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
    cycle = _cycle(number)
    form = CycleSettingsForm(request.POST or None, instance=Cycle.objects.get(pk=cycle.pk))
    if request.method == "POST" and form.is_valid():
        try:
            cycle_update_settings(cycle=cycle, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
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
    cycle = _cycle(number)
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
            _form_errors(form, error)
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
def topics(request, number: int):
    cycle = _cycle(number)
    shown = request.GET.get("topic", "")
    entries = submission_list_for_topics(cycle=cycle, topic=shown)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    bulk = TopicBulkForm(prefix="bulk")
    if request.method == "POST":
        ids = list(submission_list_for_topics(cycle=cycle).values_list("pk", flat=True))
        if "bulk-topic" in request.POST:
            bulk = TopicBulkForm(request.POST, prefix="bulk", entry_ids=ids)
            if bulk.is_valid():
                try:
                    n = submission_set_topic_bulk(
                        cycle=cycle,
                        submission_ids=bulk.cleaned_data["entries"],
                        topic=bulk.cleaned_data["topic"],
                        by=request.user,
                    )
                except ValidationError as error:
                    _form_errors(bulk, error)
                else:
                    messages.success(request, _("The topic of %(n)s entries was set.") % {"n": n})
                    return redirect(request.get_full_path())
            for message in [
                *bulk.non_field_errors(),
                *bulk.errors.get("entries", []),
                *bulk.errors.get("topic", []),
            ]:
                messages.error(request, message)
        else:
            one = TopicOneForm(request.POST)
            sub = None
            if one.is_valid():
                sub = Submission.objects.filter(pk=one.cleaned_data["entry"], cycle=cycle).first()
            if sub is None:
                messages.error(request, _("Choose a topic for an entry of this cycle."))
            else:
                try:
                    submission_set_topic(
                        submission=sub, topic=one.cleaned_data["topic"], by=request.user
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(
                        request, _("The topic of %(ref)s was saved.") % {"ref": sub.reference}
                    )
                    return redirect(request.get_full_path())
    return render(
        request,
        "console/topics.html",
        {
            "cycle": cycle,
            "page": page,
            "topics": Topic.choices,
            "shown": shown,
            "bulk": bulk,
        },
    )


def _stats_cycle(request) -> Cycle | None:
    number = request.GET.get("cycle", "")
    if not number or number == "all":
        return None
    try:
        return Cycle.objects.get(number=int(number))
    except (ValueError, Cycle.DoesNotExist):
        raise Http404(_("There is no such cycle.")) from None


@secretariat_only
def statistics(request):
    cycle = _stats_cycle(request)
    stats = statistics_get(cycle=cycle)
    from django_countries import countries

    country_rows = [(countries.name(code) or code, n) for code, n in stats["by_country"].items()]
    chart_data = {
        "continent": {
            "labels": list(stats["by_continent"]),
            "values": list(stats["by_continent"].values()),
        },
        "topic": {
            "labels": [
                str(Topic(k).label) if k in Topic.values else _("Unassigned")
                for k in stats["by_topic"]
            ],
            "values": list(stats["by_topic"].values()),
        },
        "sdg": {
            "labels": [f"SDG {k}" for k in stats["by_sdg"]],
            "values": list(stats["by_sdg"].values()),
        },
        "domain": {
            "labels": [str(Domain(k).label) for k in stats["by_domain"]],
            "values": list(stats["by_domain"].values()),
        },
        "funnel": {
            "labels": [_("Valid"), _("Recognised"), _("Shortlisted"), _("Winners")],
            "values": list(stats["funnel"].values()),
        },
        "country": {
            "labels": [name for name, _n in country_rows[:20]],
            "values": [n for _name, n in country_rows[:20]],
        },
    }
    return render(
        request,
        "console/statistics.html",
        {
            "cycle": cycle,
            "cycles": Cycle.objects.order_by("-number"),
            "stats": stats,
            "per_cycle": statistics_list_per_cycle(),
            "country_rows": country_rows,
            "topic_rows": [
                (str(Topic(k).label) if k in Topic.values else _("Unassigned"), n)
                for k, n in stats["by_topic"].items()
            ],
            "sdg_rows": [(int(k), SDG_NAMES[int(k)], n) for k, n in stats["by_sdg"].items()],
            "domain_rows": [(str(Domain(k).label), n) for k, n in stats["by_domain"].items()],
            "chart_data": chart_data,
            "query": f"?cycle={cycle.number}" if cycle else "",
        },
    )


@secretariat_only
def statistics_download(request, fmt: str):
    cycle = _stats_cycle(request)
    rows = [list(r) for r in statistics_table_rows(statistics_get(cycle=cycle))]
    header = ["section", "item", "count"]
    name = f"statistics-{'cycle' + str(cycle.number) if cycle else 'all'}"
    if fmt == "xlsx":
        response = HttpResponse(
            rows_to_xlsx(header, rows, title="Statistics"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        response = HttpResponse(rows_to_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        raise Http404(_("Unknown format."))
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@secretariat_only
def exports(request):
    form = ExportForm(request.POST or None, initial={"cycle": request.GET.get("cycle")})
    if request.method == "POST" and form.is_valid():
        try:
            job = export_job_start(
                kind=form.cleaned_data["kind"],
                fmt=form.cleaned_data["fmt"],
                cycle=form.cleaned_data["cycle"],
                by=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.info(request, _("The export is being prepared; it appears below when ready."))
            return redirect(f"{request.path}#job-{job.token}")
    return render(
        request,
        "console/exports.html",
        {"form": form, "jobs": export_job_list(user=request.user), "kinds": KINDS},
        status=400 if form.errors else 200,
    )


def _job(token) -> ExportJob:
    return get_object_or_404(ExportJob.objects.select_related("cycle"), token=token)


@secretariat_only
def export_status(request, token):
    """The job's row: htmx polls it until the file is ready."""
    return render(request, "console/_export_job.html", {"job": _job(token), "kinds": KINDS})


@secretariat_only
def export_download(request, token):
    job = _job(token)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("This export is not ready."))
    name = job.file.name.rsplit("/", 1)[-1]
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name)


@secretariat_only
def publish(request, number: int):
    cycle = _cycle(number)
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
            _form_errors(form, error)
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


@secretariat_only
def vote(request, number: int):
    cycle = _cycle(number)
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
            _form_errors(form, error)
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
    cycle = _cycle(number)
    return render(
        request, "console/_vote_counts.html", {"cycle": cycle, "counts": vote_counts(cycle=cycle)}
    )


@secretariat_only
@require_POST
def vote_title(request, number: int):
    cycle = _cycle(number)
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
