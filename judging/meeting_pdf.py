"""The record of a panel's meeting as a PDF: every decision in ranking order, who
moved it, why, and the vote when one was taken. Built with the award's PDF toolkit
(``submissions.documents.pdf``: fonts per script, styles, page stamps)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from submissions.documents.pdf import PageStamp, assemble, para, render
from submissions.workflow import Status

from .models import Meeting, MeetingDecision, Panel, RankedEntry


def _label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "–"


def meeting_record_pdf(panel: Panel) -> bytes:
    """The PDF bytes, stamped "Confidential" with page numbers; three queries."""
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
    title = _("Record of the meeting: %(panel)s") % {"panel": str(panel)}
    story = [
        para(title, "title"),
        para(
            _("Opened %(start)s · closed %(end)s · %(n)s decisions · printed %(now)s")
            % {
                "start": _when(meeting.started_at) if meeting else "–",
                "end": _when(meeting.ended_at) if meeting else "–",
                "n": len(decisions),
                "now": _when(timezone.now()),
            },
            "subtitle",
        ),
        Spacer(1, 4 * mm),
    ]
    head = [_("Rank"), _("Entry"), _("Decision"), _("Moved by"), _("Vote"), _("Reason")]
    rows = [[para(h, "label") for h in head]]
    for d in decisions:
        vote = ""
        if d.votes_for is not None or d.votes_against is not None:
            vote = f"{d.votes_for or 0} / {d.votes_against or 0} / {d.abstentions or 0}"
        rows.append(
            [
                para(ranks.get(d.submission_id, "–"), "cell"),
                para(f"{d.submission.reference} · {d.submission.organisation.name}", "cell"),
                para(_label(d.outcome), "cell"),
                para(d.moved_by.user.display_name if d.moved_by else "–", "cell"),
                para(vote, "cell"),
                para(d.reason, "cell"),
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
    story += [table, Spacer(1, 3 * mm), para(_("Vote: for / against / abstaining."), "small")]
    body = render(story, title=title)
    stamp = PageStamp(
        left=str(panel),
        right=_("Confidential – Secretariat and panel only"),
        footer=_("Guangzhou International Award for Urban Innovation"),
    )
    return assemble([body], stamps=lambda _i: stamp, title=title)
