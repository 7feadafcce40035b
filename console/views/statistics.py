"""Statistics of one cycle, of a range of cycles or of all, on the page (tables and
their charts) and as CSV/XLSX."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from console.views._common import secretariat_only
from judging.exports import rows_to_csv, rows_to_xlsx
from submissions.classifications import SDG_NAMES, Domain, Topic
from submissions.continents import Continent
from submissions.models import Cycle
from submissions.selectors.statistics import (
    cycle_list_by_numbers,
    statistics_get,
    statistics_recounted,
    statistics_table_rows,
)


class Scope:
    """What the Secretariat asked for: one cycle (``?cycle=7``), a range of cycles
    (``?cycles=3&cycles=4``) or all cycles (neither)."""

    def __init__(self, request):
        self.cycle: Cycle | None = None
        self.cycles: list[Cycle] | None = None
        numbers = request.GET.getlist("cycles")
        single = request.GET.get("cycle", "")
        try:
            if numbers:
                self.cycles, missing = cycle_list_by_numbers([int(n) for n in numbers])
                if missing or not self.cycles:
                    raise Http404(_("There is no such cycle."))
            elif single and single != "all":
                self.cycle = Cycle.objects.get(number=int(single))
        except (ValueError, OverflowError, Cycle.DoesNotExist):
            raise Http404(_("There is no such cycle.")) from None

    @property
    def numbers(self) -> list[int]:
        return [c.number for c in self.cycles or []]

    @property
    def query(self) -> str:
        if self.cycle:
            return "?" + urlencode({"cycle": self.cycle.number})
        if self.cycles:
            return "?" + urlencode([("cycles", n) for n in self.numbers])
        return ""

    @property
    def file_label(self) -> str:
        if self.cycle:
            return f"cycle{self.cycle.number}"
        if self.cycles:
            return "cycles" + "-".join(map(str, self.numbers))
        return "all"

    def get(self) -> dict:
        return statistics_get(cycle=self.cycle, cycles=self.cycles)


def _topic_label(key: str) -> str:
    return str(Topic(key).label) if key in Topic.values else _("Unassigned")


def _continent_labels() -> list[str]:
    return [str(c.label) for c in Continent]


def _continent_table(stats: dict) -> dict:
    """The reports' Table 1-1: valid entries by continent (columns) per cycle (rows),
    with the total of each row and each column."""
    rows = [
        (number, list(counts.values()), sum(counts.values()))
        for number, counts in stats["by_continent_by_cycle"].items()
    ]
    column_totals = [sum(values[i] for _n, values, _t in rows) for i in range(len(Continent))]
    return {
        "columns": _continent_labels(),
        "rows": rows,
        "totals": column_totals,
        "grand_total": sum(column_totals),
    }


def _topic_table(stats: dict) -> list[tuple[str, int, int, int]]:
    """(topic, valid entries, shortlisted, winners) for every topic."""
    return [
        (
            _topic_label(key),
            n,
            stats["shortlisted_by_topic"][key],
            stats["winners_by_topic"][key],
        )
        for key, n in stats["by_topic"].items()
    ]


def _topic_continent_table(stats: dict) -> list[tuple[str, list[int], int]]:
    return [
        (_topic_label(key), list(counts.values()), sum(counts.values()))
        for key, counts in stats["by_topic_by_continent"].items()
    ]


def _chart_data(stats: dict, country_rows: list) -> dict:
    continents = _continent_labels()
    topics = [_topic_label(k) for k in stats["by_topic"]]
    funnel_labels = [_("Valid"), _("Recognised"), _("Shortlisted"), _("Winners")]
    return {
        "continent": {"labels": continents, "values": list(stats["by_continent"].values())},
        "continent_by_cycle": {
            "labels": [_("Cycle %(n)s") % {"n": n} for n in stats["by_continent_by_cycle"]],
            "stacked": True,
            "datasets": [
                {
                    "label": label,
                    "values": [c[key] for c in stats["by_continent_by_cycle"].values()],
                }
                for key, label in zip(stats["by_continent"], continents, strict=True)
            ],
        },
        "topic": {"labels": topics, "values": list(stats["by_topic"].values())},
        "topic_outcomes": {
            "labels": topics,
            "datasets": [
                {"label": _("Shortlisted"), "values": list(stats["shortlisted_by_topic"].values())},
                {"label": _("Winners"), "values": list(stats["winners_by_topic"].values())},
            ],
        },
        "topic_continent": {
            "labels": topics,
            "stacked": True,
            "datasets": [
                {
                    "label": label,
                    "values": [stats["by_topic_by_continent"][t][key] for t in stats["by_topic"]],
                }
                for key, label in zip(stats["by_continent"], continents, strict=True)
            ],
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
            "labels": funnel_labels,
            "datasets": [
                {"label": _("Entries"), "values": list(stats["funnel"].values())},
                {"label": _("Cities"), "values": list(stats["funnel_cities"].values())},
            ],
        },
        "country": {
            "labels": [name for name, _n in country_rows[:20]],
            "values": [n for _name, n in country_rows[:20]],
        },
    }


@secretariat_only
def statistics(request):
    scope = Scope(request)
    counted = statistics_recounted(cycle=scope.cycle, cycles=scope.cycles)
    stats = counted["stats"]
    from django_countries import countries

    country_rows = [(countries.name(code) or code, n) for code, n in stats["by_country"].items()]
    funnel_labels = [_("Valid"), _("Recognised"), _("Shortlisted"), _("Winners")]
    return render(
        request,
        "console/statistics.html",
        {
            "cycle": scope.cycle,
            "range": scope.cycles,
            "range_numbers": scope.numbers,
            "cycles": Cycle.objects.order_by("-number"),
            "stats": stats,
            "per_cycle": counted["per_cycle"],
            "counted_at": counted["counted_at"],
            "country_rows": country_rows,
            "funnel_rows": [
                (label, stats["funnel"][key], stats["funnel_cities"][key])
                for label, key in zip(funnel_labels, stats["funnel"], strict=True)
            ],
            "continent_table": _continent_table(stats),
            "continent_rows": list(
                zip(_continent_labels(), stats["by_continent"].values(), strict=True)
            ),
            "topic_table": _topic_table(stats),
            "topic_continent_table": _topic_continent_table(stats),
            "continent_columns": _continent_labels(),
            "sdg_rows": [(int(k), SDG_NAMES[int(k)], n) for k, n in stats["by_sdg"].items()],
            "domain_rows": [(str(Domain(k).label), n) for k, n in stats["by_domain"].items()],
            "chart_data": _chart_data(stats, country_rows),
            "query": scope.query,
        },
    )


@secretariat_only
def statistics_download(request, fmt: str):
    scope = Scope(request)
    rows = [list(r) for r in statistics_table_rows(scope.get())]
    header = ["section", "item", "count"]
    name = f"statistics-{scope.file_label}"
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
