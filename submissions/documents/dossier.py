"""An entry's dossier: the application (from the same selector as the score page),
its photos as images, the list of attachments with sizes, and its PDF attachments
appended, with the award's header and footer stamped on every page."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from submissions.models import Attachment, Submission
from submissions.selectors.application_body import Block, application_body

from .pdf import BRAND, PageStamp, assemble, page_count, para, readable_pdf, render

log = logging.getLogger(__name__)

AWARD_NAME = "Guangzhou International Award for Urban Innovation"
AWARD_NAME_ZH = "广州国际城市创新奖"
PHOTO_MAX_W = 120 * mm
PHOTO_MAX_H = 85 * mm
CONTENT_W = 174 * mm  # A4 width less the margins


def cycle_label(cycle) -> str:
    return _("Cycle %(n)s (%(year)s)") % {"n": cycle.number, "year": cycle.year}


def entry_stamp(submission: Submission) -> PageStamp:
    """The header and footer of every page of an entry's dossier."""
    title = str(submission.display_title)
    if len(title) > 90:
        title = title[:89] + "…"
    return PageStamp(
        left=f"{submission.reference} · {cycle_label(submission.cycle)}",
        right=_("Confidential – for assessment only"),
        footer=title,
    )


def _is_pdf(a: Attachment) -> bool:
    return a.kind == Attachment.Kind.DOCUMENT and (
        a.content_type == "application/pdf" or a.original_name.lower().endswith(".pdf")
    )


def _read(a: Attachment) -> bytes:
    try:
        with a.file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        log.warning("attachment %s of entry %s is missing its file", a.pk, a.submission_id)
        return b""


