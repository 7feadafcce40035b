"""Statistics of one cycle or of all, on the page and as CSV/XLSX."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from console.views._common import secretariat_only
from judging.exports import rows_to_csv, rows_to_xlsx
from submissions.classifications import SDG_NAMES, Domain, Topic
from submissions.models import Cycle
from submissions.selectors.statistics import (
    statistics_get,
    statistics_list_per_cycle,
    statistics_table_rows,
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
