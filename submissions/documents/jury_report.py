"""The published jury report as a PDF, on the award's PDF toolkit (``pdf.py``). The
content is ``selectors.jury_report.jury_report_get``: the same structure the results
page shows."""

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.platypus import Spacer

from submissions.documents.pdf import PageStamp, document, para, styles


def jury_report_pdf(report: dict) -> bytes:
    """The PDF bytes of a jury report: introduction, winners with citations, Medals of
    Honor, Special Mentions, the chair's name and the date of sign-off; the award's
    header and "page X of Y" on every page."""
    cycle = report["cycle"]
    title = _("Jury report, cycle %(n)s (%(year)s)") % {"n": cycle.number, "year": cycle.year}
    quote = styles()["body"].clone("quote", leftIndent=18)
    story = [para(title, "title")]
    if cycle.theme:
        story.append(para(cycle.theme, "subtitle"))
    story.append(para(report["introduction"]))
    sections = (
        (_("The winners"), report["winners"], True),
        (_("Medals of Honor"), report["medals"], False),
        (_("Special Mentions"), report["special_mentions"], True),
    )
    for heading, entries, cited in sections:
        if not entries:
            continue
        story.append(para(heading, "h2"))
        for sub in entries:
            story.append(
                para(
                    f"{sub.organisation.name} ({sub.organisation.country.name}): {sub.title}", "h3"
                )
            )
            if cited and sub.citation:
                story.append(para(sub.citation, quote))
    if report["is_signed"]:
        story.append(Spacer(1, 24))
        story.append(
            para(
                _("%(name)s, Chair of the Jury. Signed on %(date)s.")
                % {
                    "name": report["chair_name"],
                    "date": formats.date_format(report["signed_at"], "j F Y"),
                }
            )
        )
    stamp = PageStamp(
        left=_("Guangzhou International Award for Urban Innovation"),
        right=title,
        footer=_("Jury report"),
    )
    return document(story, stamp=stamp, title=title)
