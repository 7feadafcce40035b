"""Certificates: one A4 landscape page per recognised entry (winner, Medal of Honor,
special mention, shortlisted, deserving), once the cycle's results are published.

The wording is keyed on the outcome in ``CERTIFICATE_WORDING``: a new outcome is one
line there."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph

from submissions.models import Submission

from .dossier import AWARD_NAME, AWARD_NAME_ZH, cycle_label
from .pdf import A4_LANDSCAPE, BRAND, LATIN, LATIN_BOLD, draw_string, rich

GOLD = colors.HexColor("#b08d2c")

# outcome -> (the title on the certificate, the sentence before the initiative's title)
CERTIFICATE_WORDING = {
    "winner": (
        gettext_lazy("Winner"),
        gettext_lazy("was selected by the Jury as a Winner of the award for the initiative"),
    ),
    "medal_of_honor": (
        gettext_lazy("Medal of Honor"),
        gettext_lazy("was awarded a Medal of Honor by the Jury for the initiative"),
    ),
    "special_mention": (
        gettext_lazy("Special Mention"),
        gettext_lazy("received a Special Mention from the Jury for the initiative"),
    ),
    "shortlisted": (
        gettext_lazy("Shortlisted"),
        gettext_lazy("was shortlisted by the Technical Committee for the initiative"),
    ),
    "deserving": (
        gettext_lazy("Deserving initiative"),
        gettext_lazy("was recognised by the Technical Committee as a deserving initiative for"),
    ),
}


def certificate_available(submission: Submission) -> bool:
    """True when the entry's outcome earns a certificate and its cycle's results are
    published (before that the outcome is not public)."""
    return submission.status in CERTIFICATE_WORDING and submission.cycle.is_published


def _centred_paragraph(c, text: str, y: float, *, size: float, width: float, font=LATIN):
    style = ParagraphStyle(
        "cert",
        fontName=font,
        fontSize=size,
        leading=size * 1.25,
        alignment=TA_CENTER,
        textColor=colors.HexColor("#222222"),
    )
    p = Paragraph(rich(text, font), style)
    page_w = A4_LANDSCAPE[0]
    _, h = p.wrap(width, 80 * mm)
    p.drawOn(c, (page_w - width) / 2, y - h)
    return y - h


def draw_certificate(c, submission: Submission) -> None:
    """Draw one certificate on the current page of canvas ``c``."""
    title, sentence = CERTIFICATE_WORDING[submission.status]
    w, h = A4_LANDSCAPE
    c.setStrokeColor(BRAND)
    c.setLineWidth(3)
    c.rect(10 * mm, 10 * mm, w - 20 * mm, h - 20 * mm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.rect(14 * mm, 14 * mm, w - 28 * mm, h - 28 * mm)
    c.setFillColor(BRAND)
    draw_string(c, w / 2, h - 34 * mm, AWARD_NAME, size=17, latin=LATIN_BOLD, align="centre")
    draw_string(c, w / 2, h - 44 * mm, AWARD_NAME_ZH, size=15, align="centre")
    c.setFillColor(GOLD)
    draw_string(c, w / 2, h - 62 * mm, _("Certificate"), size=30, latin=LATIN_BOLD, align="centre")
    c.setFillColor(colors.HexColor("#333333"))
    draw_string(c, w / 2, h - 76 * mm, _("This certifies that"), size=13, align="centre")
    org = submission.organisation
    c.setFillColor(colors.black)
    draw_string(c, w / 2, h - 92 * mm, org.name, size=24, latin=LATIN_BOLD, align="centre")
    c.setFillColor(colors.HexColor("#333333"))
    draw_string(c, w / 2, h - 101 * mm, str(org.country.name), size=12, align="centre")
    draw_string(c, w / 2, h - 114 * mm, str(sentence), size=13, align="centre")
    y = _centred_paragraph(
        c,
        f"“{submission.display_title}”",
        h - 119 * mm,
        size=15,
        width=w - 80 * mm,
        font=LATIN_BOLD,
    )
    c.setFillColor(BRAND)
    draw_string(c, w / 2, y - 14 * mm, str(title), size=22, latin=LATIN_BOLD, align="centre")
    c.setFillColor(colors.HexColor("#333333"))
    draw_string(c, w / 2, y - 24 * mm, cycle_label(submission.cycle), size=13, align="centre")
    published = submission.cycle.results_published_at or timezone.now()
    footer_y = 24 * mm
    c.setStrokeColor(colors.HexColor("#888888"))
    c.setLineWidth(0.5)
    c.line(40 * mm, footer_y + 6 * mm, 110 * mm, footer_y + 6 * mm)
    c.line(w - 110 * mm, footer_y + 6 * mm, w - 40 * mm, footer_y + 6 * mm)
    draw_string(c, 75 * mm, footer_y, _("The Secretariat"), size=10, align="centre")
    draw_string(
        c,
        w - 75 * mm,
        footer_y,
        date_format(timezone.localtime(published), "j F Y"),
        size=10,
        align="centre",
    )
    draw_string(c, w / 2, 17 * mm, submission.reference, size=8, align="centre")


def certificate_pdf(*, submission: Submission) -> bytes:
    """One certificate as PDF bytes (the caller checks ``certificate_available``)."""
    out = io.BytesIO()
    c = rl_canvas.Canvas(out, pagesize=A4_LANDSCAPE)
    c.setTitle(f"{_('Certificate')} {submission.reference}")
    c.setAuthor(AWARD_NAME)
    draw_certificate(c, submission)
    c.showPage()
    c.save()
    return out.getvalue()
