"""The shortlist phase's public hearings: sessions, slots, and what each shortlisted
city prepares for its slot (attendance, delegates, presentation).

The city prepares its hearing after shortlisting while the entry itself stays
locked: nothing here touches the application's answers or attachments.
"""

import hashlib
import zipfile
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import Cycle, Submission
from submissions.services.attachments import file_type_detect
from submissions.services.dispatch import dispatch_on_commit
from submissions.workflow import SHORTLISTED_OR_BETTER

from ..models import HearingSession, HearingSlot

MB = 1024 * 1024
PRESENTATION_MAX_MB = 50
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODP = "application/vnd.oasis.opendocument.presentation"


def presentation_type_detect(upload) -> str | None:
    """The content type of a presentation judged by its content (PDF, PPTX or ODP),
    or None. Only the zip directory and the tiny ``mimetype`` member are read."""
    found = file_type_detect(upload)
    if found is not None and found.code == "pdf":
        return found.content_type
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        return None
    try:
        archive = zipfile.ZipFile(upload)
        names = set(archive.namelist())
        if "ppt/presentation.xml" in names:
            return PPTX
        if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
            if archive.read("mimetype").strip() == ODP.encode():
                return ODP
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


@transaction.atomic
def hearing_session_create(
    *, cycle: Cycle, starts_at: datetime, place: str, online_link: str, theme: str, by
) -> HearingSession:
    """A new hearing session; it needs a place or an online link."""
    if cycle.is_published:
        raise ValidationError(_("The results of this cycle are published."))
    if not (place or "").strip() and not (online_link or "").strip():
        raise ValidationError({"place": _("Give a place or an online link.")})
    return HearingSession.objects.create(
        cycle=cycle,
        starts_at=starts_at,
        place=(place or "").strip(),
        online_link=(online_link or "").strip(),
        theme=(theme or "").strip(),
        created_by=by,
    )


def _locked_session(session: HearingSession) -> HearingSession:
    session = HearingSession.objects.select_for_update().select_related("cycle").get(pk=session.pk)
    if session.cycle.is_published:
        raise ValidationError(_("The results of this cycle are published."))
    return session


@transaction.atomic
def hearing_session_update(
    *, session: HearingSession, starts_at: datetime, place: str, online_link: str, theme: str, by
) -> HearingSession:
    """Correct a session's time, place, link or theme. Its slots stay where they are;
    after commit their cities are emailed the new details (when something changed)."""
    session = _locked_session(session)
    place, online_link, theme = (
        (place or "").strip(),
        (online_link or "").strip(),
        (theme or "").strip(),
    )
    if not place and not online_link:
        raise ValidationError({"place": _("Give a place or an online link.")})
    first_slot = session.slots.order_by("starts_at").values_list("starts_at", flat=True).first()
    if first_slot is not None and starts_at > first_slot:
        raise ValidationError(
            {"starts_at": _("A slot of this session starts before this time: move it first.")}
        )
    new = (starts_at, place, online_link, theme)
    if new == (session.starts_at, session.place, session.online_link, session.theme):
        return session
    session.starts_at, session.place, session.online_link, session.theme = new
    session.save(update_fields=["starts_at", "place", "online_link", "theme"])
    from .. import tasks  # tasks import the services: import late

    for slot_id in session.slots.values_list("pk", flat=True):
        dispatch_on_commit(tasks.notify_hearing_slot, slot_id)
    return session


@transaction.atomic
def hearing_session_delete(*, session: HearingSession, by) -> None:
    """Remove a session nobody presents in (a session with slots is refused)."""
    session = _locked_session(session)
    if session.slots.exists():
        raise ValidationError(
            _("Entries have slots in this session: give them another session first.")
        )
    session.delete()


@transaction.atomic
def hearing_slot_assign(
    *, session: HearingSession, submission: Submission, starts_at: datetime, minutes: int, by
) -> HearingSlot:
    """Put a shortlisted entry in a session's slot (moving it if it had one).

    What its city already prepared (confirmation, delegates, presentation) is kept,
    except the confirmation when the time changes: the city confirms the new time.
    After commit the city is emailed its slot (again when the time changes).
    """
    submission = (
        Submission.objects.select_for_update().select_related("cycle").get(pk=submission.pk)
    )
    if submission.cycle_id != session.cycle_id:
        raise ValidationError(_("This entry is not in the session's cycle."))
    if submission.status not in SHORTLISTED_OR_BETTER or submission.cycle.is_published:
        raise ValidationError(_("Only shortlisted entries present at the hearings."))
    if not session.starts_at <= starts_at:
        raise ValidationError({"starts_at": _("The slot cannot start before its session.")})
    slot = HearingSlot.objects.filter(submission=submission).first()
    if slot is None:
        slot = HearingSlot.objects.create(
            session=session, submission=submission, starts_at=starts_at, minutes=minutes
        )
    else:
        if slot.starts_at != starts_at or slot.session_id != session.pk:
            slot.confirmed_at, slot.confirmed_by = None, None
        slot.session, slot.starts_at, slot.minutes = session, starts_at, minutes
        slot.save()
    from .. import tasks  # tasks import the services: import late

    dispatch_on_commit(tasks.notify_hearing_slot, slot.pk)
    return slot


