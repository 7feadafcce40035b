"""The jury report as a PDF (ReportLab: pure Python, with built-in CJK fonts, so no
system package is needed). Content comes from ``selectors.jury_report.jury_report_get``,
the same structure the results page shows."""

import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

CJK_FONT = "STSong-Light"


def _styles():
    # A CID font for Chinese names; Latin text stays in Helvetica.
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    base = getSampleStyleSheet()
    return {
        "title": base["Title"],
        "h2": base["Heading2"],
        "h3": base["Heading3"],
        "body": ParagraphStyle("body", parent=base["BodyText"], leading=14),
        "quote": ParagraphStyle("quote", parent=base["BodyText"], leftIndent=8 * mm, leading=14),
    }


def _text(value: str) -> str:
    """Plain text as a ReportLab paragraph: escaped, line breaks kept, and runs of
    CJK characters set in the CID font (Helvetica has no Chinese glyphs)."""
    out, run, in_cjk = [], [], False
    for ch in value or "":
        cjk = ord(ch) >= 0x2E80
        if cjk != in_cjk and run:
            chunk = escape("".join(run))
            out.append(f'<font name="{CJK_FONT}">{chunk}</font>' if in_cjk else chunk)
            run = []
        in_cjk = cjk
        run.append(ch)
    if run:
        chunk = escape("".join(run))
        out.append(f'<font name="{CJK_FONT}">{chunk}</font>' if in_cjk else chunk)
    return "".join(out).replace("\n", "<br/>")


def jury_report_pdf(report: dict) -> bytes:
    """The PDF bytes of a jury report (see ``jury_report_get``)."""
    cycle = report["cycle"]
    styles = _styles()
    buffer = io.BytesIO()
    title = _("Jury report, cycle %(n)s (%(year)s)") % {"n": cycle.number, "year": cycle.year}

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, 10 * mm, _("Guangzhou International Award for Urban Innovation"))
        canvas.drawRightString(190 * mm, 10 * mm, str(doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Guangzhou Award")
    story = [Paragraph(_text(title), styles["title"])]
    if cycle.theme:
        story.append(Paragraph(_text(cycle.theme), styles["h3"]))
    story.append(Paragraph(_text(report["introduction"]), styles["body"]))
    sections = (
        (_("The winners"), report["winners"], True),
        (_("Medals of Honor"), report["medals"], False),
        (_("Special Mentions"), report["special_mentions"], True),
    )
    for heading, entries, cited in sections:
        if not entries:
            continue
        story.append(Paragraph(_text(heading), styles["h2"]))
        for sub in entries:
            story.append(
                Paragraph(
                    _text(
                        f"{sub.organisation.name} ({sub.organisation.country.name}): {sub.title}"
                    ),
                    styles["h3"],
                )
            )
            if cited and sub.citation:
                story.append(Paragraph(_text(sub.citation), styles["quote"]))
    if report["is_signed"]:
        story.append(Spacer(1, 10 * mm))
        signed = formats.date_format(report["signed_at"], "j F Y")
        story.append(
            Paragraph(
                _text(
                    _("%(name)s, Chair of the Jury. Signed on %(date)s.")
                    % {"name": report["chair_name"], "date": signed}
                ),
                styles["body"],
            )
        )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
