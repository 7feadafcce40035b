"""The record of a panel's meeting as a PDF: every decision in ranking order, who
moved it, why, and the vote when one was taken."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from submissions.workflow import Status

from .models import Meeting, MeetingDecision, Panel, RankedEntry


def _label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def meeting_record_pdf(panel: Panel) -> bytes:
    """The PDF bytes; three queries."""
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    meeting = Meeting.objects.filter(panel=panel).first()
    ranks = dict(
        RankedEntry.objects.filter(ranking__panel=panel).values_list("submission_id", "rank")
    )
    decisions = sorted(
        MeetingDecision.objects.filter(panel=panel).select_related(
            "submission__organisation", "moved_by__user", "recorded_by"
        ),
        key=lambda d: (ranks.get(d.submission_id, 10**6), d.submission.reference),
    )
    story = [
        Paragraph(
            escape(_("Record of the meeting: %(panel)s") % {"panel": str(panel)}), styles["Title"]
        ),
        Paragraph(
            escape(
                _("Started %(start)s · closed %(end)s · %(n)s decisions · printed %(now)s")
                % {
                    "start": meeting.started_at.strftime("%Y-%m-%d %H:%M UTC") if meeting else "–",
                    "end": meeting.ended_at.strftime("%Y-%m-%d %H:%M UTC")
                    if meeting and meeting.ended_at
                    else "–",
                    "n": len(decisions),
                    "now": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
                }
            ),
            small,
        ),
        Paragraph(escape(_("Confidential: for the Secretariat and the panel only.")), small),
        Spacer(1, 5 * mm),
    ]
    head = [_("Rank"), _("Entry"), _("Decision"), _("Moved by"), _("Vote"), _("Reason")]
    rows = [[Paragraph(f"<b>{escape(str(h))}</b>", small) for h in head]]
    for d in decisions:
        vote = ""
        if d.votes_for is not None or d.votes_against is not None:
            vote = f"{d.votes_for or 0} / {d.votes_against or 0} / {d.abstentions or 0}"
        rows.append(
            [
                Paragraph(str(ranks.get(d.submission_id, "–")), small),
                Paragraph(
                    escape(f"{d.submission.reference} · {d.submission.organisation.name}"), small
                ),
                Paragraph(escape(_label(d.outcome)), small),
                Paragraph(escape(d.moved_by.user.display_name if d.moved_by else "–"), small),
                Paragraph(escape(vote), small),
                Paragraph(escape(d.reason).replace("\n", "<br/>"), small),
            ]
        )
    table = Table(
        rows, colWidths=[12 * mm, 45 * mm, 25 * mm, 30 * mm, 18 * mm, 50 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(escape(_("Vote: for / against / abstaining.")), small))
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, title=_("Meeting record"), leftMargin=15 * mm, rightMargin=15 * mm
    ).build(story)
    return buffer.getvalue()
