"""The registry of every email the portal sends.

Adding a message is one ``register(Message(...))``: its key, what it is for, the
placeholders its template may use (each a plain value), ``build`` turning the
objects a task holds into those placeholders, ``sample`` finding real objects for a
preview in the console, and the footer line saying why the recipient gets it.

The shipped default is ``templates/<template>_subject.txt`` and ``<template>.txt``
(English, translatable strings); the Secretariat may override it per language in
the console (``EmailTemplate``). Other apps register their own messages in their
``messages`` module, imported by their ``AppConfig.ready``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Message:
    key: str
    label: str
    description: str
    template: str
    placeholders: dict
    build: Callable[[dict], dict]
    sample: Callable[..., dict | None]
    reason: str
    transactional: bool = True
    # Placeholders holding numbers (plural forms are chosen on them).
    numeric: tuple = field(default=())
    # Carries a personal link (set a password, confirm a vote): the outbox keeps the
    # body only until it is sent, so that no one reading the outbox can use the link.
    sensitive: bool = False

    def placeholder_names(self) -> list[str]:
        return [*self.placeholders, "site_url"]


REGISTRY: dict[str, Message] = {}


def register(message: Message) -> Message:
    REGISTRY[message.key] = message
    return message


def message_get(key_or_template: str) -> Message | None:
    """A message by its key or by its default template's path (``email/outcome``)."""
    if key_or_template in REGISTRY:
        return REGISTRY[key_or_template]
    for message in REGISTRY.values():
        if message.template == key_or_template:
            return message
    return None


def sensitive_keys() -> set[str]:
    return {key for key, message in REGISTRY.items() if message.sensitive}


def message_list() -> list[Message]:
    return sorted(REGISTRY.values(), key=lambda m: str(m.label))


# Helpers the builders share -----------------------------------------------------


def beijing(value) -> str:
    """A moment as the emails show it: Beijing time, in the active language."""
    if not value:
        return ""
    return date_filter(timezone.localtime(value, BEIJING), "j F Y, H:i")


def dashboard_url() -> str:
    return settings.SITE_URL + reverse("submissions:dashboard")


def name_of(user) -> str:
    return user.display_name if user is not None else ""


def city_member(submission):
    """A real recipient for a preview: the entry's first active member."""
    return (
        get_user_model()
        .objects.filter(organisation_id=submission.organisation_id, is_active=True)
        .order_by("email")
        .first()
    )


def latest_entry(**filters):
    from .models import Submission

    return (
        Submission.objects.filter(imported=False, **filters)
        .exclude(title="")
        .select_related("cycle", "organisation")
        .order_by("-submitted_at", "-pk")
        .first()
    )


ENTRY_PLACEHOLDERS = {
    "recipient_name": gettext_lazy("The recipient's name"),
    "entry_title": gettext_lazy("The entry's title"),
    "entry_reference": gettext_lazy("The entry's reference number"),
}
ENTRY_REASON = gettext_lazy(
    "You receive this email because you are a member of a city with an entry for the "
    "Guangzhou Award."
)


def _entry_values(context: dict) -> dict:
    submission = context["submission"]
    return {
        "recipient_name": name_of(context.get("user")),
        "entry_title": submission.title,
        "entry_reference": submission.reference,
    }


def _status_sample(transition: str | None = None, **entry_filters):
    def sample(*, entry=None, user=None):
        from .models import StatusChange
        from .workflow import APPLICANT_LABELS, Status

        changes = StatusChange.objects.select_related(
            "submission__cycle", "submission__organisation"
        )
        if transition:
            changes = changes.filter(transition=transition)
        if entry is not None:
            changes = changes.filter(submission=entry)
        change = changes.order_by("-at", "-pk").first()
        if change is None:
            submission = entry or latest_entry(**entry_filters)
            if submission is None:
                return None
            change = StatusChange(
                submission=submission,
                from_status=submission.status,
                to_status=submission.status,
                transition=transition or "",
                note=_("(the Secretariat's note)"),
            )
        submission = change.submission
        return {
            "user": city_member(submission) or user,
            "submission": submission,
            "change": change,
            "status_label": APPLICANT_LABELS[Status(change.to_status)],
            "dashboard_url": dashboard_url(),
        }

    return sample


