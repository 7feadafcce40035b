"""The public site: results, initiatives' pages and the International Database (its
open data: ``open_data.py``). Everything shown comes from ``submissions.selectors.public``."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import public
from submissions.classifications import SDG_NAMES
from submissions.forms.public import DatabaseFilterForm
from submissions.models import Publication
from submissions.public_cache import TIMEOUT as PUBLIC_CACHE_TIMEOUT
from submissions.public_cache import (
    public_cache_key,
    public_cached,
    public_generation,
    public_page,
)
from submissions.selectors.jury_report import jury_report_get
from submissions.selectors.public import (
    CITED,
    PUBLIC_OUTCOMES,
    DatabaseFilters,
    attachment_get_public_photo,
    case_study_sections,
    cycle_get_published,
    cycle_list_published,
    cycle_results_groups,
    publication_list_public,
    submission_get_published,
    submission_list_listed,
    submission_list_related,
    submission_results_published,
    submission_search_published,
)
from submissions.workflow import PUBLISHABLE, Status

PAGE_SIZE = 20
# A cycle's results show this many entries of each outcome (a cycle has a handful of
# winners and a few dozen recommended entries; an imported history may have hundreds),
# and link to the database for the rest: the page stays a page, not the database.
RESULTS_SHOWN_PER_OUTCOME = 48


@public
def sitemap(request):
    from django.contrib.sitemaps.views import sitemap as render_sitemap

    from submissions.sitemaps import SITEMAPS

    return render_sitemap(request, sitemaps=SITEMAPS)


@public
def results_index(request):
    return public_page(
        request,
        render=lambda extra: render(
            request, "public/results_index.html", {"cycles": cycle_list_published()} | extra
        ),
    )


@public
def results_cycle(request, number: int):
    """A published cycle's results. Its entries are rendered once per publication
    generation and language (submissions.public_cache), not for each visitor."""
    generation = public_generation()

    def page(extra: dict):
        cycle = public_cached(
            "results_cycle",
            number,
            generation=generation,
            build=lambda: cycle_get_published(number=number),
        )
        if cycle is None:
            raise Http404(_("The results of this cycle are not published."))
        content = public_cached(
            "results_cycle_html",
            number,
            generation=generation,
            build=lambda: _results_content(cycle),
        )
        return render(
            request, "public/results_cycle.html", {"cycle": cycle, "content": content} | extra
        )

    return public_page(request, render=page, generation=generation)


def _results_content(cycle) -> str:
    """The results' body (no visitor's data: rendered without the request)."""
    groups = cycle_results_groups(cycle=cycle)
    report = jury_report_get(cycle=cycle)
    headings = [
        (Status.WINNER, _("Winners")),
        (Status.MEDAL_OF_HONOR, _("Medals of Honor")),
        (Status.SHORTLISTED, _("Shortlisted")),
        (Status.DESERVING, _("Expert-recommended (deserving)")),
    ]
    # (outcome, heading, the entries shown, how many there are): the rest of a long
    # section is a link to the database, filtered to it.
    sections = [
        (status, heading, groups[status][:RESULTS_SHOWN_PER_OUTCOME], len(groups[status]))
        for status, heading in headings
    ]
    choice = cycle.city_of_your_choice
    if choice is not None and choice.status not in PUBLISHABLE:
        choice = None  # e.g. withdrawn after the vote: never shown
    return render_to_string(
        "public/_results_cycle_content.html",
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


def _initiative_page(request, sub, *, generation: int, extra: dict):
    url = request.build_absolute_uri(sub.get_public_url())
    photos = sub.public_photos
    image = (
        request.build_absolute_uri(reverse("public:photo", args=[photos[0].pk])) if photos else ""
    )
    outcome = PUBLIC_OUTCOMES.get(sub.status, "")
    description = (sub.abstract or sub.subtitle or "")[:300]
    structured = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": sub.display_title,
        "url": url,
        "description": description,
        "about": sub.topic or None,
        "award": f"{outcome}, Guangzhou International Award for Urban Innovation "
        f"({sub.cycle.year})",
        "spatialCoverage": {
            "@type": "Place",
            "name": sub.organisation.name,
            "address": {"@type": "PostalAddress", "addressCountry": sub.organisation.country.code},
        },
        "image": image or None,
    }
    content = public_cached(
        "initiative_html", sub.pk, generation=generation, build=lambda: _initiative_content(sub)
    )
    return render(
        request,
        "public/initiative.html",
        {
            "sub": sub,
            "content": content,
            "canonical_url": url,
            "og_image": image,
            "og_description": description,
            "structured": {k: v for k, v in structured.items() if v},
        }
        | extra,
    )


def _initiative_content(sub) -> str:
    """The initiative's page body (no visitor's data: rendered without the request)."""
    return render_to_string(
        "public/_initiative_content.html",
        {
            "sub": sub,
            "outcome": PUBLIC_OUTCOMES.get(sub.status, ""),
            "show_citation": sub.status in CITED and sub.citation,
            "goals": [(g.goal, SDG_NAMES[g.goal]) for g in sub.goals.all()],
            "case_study": case_study_sections(sub),
            "related": submission_list_related(sub=sub),
        },
    )


@public
def initiative(request, number: int, slug: str):
    """A published initiative's page at its readable address."""
    generation = public_generation()

    def page(extra: dict):
        sub = public_cached(
            "initiative",
            number,
            slug,
            generation=generation,
            build=lambda: submission_get_published(cycle_number=number, slug=slug),
        )
        if sub is None:
            raise Http404(_("This initiative is not published."))
        return _initiative_page(request, sub, generation=generation, extra=extra)

    return public_page(request, render=page, generation=generation)


