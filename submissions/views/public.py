"""The public site: results, initiatives' pages, the International Database and its
open data. Everything shown comes from ``submissions.selectors.public``."""

import csv

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import public
from submissions.classifications import SDG_NAMES
from submissions.forms.public import DatabaseFilterForm
from submissions.selectors.jury_report import jury_report_get
from submissions.selectors.public import (
    CITED,
    OPEN_DATA_FIELDS,
    PUBLIC_OUTCOMES,
    attachment_get_public_photo,
    cycle_get_published,
    cycle_list_published,
    cycle_results_groups,
    open_data_row,
    submission_get_published,
    submission_search_published,
)
from submissions.workflow import PUBLISHABLE, Status

PAGE_SIZE = 20


@public
def results_index(request):
    return render(request, "public/results_index.html", {"cycles": cycle_list_published()})


@public
def results_cycle(request, number: int):
    cycle = cycle_get_published(number=number)
    if cycle is None:
        raise Http404(_("The results of this cycle are not published."))
    groups = cycle_results_groups(cycle=cycle)
    report = jury_report_get(cycle=cycle)
    sections = [
        (Status.WINNER, _("Winners"), groups[Status.WINNER]),
        (Status.MEDAL_OF_HONOR, _("Medals of Honor"), groups[Status.MEDAL_OF_HONOR]),
        (Status.SHORTLISTED, _("Shortlisted"), groups[Status.SHORTLISTED]),
        (Status.DESERVING, _("Expert-recommended (deserving)"), groups[Status.DESERVING]),
    ]
    choice = cycle.city_of_your_choice
    if choice is not None and choice.status not in PUBLISHABLE:
        choice = None  # e.g. withdrawn after the vote: never shown
    return render(
        request,
        "public/results_cycle.html",
        {
            "cycle": cycle,
            "sections": sections,
            "cited": CITED,
            "city_of_your_choice": choice,
            "report": report,
            # Shown after the medals (not one of ``sections``: a jury's own choice).
            "special_mentions": report["special_mentions"],
        },
    )


@public
def jury_report_pdf(request, number: int):
    """A published cycle's signed jury report as a PDF."""
    from submissions.documents.jury_report import jury_report_pdf as build_pdf

    cycle = cycle_get_published(number=number)
    if cycle is None or cycle.jury_report_signed_at is None:
        raise Http404(_("This jury report is not published."))
    response = HttpResponse(build_pdf(jury_report_get(cycle=cycle)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="jury-report-cycle-{cycle.number}.pdf"'
    return response


@public
def initiative(request, pk: int):
    sub = submission_get_published(pk=pk)
    if sub is None:
        raise Http404(_("This initiative is not published."))
    return render(
        request,
        "public/initiative.html",
        {
            "sub": sub,
            "outcome": PUBLIC_OUTCOMES.get(sub.status, ""),
            "show_citation": sub.status in CITED and sub.citation,
            "goals": [(g.goal, SDG_NAMES[g.goal]) for g in sub.goals.all()],
        },
    )


@public
def photo(request, pk: int):
    """A photo its city marked public, of a published entry; nothing else."""
    attachment = attachment_get_public_photo(pk=pk)
    if attachment is None:
        raise Http404(_("This photo is not public."))
    return FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type or "image/jpeg"
    )


def _search(request):
    form = DatabaseFilterForm(request.GET or None, cycles=cycle_list_published())
    return form, submission_search_published(form.filters())


@public
def database(request):
    form, qs = _search(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "public/database.html",
        {
            "form": form,
            "page": page,
            "outcomes": PUBLIC_OUTCOMES,
            "query_string": params.urlencode(),
        },
    )


def _open_data_rows(request):
    _form, qs = _search(request)
    base = request.build_absolute_uri("/")[:-1]
    return (open_data_row(sub, base_url=base) for sub in qs.iterator(chunk_size=500))


@public
def database_json(request):
    rows = list(_open_data_rows(request))
    response = JsonResponse({"count": len(rows), "initiatives": rows})
    response["Content-Disposition"] = 'attachment; filename="guangzhou-award-initiatives.json"'
    return response


@public
def database_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="guangzhou-award-initiatives.csv"'
    writer = csv.DictWriter(response, fieldnames=OPEN_DATA_FIELDS)
    writer.writeheader()
    for row in _open_data_rows(request):
        writer.writerow(
            {
                **row,
                "sdgs": " ".join(str(g) for g in row["sdgs"]),
                "domains": " ".join(row["domains"]),
            }
        )
    return response
