"""The whole application as one structure (sections, labels, values): the score page's
left column, the screening page, the city's preview and the PDF dossier all read it,
so the page and the PDF cannot drift apart.

``application_body(submission=...)`` expects the entry with its organisation and its
``contacts``, ``partners``, ``goals`` and ``attachments`` (prefetched by
``submission_get_for_dossier``); it does no query of its own beyond those relations.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext_lazy as _

from accounts import formats
from submissions.models import Attachment, Submission

EMPTY = "—"


@dataclass(frozen=True)
class Row:
    """One labelled value of a list of facts; ``url`` makes the value a link."""

    label: Any
    value: str
    url: str = ""


@dataclass(frozen=True)
class Block:
    """A piece of a section. ``kind`` says how to show it:

    - ``rows``: ``rows`` (a list of facts)
    - ``title``, ``lead``: ``value`` as the entry's title or subtitle
    - ``note``: ``label``: ``value`` in small print
    - ``text``: a heading ``label`` and a long ``value`` (line breaks kept)
    - ``contacts``, ``partners``: ``items`` (model rows)
    - ``goals``: ``items`` (SDG numbers)
    - ``photos``, ``files``: ``items`` (``AttachmentItem``)
    """

    kind: str
    label: Any = ""
    value: str = ""
    rows: tuple = ()
    items: tuple = ()


@dataclass(frozen=True)
class AttachmentItem:
    attachment: Attachment
    name: str
    caption: str
    size: str = ""

    @property
    def pk(self) -> int:
        return self.attachment.pk

    @property
    def kind(self) -> str:
        return self.attachment.kind

    @property
    def video_url(self) -> str:
        return self.attachment.video_url


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def html_id(self) -> str:
        return f"app-{self.key}"


def _or_empty(value) -> str:
    return EMPTY if value in (None, "", []) else str(value)


def _date(value) -> str:
    return formats.date_text(value) if value else EMPTY


def _city(submission: Submission) -> Section:
    org = submission.organisation
    country = str(org.country.name) if org.country else ""
    if org.continent:
        country = f"{country} · {org.get_continent_display()}"
    return Section(
        "city",
        _("City profile"),
        (
            Block(
                "rows",
                rows=(
                    Row(_("Local government"), f"{org.name} ({org.get_kind_display()})"),
                    Row(_("Province or state"), _or_empty(org.province)),
                    Row(_("Country"), _or_empty(country)),
                    Row(
                        _("Population"),
                        EMPTY if org.population is None else intcomma(org.population),
                    ),
                    Row(_("Area (km²)"), _or_empty(org.area_km2)),
                    Row(
                        _("GDP per capita (USD)"),
                        EMPTY
                        if org.gdp_per_capita_usd is None
                        else intcomma(org.gdp_per_capita_usd),
                    ),
                    Row(_("Website"), _or_empty(org.website), url=org.website),
                ),
            ),
        ),
    )


def _basic(submission: Submission) -> Section:
    end = _("ongoing") if submission.ongoing else _date(submission.end_date)
    blocks = [Block("title", value=str(submission.display_title))]
    if submission.subtitle:
        blocks.append(Block("lead", value=submission.subtitle))
    if submission.umbrella_title:
        blocks.append(Block("note", label=_("Umbrella title"), value=submission.umbrella_title))
    blocks += [
        Block(
            "rows",
            rows=(
                Row(_("Period"), f"{_date(submission.start_date)} – {end}"),
                Row(_("Domains"), _or_empty(", ".join(map(str, submission.domain_labels)))),
                Row(
                    _("Innovation types"),
                    _or_empty(", ".join(map(str, submission.innovation_type_labels))),
                ),
                Row(_("Kind of innovation"), _or_empty(submission.get_innovation_kind_display())),
            ),
        ),
        Block("text", label=_("Abstract"), value=_or_empty(submission.abstract)),
        Block("contacts", label=_("Contact persons"), items=tuple(submission.contacts.all())),
    ]
    return Section("basic", _("Basic information"), tuple(blocks))


INITIATIVE_TEXTS = (
    ("background", _("Background and policy framework")),
    ("problem", _("The problem")),
    ("innovation", _("The innovation")),
    ("implementation", _("Implementation and partners")),
    ("resources", _("Resources and financing")),
    ("results", _("Results, evidence and indicators")),
    ("sustainability", _("Sustainability")),
    ("transferability", _("Transferability")),
)


def _initiative(submission: Submission) -> Section:
    blocks = []
    for name, label in INITIATIVE_TEXTS:
        blocks.append(Block("text", label=label, value=_or_empty(getattr(submission, name))))
        if name == "implementation":
            partners = tuple(submission.partners.all())
            if partners:
                blocks.append(Block("partners", label=_("Partners"), items=partners))
    blocks += [
        Block(
            "goals",
            label=_("Sustainable Development Goals"),
            items=tuple(g.goal for g in submission.goals.all()),
        ),
        Block(
            "text", label=_("Links to the New Urban Agenda"), value=_or_empty(submission.nua_links)
        ),
        Block("text", label=_("Lessons learned"), value=_or_empty(submission.lessons)),
    ]
    return Section("initiative", _("The initiative"), tuple(blocks))


def _attachments(submission: Submission) -> Section:
    photos, files = [], []
    for a in submission.attachments.all():
        item = AttachmentItem(
            attachment=a,
            name=a.original_name or a.video_url,
            caption=a.caption,
            size=formats.file_size(a.size_bytes) if a.kind != Attachment.Kind.VIDEO else "",
        )
        (photos if a.kind == Attachment.Kind.PHOTO else files).append(item)
    blocks = []
    if photos:
        blocks.append(Block("photos", label=_("Photos"), items=tuple(photos)))
    if files:
        blocks.append(Block("files", label=_("Documents and videos"), items=tuple(files)))
    return Section("attachments", _("Attachments"), tuple(blocks))


def application_body(*, submission: Submission) -> list[Section]:
    """The application's sections in reading order: city profile, basic information
    (step 1), the initiative (step 2 with partners, SDGs and NUA links), attachments."""
    return [
        _city(submission),
        _basic(submission),
        _initiative(submission),
        _attachments(submission),
    ]


def submission_get_for_dossier(*, pk: int) -> Submission:
    """One entry with the relations ``application_body`` reads, in five queries."""
    return (
        Submission.objects.select_related("cycle", "organisation")
        .prefetch_related("contacts", "partners", "goals", "attachments")
        .get(pk=pk)
    )