@public
def initiative_by_id(request, pk: int):
    """The old address by id: moved for good to the readable one where it has one."""
    generation = public_generation()
    sub = public_cached(
        "initiative_by_id",
        pk,
        generation=generation,
        build=lambda: submission_get_published(pk=pk),
    )
    if sub is None:
        raise Http404(_("This initiative is not published."))
    if sub.slug:
        return redirect(sub.get_public_url(), permanent=True)
    return public_page(
        request,
        render=lambda extra: _initiative_page(request, sub, generation=generation, extra=extra),
        generation=generation,
    )


@public
def reports(request):
    """The reports library: jury reports, analytical reports, brochures."""
    q = request.GET.get("q", "")[:200]
    try:
        cycle = int(request.GET.get("cycle") or 0)
    except ValueError:
        cycle = 0
    cycle = cycle if 0 < cycle < 10_000 else None
    page = Paginator(publication_list_public(q=q, cycle=cycle), 24).get_page(
        request.GET.get("page")
    )
    groups: dict = {}
    for publication in page.object_list:
        groups.setdefault(publication.cycle, []).append(publication)
    return render(
        request,
        "public/reports.html",
        {
            "page": page,
            "groups": list(groups.items()),
            "q": q,
            "cycle": cycle,
            "cycles": cycle_list_published(),
            "languages": dict(settings.LANGUAGES),
        },
    )


def _publication(pk: int) -> Publication:
    publication = Publication.objects.filter(pk=pk).first()
    if publication is None:
        raise Http404(_("There is no such publication."))
    return publication


@public
def report_file(request, pk: int):
    publication = _publication(pk)
    name = f"{slugify(publication.title) or 'publication'}.pdf"
    return FileResponse(publication.file.open("rb"), content_type="application/pdf", filename=name)


@public
def report_cover(request, pk: int):
    publication = _publication(pk)
    if not publication.cover:
        raise Http404(_("This publication has no cover."))
    with publication.cover.open("rb") as cover:
        head = cover.read(4)
    kind = "image/png" if head.startswith(b"\x89PNG") else "image/jpeg"
    return FileResponse(publication.cover.open("rb"), content_type=kind)


@public
def photo(request, pk: int):
    """A photo its city marked public, of a published entry; nothing else."""
    attachment = attachment_get_public_photo(pk=pk)
    if attachment is None:
        raise Http404(_("This photo is not public."))
    return FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type or "image/jpeg"
    )