def _check_city(slot: HearingSlot, by) -> Submission:
    submission = slot.submission
    if by is None or by.organisation_id != submission.organisation_id:
        raise PermissionDenied
    if submission.status not in SHORTLISTED_OR_BETTER or submission.cycle.is_published:
        raise ValidationError(_("The hearings of this entry are over."))
    return submission


@transaction.atomic
def hearing_slot_confirm(*, slot: HearingSlot, delegates: list[dict], by) -> HearingSlot:
    """The city confirms it attends its slot and names its delegates (at most the
    cycle's number of funded delegates, each with a name)."""
    slot = (
        HearingSlot.objects.select_for_update().select_related("submission__cycle").get(pk=slot.pk)
    )
    submission = _check_city(slot, by)
    cleaned = [
        {"name": (d.get("name") or "").strip(), "position": (d.get("position") or "").strip()}
        for d in delegates
        if (d.get("name") or "").strip() or (d.get("position") or "").strip()
    ]
    if not cleaned:
        raise ValidationError({"delegates": _("Name at least one delegate.")})
    if any(not d["name"] for d in cleaned):
        raise ValidationError({"delegates": _("Every delegate needs a name.")})
    limit = submission.cycle.funded_delegates
    if len(cleaned) > limit:
        raise ValidationError(
            {"delegates": _("At most %(n)s delegates are funded.") % {"n": limit}}
        )
    slot.delegates = cleaned
    slot.confirmed_at = timezone.now()
    slot.confirmed_by = by
    slot.save(update_fields=["delegates", "confirmed_at", "confirmed_by", "updated_at"])
    return slot


@transaction.atomic
def hearing_presentation_set(
    *, slot: HearingSlot, by, upload=None, video_url: str = ""
) -> HearingSlot:
    """The city's presentation: a file (PDF, PPTX or ODP, checked by content) or a
    video link. A new file replaces the old one."""
    slot = (
        HearingSlot.objects.select_for_update().select_related("submission__cycle").get(pk=slot.pk)
    )
    _check_city(slot, by)
    video_url = (video_url or "").strip()
    if upload is None and not video_url:
        raise ValidationError({"presentation": _("Choose a file or give a video link.")})
    if video_url:
        try:
            URLValidator(schemes=["http", "https"])(video_url)
        except ValidationError:
            raise ValidationError({"video_url": _("Give a web address (https://…).")}) from None
        slot.video_url = video_url
    if upload is not None:
        content_type = presentation_type_detect(upload)
        if content_type is None:
            raise ValidationError(
                {
                    "presentation": _(
                        "“%(name)s” is not a PDF, PowerPoint (PPTX) or OpenDocument (ODP) "
                        "presentation. Files are recognised by their content, not their name."
                    )
                    % {"name": upload.name}
                }
            )
        if upload.size > PRESENTATION_MAX_MB * MB:
            raise ValidationError(
                {
                    "presentation": _("The largest presentation allowed is %(n)s MB.")
                    % {"n": PRESENTATION_MAX_MB}
                }
            )
        old = slot.presentation.name if slot.presentation else ""
        slot.presentation.save(upload.name, upload, save=False)
        slot.presentation_name = upload.name[:255]
        slot.presentation_type = content_type
        slot.presentation_size = upload.size
        if old:
            transaction.on_commit(lambda: slot.presentation.storage.delete(old))
    slot.save()
    return slot


def hearing_slot_notify(*, slot: HearingSlot) -> int:
    """Email every member of the slot's city its time and place, once per version of
    those details."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from submissions.services.emails import email_send_once

    slot = HearingSlot.objects.select_related(
        "session", "submission__organisation", "submission__cycle"
    ).get(pk=slot.pk)
    url = settings.SITE_URL + reverse("shortlist:hearing_city", args=[slot.submission_id])
    members = get_user_model().objects.filter(
        organisation_id=slot.submission.organisation_id, is_active=True
    )
    session = slot.session
    # Keyed by what the city is told: a moved slot or a corrected session is announced
    # again, a repeated run is not.
    details = hashlib.sha256(
        f"{slot.starts_at:%Y%m%d%H%M}|{slot.minutes}|{session.place}|{session.online_link}|"
        f"{session.theme}".encode()
    ).hexdigest()[:12]
    sent = 0
    for member in members.order_by("email"):
        sent += email_send_once(
            key=f"hearing-slot:{slot.pk}:{details}:{member.pk}",
            to=member.email,
            template="email/hearing_slot",
            context={"user": member, "slot": slot, "submission": slot.submission, "url": url},
        )
    return sent