# The acknowledgement ------------------------------------------------------------


def _acknowledgement(context: dict) -> dict:
    submission = context["submission"]
    note = ""
    if submission.early_bird:
        note = "{} {}.".format(
            _(
                "This is an early-bird entry: the Secretariat will send you written feedback, "
                "and from then on you may revise it until"
            ),
            beijing(submission.cycle.revision_window_ends_at),
        )
    return {
        **_entry_values(context),
        "city_name": submission.organisation.name,
        "cycle_number": submission.cycle.number,
        "received_at": beijing(submission.submitted_at),
        "early_bird_note": note,
        "dashboard_url": context.get("dashboard_url") or dashboard_url(),
    }


register(
    Message(
        key="submission_acknowledgement",
        label=gettext_lazy("Entry received (acknowledgement)"),
        description=gettext_lazy("Sent to every member of the city when an entry is submitted."),
        template="email/submission_acknowledgement",
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "city_name": gettext_lazy("The city's name"),
            "cycle_number": gettext_lazy("The cycle's number"),
            "received_at": gettext_lazy("When it was submitted (Beijing time)"),
            "early_bird_note": gettext_lazy("A line about early-bird feedback, or nothing"),
            "dashboard_url": gettext_lazy("The link to the city's dashboard"),
        },
        build=_acknowledgement,
        sample=_status_sample("submit", submitted_at__isnull=False),
        reason=ENTRY_REASON,
    )
)


# Status changes -----------------------------------------------------------------


def _clarification(context: dict) -> dict:
    return {
        **_entry_values(context),
        "question": context["change"].note,
        "dashboard_url": context.get("dashboard_url") or dashboard_url(),
    }


register(
    Message(
        key="clarification_requested",
        label=gettext_lazy("Clarification requested"),
        description=gettext_lazy(
            "Sent to the city when the Secretariat asks a question during screening."
        ),
        template="email/clarification_requested",
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "question": gettext_lazy("The Secretariat's question"),
            "dashboard_url": gettext_lazy("The link to the city's dashboard"),
        },
        build=_clarification,
        sample=_status_sample("request_clarification"),
        reason=ENTRY_REASON,
    )
)


def _status_changed(context: dict) -> dict:
    change = context["change"]
    return {
        **_entry_values(context),
        "status_label": str(context.get("status_label", "")),
        "reason": change.get_reason_display() if change.reason else "",
        "note": change.note,
        "dashboard_url": context.get("dashboard_url") or dashboard_url(),
    }


register(
    Message(
        key="status_changed",
        label=gettext_lazy("Status changed (not eligible, withdrawn, reconsidered)"),
        description=gettext_lazy(
            "Sent to the city when an entry is found not eligible, withdrawn or reconsidered."
        ),
        template="email/status_changed",
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "status_label": gettext_lazy("The entry's new status"),
            "reason": gettext_lazy("The reason given (not eligible), or nothing"),
            "note": gettext_lazy("The Secretariat's note, or nothing"),
            "dashboard_url": gettext_lazy("The link to the city's dashboard"),
        },
        build=_status_changed,
        sample=_status_sample("mark_ineligible"),
        reason=ENTRY_REASON,
    )
)


def _outcome_message(to_status: str) -> str:
    return {
        "shortlisted": _(
            "Congratulations: the Technical Committee has shortlisted your initiative. "
            "Shortlisted cities present their initiatives in public hearings while the public "
            "online vote for the City of Your Choice runs; the Jury then selects the winners. "
            "The Secretariat will write to you about the presentations."
        ),
        "deserving": _(
            "Congratulations: the Technical Committee recognises your initiative as deserving "
            "(expert-recommended). It will be published among the recognised initiatives of "
            "this cycle."
        ),
        "not_selected": _(
            "Thank you for sharing your initiative. It was not selected this time; it remains "
            "in the International Database on Urban Innovation, and we hope to receive your "
            "city's work again."
        ),
        "winner": _(
            "Congratulations: the Jury has selected your initiative as a winner of the "
            "Guangzhou International Award for Urban Innovation."
        ),
        "medal_of_honor": _("Congratulations: the Jury awards your initiative a Medal of Honor."),
        "special_mention": _("Congratulations: the Jury gives your initiative a Special Mention."),
    }.get(to_status, "")


def _outcome(context: dict) -> dict:
    change = context["change"]
    submission = context["submission"]
    return {
        **_entry_values(context),
        "cycle_number": submission.cycle.number,
        "status_label": str(context.get("status_label", "")),
        "outcome_message": _outcome_message(change.to_status),
        "citation": submission.citation
        if change.to_status in ("winner", "special_mention")
        else "",
        "dashboard_url": context.get("dashboard_url") or dashboard_url(),
    }


register(
    Message(
        key="outcome",
        label=gettext_lazy("Outcome of the assessment"),
        description=gettext_lazy(
            "Sent to the city when the Technical Committee's or the Jury's decision is released."
        ),
        template="email/outcome",
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "cycle_number": gettext_lazy("The cycle's number"),
            "status_label": gettext_lazy("The decision (shortlisted, winner, ...)"),
            "outcome_message": gettext_lazy("The paragraph that goes with the decision"),
            "citation": gettext_lazy("The Jury's citation (winners), or nothing"),
            "dashboard_url": gettext_lazy("The link to the city's dashboard"),
        },
        build=_outcome,
        sample=_status_sample("tc_outcome"),
        reason=ENTRY_REASON,
    )
)


def _screening_passed(context: dict) -> dict:
    return {
        **_entry_values(context),
        "cycle_number": context["submission"].cycle.number,
        "note": context["change"].note,
        "dashboard_url": context.get("dashboard_url") or dashboard_url(),
    }


register(
    Message(
        key="screening_passed",
        label=gettext_lazy("Entry eligible (screening passed)"),
        description=gettext_lazy(
            "Sent to the city when the Secretariat finds its entry eligible after screening."
        ),
        template="email/screening_passed",
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "cycle_number": gettext_lazy("The cycle's number"),
            "note": gettext_lazy("The Secretariat's note, or nothing"),
            "dashboard_url": gettext_lazy("The link to the city's dashboard"),
        },
        build=_screening_passed,
        sample=_status_sample("mark_eligible"),
        reason=ENTRY_REASON,
    )
)


# Early-bird feedback ------------------------------------------------------------


def _early_bird_feedback(context: dict) -> dict:
    feedback = context["feedback"]
    submission = context["submission"]
    return {
        **_entry_values(context),
        "feedback": feedback.text,
        "checklist": "\n".join(f"- {point['label']}" for point in feedback.checklist),
        "revise_until": beijing(submission.cycle.revision_window_ends_at),
        "dashboard_url": context.get("dashboard_url") or dashboard_url(),
    }


def _early_bird_feedback_sample(*, entry=None, user=None):
    from .models import EarlyBirdFeedback

    feedbacks = EarlyBirdFeedback.objects.select_related(
        "submission__cycle", "submission__organisation"
    )
    if entry is not None:
        feedbacks = feedbacks.filter(submission=entry)
    feedback = feedbacks.order_by("-updated_at", "-pk").first()
    if feedback is None:
        return None
    submission = feedback.submission
    return {"user": city_member(submission) or user, "submission": submission, "feedback": feedback}


register(
    Message(
        key="early_bird_feedback",
        label=gettext_lazy("Early-bird feedback"),
        description=gettext_lazy(
            "Sent to the city when the Secretariat sends its written feedback on an early-bird "
            "entry."
        ),
        template="email/early_bird_feedback",
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "feedback": gettext_lazy("The Secretariat's feedback"),
            "checklist": gettext_lazy(
                "The points of the screening report to look at again, one per line, or nothing"
            ),
            "revise_until": gettext_lazy("The end of the revision window (Beijing time)"),
            "dashboard_url": gettext_lazy("The link to the city's dashboard"),
        },
        build=_early_bird_feedback,
        sample=_early_bird_feedback_sample,
        reason=ENTRY_REASON,
    )
)


# Joining a city -----------------------------------------------------------------


def _invitation(context: dict) -> dict:
    inviter = context.get("inviter")
    return {
        "inviter_name": inviter.display_name if inviter else "",
        "city_name": context["organisation"].name,
        "accept_url": context["accept_url"],
        "valid_days": context["valid_days"],
    }


def _invitation_sample(*, entry=None, user=None):
    from .models import OrganisationInvitation

    invitation = (
        OrganisationInvitation.objects.select_related("organisation", "invited_by")
        .order_by("-created_at")
        .first()
    )
    organisation = (
        invitation.organisation if invitation else (entry.organisation if entry else None)
    )
    if organisation is None:
        return None
    return {
        "organisation": organisation,
        "inviter": invitation.invited_by if invitation else user,
        "accept_url": settings.SITE_URL + "/invitations/…/",
        "valid_days": 14,
    }


register(
    Message(
        key="organisation_invitation",
        label=gettext_lazy("Invitation to join a city"),
        description=gettext_lazy("Sent when a city official invites a colleague."),
        template="email/organisation_invitation",
        placeholders={
            "inviter_name": gettext_lazy("The colleague who invites"),
            "city_name": gettext_lazy("The city's name"),
            "accept_url": gettext_lazy("The link that accepts the invitation"),
            "valid_days": gettext_lazy("For how many days the link is valid"),
        },
        build=_invitation,
        sample=_invitation_sample,
        reason=gettext_lazy(
            "You receive this email because a city official invited this address to the portal."
        ),
        numeric=("valid_days",),
    )
)


# Reminders to cities ------------------------------------------------------------


def _draft_reminder(context: dict) -> dict:
    submission = context["submission"]
    return {
        **_entry_values(context),
        "cycle_number": submission.cycle.number,
        "days_left": context["days_left"],
        "deadline": beijing(submission.cycle.final_deadline),
        "dashboard_url": dashboard_url(),
    }


def _draft_sample(*, entry=None, user=None):
    from .workflow import Status

    submission = entry or latest_entry(status=Status.DRAFT) or latest_entry()
    if submission is None:
        return None
    return {"user": city_member(submission) or user, "submission": submission, "days_left": 7}


register(
    Message(
        key="draft_reminder",
        label=gettext_lazy("Reminder: draft not submitted"),
        description=gettext_lazy(
            "Sent to the city a set number of days before the final deadline while its entry "
            "is still a draft (cycle settings)."
        ),
        template="email/draft_reminder",
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "cycle_number": gettext_lazy("The cycle's number"),
            "days_left": gettext_lazy("Days left before the final deadline"),
            "deadline": gettext_lazy("The final deadline (Beijing time)"),
            "dashboard_url": gettext_lazy("The link to the city's dashboard"),
        },
        build=_draft_reminder,
        sample=_draft_sample,
        reason=ENTRY_REASON,
        numeric=("days_left",),
    )
)


def _clarification_reminder(context: dict) -> dict:
    request = context["clarification"]
    return {
        **_entry_values(context),
        "question": request.question,
        "asked_on": beijing(request.asked_at),
        "dashboard_url": dashboard_url(),
    }


def _clarification_reminder_sample(*, entry=None, user=None):
    from .models import ClarificationRequest

    requests = ClarificationRequest.objects.select_related(
        "submission__cycle", "submission__organisation"
    )
    if entry is not None:
        requests = requests.filter(submission=entry)
    request = requests.order_by("-asked_at").first()
    if request is None:
        return None
    submission = request.submission
    return {
        "user": city_member(submission) or user,
        "submission": submission,
        "clarification": request,
    }


register(
    Message(
        key="clarification_reminder",
        label=gettext_lazy("Reminder: clarification not answered"),
        description=gettext_lazy(
            "Sent to the city when a clarification request stays unanswered for a set number "
            "of days (cycle settings)."
        ),
        template="email/clarification_reminder",
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "question": gettext_lazy("The Secretariat's question"),
            "asked_on": gettext_lazy("When it was asked (Beijing time)"),
            "dashboard_url": gettext_lazy("The link to the city's dashboard"),
        },
        build=_clarification_reminder,
        sample=_clarification_reminder_sample,
        reason=ENTRY_REASON,
    )
)


# Announcements: the Secretariat writes the text; these are what it may use. ------

ANNOUNCEMENT_PLACEHOLDERS = {
    "recipient_name": gettext_lazy("The recipient's name"),
    "city_name": gettext_lazy("The recipient's city, or nothing"),
    "cycle_number": gettext_lazy("The announcement's cycle, or nothing"),
}