def database_search(request):
    """The filter form of ``request`` and the published initiatives it selects."""
    form = DatabaseFilterForm(request.GET or None, cycles=cycle_list_published())
    return form, submission_search_published(form.filters())


@public
def database(request):
    generation = public_generation()
    cycles = public_cached(
        "published_cycles", generation=generation, build=lambda: list(cycle_list_published())
    )
    cycle = _unsearched_cycle(request.GET, cycles)
    if cycle is not None:
        return _database_unsearched(request, cycle, cycles, generation)
    form = DatabaseFilterForm(request.GET or None, cycles=cycles)
    results = submission_results_published(form.filters(), cycles=cycles, generation=generation)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    content = render_to_string(
        "public/_database_content.html",
        _database_context(request, form) | {"page": page, "lines": _listed_lines(page, generation)},
    )
    # A search's results are this visitor's; the page around them is everybody's
    # (cached for anonymous visitors, the results put in).
    return public_page(
        request,
        "searched",
        render=lambda extra: render(
            request,
            "public/database.html",
            {"content": SEARCH_RESULTS_HOLE if extra else content, "page": page} | extra,
        ),
        holes={SEARCH_RESULTS_HOLE: lambda: content},
        generation=generation,
    )


def _database_unsearched(request, cycle: int | str, cycles: list, generation: int):
    """The database without a search (all of it, or one cycle): the same page for every
    visitor until the next publication, rendered once per page and language (whole for
    anonymous visitors, its list for the others)."""
    results = submission_results_published(
        DatabaseFilters(cycle=cycle or None), cycles=cycles, generation=generation
    )
    paginator = Paginator(results, PAGE_SIZE)
    number = _page_number(paginator, request.GET.get("page"))

    def whole_page(extra: dict):
        form = DatabaseFilterForm(request.GET or None, cycles=cycles)
        # Read only if something asks for it; the cached content does not.
        page = SimpleLazyObject(lambda: paginator.page(number))
        content = public_cached(
            "database_html",
            cycle,
            number,
            generation=generation,
            build=lambda: render_to_string(
                "public/_database_content.html",
                _database_context(request, form)
                | {"page": page, "lines": _listed_lines(page, generation)},
            ),
        )
        return render(request, "public/database.html", {"content": content, "page": page} | extra)

    return public_page(request, cycle, number, render=whole_page, generation=generation)


def _database_context(request, form) -> dict:
    params = request.GET.copy()
    params.pop("page", None)
    return {"form": form, "outcomes": PUBLIC_OUTCOMES, "query_string": params.urlencode()}


def _unsearched_cycle(params, cycles: list) -> int | str | None:
    """The cycle a database request without a search or filter shows ("" for every
    cycle); None when it searches or filters, or names a cycle that is not published
    (the form then says so)."""
    if not set(params) <= UNSEARCHED_PARAMS:
        return None
    raw = params.get("cycle") or ""
    if not raw:
        return ""
    return int(raw) if raw in {str(c.number) for c in cycles} else None


def _listed_lines(page, generation: int) -> list[str]:
    """The HTML of each initiative of ``page`` (entries with only their ids loaded), as
    the database lists it: rendered once per publication generation and language, then
    read for every search that shows it (one round trip to the cache for the page; the
    entries not in it are read and rendered)."""
    keys = {
        sub.pk: public_cache_key("database_line", sub.pk, generation=generation) for sub in page
    }
    found = cache.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        rendered = {
            keys[sub.pk]: render_to_string(
                "public/_database_line.html", {"sub": sub, "outcomes": PUBLIC_OUTCOMES}
            )
            for sub in submission_list_listed(missing)
        }
        cache.set_many(rendered, timeout=PUBLIC_CACHE_TIMEOUT)
        found |= rendered
    return [found[key] for key in keys.values() if key in found]


UNSEARCHED_PARAMS = {"cycle", "page"}
# Where a search's results go in the cached page around them.
SEARCH_RESULTS_HOLE = "public-page-search-results-hole"


def _page_number(paginator: Paginator, raw) -> int:
    """The page ``Paginator.get_page`` would show for ``raw``, without reading it."""
    try:
        return paginator.validate_number(raw)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages
