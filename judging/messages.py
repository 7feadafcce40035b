"""Judging's emails in the message registry (see ``submissions.messages``)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.formats import datetime_text
from submissions.messages import (
    ENTRY_PLACEHOLDERS,
    ENTRY_REASON,
    Message,
    _entry_values,
    beijing,
    city_member,
    dashboard_url,
    latest_entry,
    name_of,
    register,
)

PANEL_REASON = gettext_lazy(
    "You receive this email because you are a member of a panel of the Guangzhou Award."
)


def _queue_url() -> str:
    return settings.SITE_URL + reverse("judging:reviewer_queue")


def _panel_sample(*, entry=None, user=None):
    from .models import PanelMember

    members = PanelMember.objects.select_related("panel__cycle", "user")
    if entry is not None:
        members = members.filter(panel__cycle_id=entry.cycle_id)
    member = members.order_by("-invited_at").first()
    if member is None:
        return None
    return {
        "member": member,
        "panel": member.panel,
        "user": member.user,
        "set_password_url": "",
        "queue_url": _queue_url(),
        "todo": 3,
    }


def _invitation(context: dict) -> dict:
    panel = context["panel"]
    return {
        "recipient_name": name_of(context.get("user")),
        "panel_name": panel.get_kind_display(),
        "cycle_number": panel.cycle.number,
        "cycle_year": panel.cycle.year,
        "set_password_url": context.get("set_password_url") or "",
        "queue_url": context.get("queue_url") or _queue_url(),
    }


register(
    Message(
        key="panel_invitation",
        label=gettext_lazy("Appointment to a panel (TC or Jury)"),
        description=gettext_lazy(
            "Sent when the Secretariat appoints someone to the Technical Committee or the Jury."
        ),
        template="judging/email/invitation",
        placeholders={
            "recipient_name": gettext_lazy("The member's name"),
            "panel_name": gettext_lazy("Technical Committee or Jury"),
            "cycle_number": gettext_lazy("The cycle's number"),
            "cycle_year": gettext_lazy("The cycle's year"),
            "set_password_url": gettext_lazy(
                "The link to set a password (new accounts), or nothing"
            ),
            "queue_url": gettext_lazy("The link to the member's reviews"),
        },
        build=_invitation,
        sample=_panel_sample,
        reason=PANEL_REASON,
        sensitive=True,
    )
)


def _reminder(context: dict) -> dict:
    panel = context["panel"]
    return {
        "recipient_name": name_of(context.get("user")),
        "panel_name": panel.get_kind_display(),
        "todo": context["todo"],
        "deadline": datetime_text(panel.scoring_deadline) if panel.scoring_deadline else "",
        "queue_url": context.get("queue_url") or _queue_url(),
    }


register(
    Message(
        key="review_reminder",
        label=gettext_lazy("Reminder: reviews to finish"),
        description=gettext_lazy(
            "Sent to panel members with unfinished reviews in the days before the stage's deadline."
        ),
        template="judging/email/reminder",
        placeholders={
            "recipient_name": gettext_lazy("The member's name"),
            "panel_name": gettext_lazy("Technical Committee or Jury"),
            "todo": gettext_lazy("How many reviews are unfinished"),
            "deadline": gettext_lazy("The stage's deadline (Beijing time and the member's own)"),
            "queue_url": gettext_lazy("The link to the member's reviews"),
        },
        build=_reminder,
        sample=_panel_sample,
        reason=PANEL_REASON,
        numeric=("todo",),
    )
)


def _jury_decision(context: dict) -> dict:
    return {
        **_entry_values(context),
        "cycle_number": context["submission"].cycle.number,
        "dashboard_url": context.get("dashboard_url") or dashboard_url(),
    }


def _entry_sample(*, entry=None, user=None):
    submission = entry or latest_entry(status="shortlisted") or latest_entry()
    if submission is None:
        return None
    return {"user": city_member(submission) or user, "submission": submission}


register(
    Message(
        key="jury_decision",
        label=gettext_lazy("Jury's decision (stays shortlisted)"),
        description=gettext_lazy(
            "Sent to shortlisted cities that are not among the winners, in cycles without "
            "Medals of Honor."
        ),
        template="judging/email/jury_decision",
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "cycle_number": gettext_lazy("The cycle's number"),
            "dashboard_url": gettext_lazy("The link to the city's dashboard"),
        },
        build=_jury_decision,
        sample=_entry_sample,
        reason=ENTRY_REASON,
    )
)


def _hearing_slot(context: dict) -> dict:
    slot = context["slot"]
    session = slot.session
    return {
        **_entry_values(context),
        "starts_at": beijing(slot.starts_at),
        "minutes": slot.minutes,
        "theme": session.theme,
        "place": session.place,
        "online_link": session.online_link,
        "hearing_url": context["url"],
    }


def _hearing_slot_sample(*, entry=None, user=None):
    from .models import HearingSlot

    slots = HearingSlot.objects.select_related(
        "session", "submission__cycle", "submission__organisation"
    )
    if entry is not None:
        slots = slots.filter(submission=entry)
    slot = slots.order_by("-starts_at", "-pk").first()
    if slot is None:
        return None
    submission = slot.submission
    return {
        "user": city_member(submission) or user,
        "submission": submission,
        "slot": slot,
        "url": settings.SITE_URL + reverse("shortlist:hearing_city", args=[submission.pk]),
    }


register(
    Message(
        key="hearing_slot",
        label=gettext_lazy("Public hearing: the city's slot"),
        description=gettext_lazy(
            "Sent to a shortlisted city when the Secretariat gives it (or moves) its slot in "
            "the public hearings."
        ),
        template="email/hearing_slot",
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "starts_at": gettext_lazy("When the slot starts (Beijing time)"),
            "minutes": gettext_lazy("How many minutes the slot lasts"),
            "theme": gettext_lazy("The session's thematic group, or nothing"),
            "place": gettext_lazy("Where the session takes place, or nothing"),
            "online_link": gettext_lazy("The session's online link, or nothing"),
            "hearing_url": gettext_lazy(
                "The link where the city confirms, names its delegates and uploads its presentation"
            ),
        },
        build=_hearing_slot,
        sample=_hearing_slot_sample,
        reason=ENTRY_REASON,
        numeric=("minutes",),
    )
)


def _vote(context: dict) -> dict:
    entry = context["entry"]
    return {
        "entry_title": entry.title,
        "city_name": entry.organisation.name,
        "cycle_number": context["cycle"].number,
        "confirm_url": context["confirm_url"],
        "hours": context["hours"],
    }


def _vote_sample(*, entry=None, user=None):
    submission = entry or latest_entry(status="shortlisted") or latest_entry()
    if submission is None:
        return None
    return {
        "entry": submission,
        "cycle": submission.cycle,
        "confirm_url": settings.SITE_URL + "/vote/confirm/…/",
        "hours": 48,
    }


register(
    Message(
        key="vote_confirmation",
        label=gettext_lazy("Public vote: confirm your vote"),
        description=gettext_lazy("Sent to a voter with the link that confirms the vote."),
        template="email/vote_confirmation",
        placeholders={
            "entry_title": gettext_lazy("The title of the entry voted for"),
            "city_name": gettext_lazy("Its city"),
            "cycle_number": gettext_lazy("The cycle's number"),
            "confirm_url": gettext_lazy("The link that confirms the vote"),
            "hours": gettext_lazy("For how many hours the link is valid"),
        },
        build=_vote,
        sample=_vote_sample,
        reason=gettext_lazy(
            "You receive this email because this address was given in the public vote of the "
            "Guangzhou Award."
        ),
        numeric=("hours",),
        sensitive=True,
    )
)