def _rows_table(rows) -> Table:
    data = [[para(r.label, "label"), para(r.value, "cell")] for r in rows]
    table = Table(data, colWidths=[48 * mm, CONTENT_W - 48 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _grid(header: list[str], rows: list[list[str]], widths) -> Table:
    data = [[para(h, "label") for h in header]] + [[para(v, "cell") for v in r] for r in rows]
    table = Table(data, colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, BRAND),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


class _JpegReader(ImageReader):
    """An ImageReader that hands ReportLab the JPEG bytes themselves, so the photo is
    embedded as it is (DCTDecode) instead of being re-compressed pixel by pixel."""

    def __init__(self, jpeg: bytes):
        super().__init__(io.BytesIO(jpeg))
        self._jpeg = jpeg

    def jpeg_fh(self):
        return io.BytesIO(self._jpeg)


class _Photo(Flowable):
    def __init__(self, reader: ImageReader, width: float, height: float):
        super().__init__()
        self.reader, self.width, self.height = reader, width, height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height)


PHOTO_MAX_PX = 1400  # about 290 dpi at the largest printed size: sharp, and small


def _photo_flowable(data: bytes) -> _Photo:
    """A photo scaled down to print size and embedded as JPEG (fast and small, even
    for a 12-megapixel upload). Raises on a file Pillow cannot read."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    with PILImage.open(io.BytesIO(data)) as img:
        img.draft("RGB", (PHOTO_MAX_PX, PHOTO_MAX_PX))  # JPEG: decode at a reduced scale
        picture = ImageOps.exif_transpose(img)
        if picture.mode in ("RGBA", "LA", "P"):
            picture = picture.convert("RGBA")
            background = PILImage.new("RGB", picture.size, (255, 255, 255))
            background.paste(picture, mask=picture.getchannel("A"))
            picture = background
        else:
            picture = picture.convert("RGB")
        picture.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=82)
        width, height = picture.size
    scale = min(PHOTO_MAX_W / width, PHOTO_MAX_H / height)
    return _Photo(_JpegReader(out.getvalue()), width * scale, height * scale)


def _photo(item) -> list:
    try:
        image = _photo_flowable(_read(item.attachment))
    except Exception:  # noqa: BLE001 - a damaged photo is named, not drawn
        return [para(_("%(name)s: this photo could not be read.") % {"name": item.name}, "small")]
    return [KeepTogether([image, para(item.caption or item.name, "small"), Spacer(1, 3 * mm)])]


def _text_paragraphs(value: str) -> list:
    # One Paragraph per blank-line-separated part: a long answer breaks across pages.
    parts = [p for p in value.replace("\r\n", "\n").split("\n\n") if p.strip()] or [value]
    return [para(p) for p in parts]


def _block(block: Block, appended: set[int]) -> list:
    kind = block.kind
    if kind == "rows":
        return [_rows_table(block.rows), Spacer(1, 2 * mm)]
    if kind == "title":
        return [para(block.value, "h1")]
    if kind == "lead":
        return [para(block.value, "subtitle")]
    if kind == "note":
        return [para(f"{block.label}: {block.value}", "small")]
    if kind == "text":
        return [CondPageBreak(20 * mm), para(block.label, "h3"), *_text_paragraphs(block.value)]
    if kind == "contacts":
        lines = [
            " · ".join(
                v
                for v in (f"{c.name}, {c.position}" if c.position else c.name, c.email, c.phone)
                if v
            )
            for c in block.items
        ] or ["—"]
        return [para(block.label, "h3"), *[para(line) for line in lines]]
    if kind == "partners":
        rows = [[p.name, str(p.get_kind_display()), p.role] for p in block.items]
        header = [_("Partner"), _("Type"), _("Role")]
        return [para(block.label, "h3"), _grid(header, rows, [70 * mm, 35 * mm, 69 * mm])]
    if kind == "goals":
        goals = ", ".join(_("SDG %(n)s") % {"n": g} for g in block.items) or "—"
        return [para(block.label, "h3"), para(goals)]
    if kind == "photos":
        out = [para(block.label, "h3")]
        for item in block.items:
            out += _photo(item)
        return out
    if kind == "files":
        rows = []
        for item in block.items:
            if item.kind == Attachment.Kind.VIDEO:
                rows.append([item.caption or item.video_url, item.video_url, _("video link")])
                continue
            note = item.size
            if item.pk in appended:
                note = f"{item.size} · {_('appended')}"
            rows.append([item.name, item.caption, note])
        header = [_("File"), _("Caption"), _("Size")]
        return [para(block.label, "h3"), _grid(header, rows, [72 * mm, 67 * mm, 35 * mm])]
    return []


@dataclass
class EntryPages:
    """An entry's pages before stamping: the generated part and its appended PDFs."""

    submission: Submission
    parts: list[bytes]
    pages: int


def dossier_story(submission: Submission, *, appended: set[int] = frozenset()) -> list:
    """The flowables of an entry's dossier (without the appended attachments)."""
    org = submission.organisation
    story = [
        para(f"{AWARD_NAME} · {AWARD_NAME_ZH}", "small"),
        para(_("Entry dossier"), "title"),
        para(
            f"{submission.reference} · {org.name}, {org.country.name} · "
            f"{cycle_label(submission.cycle)}",
            "subtitle",
        ),
        Spacer(1, 4 * mm),
    ]
    for section in application_body(submission=submission):
        story += [CondPageBreak(30 * mm), para(section.title, "h2")]
        if not section.blocks:
            story.append(para("—"))
        for block in section.blocks:
            story += _block(block, appended)
    return story


def entry_pages(submission: Submission) -> EntryPages:
    """Render an entry (loaded with ``submission_get_for_dossier``) and read its PDF
    attachments; unreadable or encrypted PDFs are listed but not appended."""
    attachments = []
    appended: set[int] = set()
    extra = 0
    for a in submission.attachments.all():
        if not _is_pdf(a):
            continue
        data = _read(a)
        count = readable_pdf(data)
        if count:
            attachments.append(data)
            appended.add(a.pk)
            extra += count
    body = render(
        dossier_story(submission, appended=appended),
        title=f"{submission.reference} {submission.display_title}",
        author=AWARD_NAME,
    )
    return EntryPages(submission, [body, *attachments], page_count(body) + extra)


def dossier_pdf(*, submission: Submission) -> bytes:
    """The entry's dossier as PDF bytes, every page stamped."""
    pages = entry_pages(submission)
    stamp = entry_stamp(submission)
    return assemble(
        pages.parts,
        stamps=lambda i: stamp,
        title=f"{submission.reference} – {submission.display_title}",
    )
