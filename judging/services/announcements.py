"""Announcements: the Secretariat writes to an audience, now or at a set time.

An audience is a named filter over users (cities of a cycle, its panels...). When
an announcement is sent, its recipients are resolved once into outbox rows (each
rendered in the recipient's language, under the key ``announcement:<id>:<user>``)
in one transaction; each row is then sent by its own task. A worker that dies
halfway leaves the unsent rows ``queued``: the redelivered task (or the outbox
sweep) sends them, and rows already ``sent`` are never sent again.

Announcements to audiences that are not about the recipient's own entry or role
(cities of earlier cycles) carry an unsubscribe link, and skip users who opted out.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.messages import ANNOUNCEMENT_PLACEHOLDERS
from submissions.models import Announcement, Cycle, EmailOptOut, SentEmail
from submissions.services.dispatch import dispatch_on_commit
from submissions.services.emails import (
    html_email,
    language_of,
    sandbox_render,
    template_errors,
    unsubscribe_url,
)
from submissions.workflow import Status

from ..models import Assignment, PanelKind

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
TEMPLATE_KEY = "announcement"


@dataclass(frozen=True)
class Audience:
    key: str
    label: str
    users: Callable[[Cycle | None], QuerySet]
    reason: str
    # About the recipient's own entry or role: no unsubscribe link, opt-outs ignored.
    transactional: bool = True
    needs_cycle: bool = True


def _users():
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def _city_users(submissions) -> QuerySet:
    return _users().filter(organisation_id__in=submissions.values("organisation_id"))


def _drafts(cycle):
    from submissions.models import Submission

    return _city_users(Submission.objects.filter(cycle=cycle, status=Status.DRAFT))


def _earlier(cycle):
    from submissions.models import Submission

    entered = Submission.objects.exclude(status=Status.DRAFT)
    if cycle is not None:
        entered = entered.filter(cycle__number__lt=cycle.number)
    return _city_users(entered)


def _shortlisted(cycle):
    from submissions.models import Submission

    return _city_users(
        Submission.objects.filter(
            cycle=cycle, status__in=[Status.SHORTLISTED, Status.WINNER, Status.MEDAL_OF_HONOR]
        )
    )


def _panel(kind):
    def users(cycle):
        return _users().filter(
            panel_memberships__panel__cycle=cycle, panel_memberships__panel__kind=kind
        )

    return users


def _unfinished_reviewers(cycle):
    unfinished = Assignment.objects.filter(
        panel__cycle=cycle, panel__closed_at__isnull=True, state__in=["pending", "active"]
    ).filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True))
    return _users().filter(panel_memberships__assignments__in=unfinished)


CITY_REASON = gettext_lazy(
    "You receive this announcement because your city has an entry in this cycle of the "
    "Guangzhou Award."
)
PANEL_REASON = gettext_lazy(
    "You receive this announcement because you are a member of a panel of the Guangzhou Award."
)
AUDIENCES = {
    a.key: a
    for a in [
        Audience(
            "drafts",
            gettext_lazy("Cities with a draft not submitted in the cycle"),
            _drafts,
            CITY_REASON,
        ),
        Audience(
            "earlier_cycles",
            gettext_lazy("Cities that entered an earlier cycle (any cycle before it)"),
            _earlier,
            gettext_lazy(
                "You receive this announcement because your city entered the Guangzhou Award "
                "before."
            ),
            transactional=False,
            needs_cycle=False,
        ),
        Audience(
            "shortlisted",
            gettext_lazy("Shortlisted cities of the cycle"),
            _shortlisted,
            CITY_REASON,
        ),
        Audience(
            "tc",
            gettext_lazy("The Technical Committee of the cycle"),
            _panel(PanelKind.TECHNICAL_COMMITTEE),
            PANEL_REASON,
        ),
        Audience(
            "jury", gettext_lazy("The Jury of the cycle"), _panel(PanelKind.JURY), PANEL_REASON
        ),
        Audience(
            "unfinished_reviewers",
            gettext_lazy("Reviewers with unfinished reviews in the cycle"),
            _unfinished_reviewers,
            PANEL_REASON,
        ),
    ]
}
AUDIENCE_CHOICES = [(a.key, a.label) for a in AUDIENCES.values()]


def audience_recipients(*, audience: str, cycle: Cycle | None) -> QuerySet:
    """The users an audience names now, without duplicates, minus opt-outs where they count."""
    spec = AUDIENCES[audience]
    users = get_user_model().objects.filter(pk__in=spec.users(cycle).values("pk"))
    if not spec.transactional:
        users = users.exclude(pk__in=EmailOptOut.objects.values("user_id"))
    return users.select_related("organisation").order_by("pk")


def audience_count(*, audience: str, cycle: Cycle | None) -> dict:
    """How many an audience reaches, and how many it skips because they opted out."""
    spec = AUDIENCES[audience]
    everyone = get_user_model().objects.filter(pk__in=spec.users(cycle).values("pk"))
    counts = everyone.aggregate(
        total=Count("pk"), opted_out=Count("pk", filter=Q(email_opt_out__isnull=False))
    )
    opted_out = 0 if spec.transactional else counts["opted_out"]
    return {"recipients": counts["total"] - opted_out, "opted_out": opted_out}


def _validate(*, subject, body, translations, audience, cycle) -> dict:
    errors: dict[str, list] = {}
    spec = AUDIENCES.get(audience)
    if spec is None:
        errors["audience"] = [_("Choose an audience.")]
    elif spec.needs_cycle and cycle is None:
        errors["cycle"] = [_("This audience needs a cycle.")]
    allowed = [*ANNOUNCEMENT_PLACEHOLDERS, "site_url"]
    texts = {"": {"subject": subject, "body": body}, **translations}
    for language, text in texts.items():
        suffix = f"_{language.replace('-', '_')}" if language else ""
        if language and language not in LANGUAGE_CODES:
            errors["__all__"] = [_("Unknown language %(code)s.") % {"code": language}]
            continue
        if not language and not (subject.strip() and body.strip()):
            errors.setdefault("subject", []).append(_("Write the subject and the message."))
            continue
        if language and bool(text.get("subject", "").strip()) != bool(text.get("body", "").strip()):
            errors.setdefault("subject" + suffix, []).append(
                _("Give both the subject and the message of a translation, or neither.")
            )
            continue
        for part in ("subject", "body"):
            problems = template_errors(text.get(part, ""), allowed)
            if problems:
                errors.setdefault(part + suffix, []).extend(problems)
    return errors


def announcement_save(
    *,
    announcement: Announcement | None = None,
    subject: str,
    body: str,
    translations: dict,
    audience: str,
    cycle: Cycle | None,
    by,
) -> Announcement:
    """Create or edit an announcement not yet sent. Placeholders are checked like an
    email template's: an unknown one or a syntax error is refused with its line."""
    translations = {
        code: {"subject": text.get("subject", "").strip(), "body": text.get("body", "")}
        for code, text in (translations or {}).items()
        if text.get("subject", "").strip() or text.get("body", "").strip()
    }
    errors = _validate(
        subject=subject, body=body, translations=translations, audience=audience, cycle=cycle
    )
    if errors:
        raise ValidationError(errors)
    if announcement is None:
        announcement = Announcement(created_by=by)
    elif announcement.state == Announcement.State.SENT:
        raise ValidationError(_("This announcement has been sent; it can no longer change."))
    announcement.subject = subject.strip()
    announcement.body = body
    announcement.translations = translations
    announcement.audience = audience
    announcement.cycle = cycle
    announcement.save()
    return announcement


@transaction.atomic
def announcement_schedule(*, announcement: Announcement, send_at=None, by) -> Announcement:
    """Send now (``send_at`` None or past) or at ``send_at``; the beat sends due ones."""
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if locked.state == Announcement.State.SENT:
        raise ValidationError(_("This announcement has already been sent."))
    now = timezone.now()
    locked.state = Announcement.State.SCHEDULED
    locked.send_at = send_at or now
    locked.save(update_fields=["state", "send_at"])
    if locked.send_at <= now:
        from ..announcement_tasks import send_announcement

        dispatch_on_commit(send_announcement, locked.pk)
    return locked


@transaction.atomic
def announcement_unschedule(*, announcement: Announcement, by) -> Announcement:
    """Back to a draft, while it has not been sent."""
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if locked.state != Announcement.State.SCHEDULED:
        raise ValidationError(_("Only a scheduled announcement can be stopped."))
    locked.state = Announcement.State.DRAFT
    locked.send_at = None
    locked.save(update_fields=["state", "send_at"])
    return locked


def _text_for(announcement: Announcement, language: str) -> tuple[str, str]:
    text = announcement.translations.get(language)
    if text and text.get("subject") and text.get("body"):
        return text["subject"], text["body"]
    return announcement.subject, announcement.body


def _language_for(announcement: Announcement, user) -> str:
    language = language_of(user)
    return language if language in announcement.translations else settings.LANGUAGE_CODE


def announcement_render(*, announcement: Announcement, user):
    """(language, subject, text, html, headers) of the announcement for one recipient."""
    spec = AUDIENCES[announcement.audience]
    language = _language_for(announcement, user)
    subject_source, body_source = _text_for(announcement, language)
    values = {
        "recipient_name": user.display_name,
        "city_name": user.organisation.name if user.organisation_id else "",
        "cycle_number": announcement.cycle.number if announcement.cycle_id else "",
        "site_url": settings.SITE_URL,
    }
    link = "" if spec.transactional else unsubscribe_url(user)
    with translation.override(language):
        subject = " ".join(sandbox_render(subject_source, values).split())[:300]
        text = sandbox_render(body_source, values).strip() + "\n"
        if link:
            text += "\n--\n{}\n{}\n".format(_("Stop receiving announcements:"), link)
        html = html_email(
            subject=subject, text=text, language=language, reason=spec.reason, unsubscribe_url=link
        )
    headers = {}
    if link:
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return language, subject, text, html, headers


def announcement_resolve(*, announcement_id: int) -> list[int]:
    """Turn the audience into outbox rows, once (the first call; later calls add none).
    Returns the ids of this announcement's rows still ``queued``."""
    with transaction.atomic():
        announcement = (
            Announcement.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=announcement_id)
        )
        if announcement.resolved_at is None:
            if announcement.state != Announcement.State.SCHEDULED:
                return []
            rows = []
            for user in audience_recipients(
                audience=announcement.audience, cycle=announcement.cycle
            ):
                language, subject, text, html, headers = announcement_render(
                    announcement=announcement, user=user
                )
                rows.append(
                    SentEmail(
                        key=f"announcement:{announcement.pk}:{user.pk}",
                        to=user.email,
                        subject=subject,
                        template_key=TEMPLATE_KEY,
                        language=language,
                        recipient=user,
                        organisation_id=user.organisation_id,
                        announcement=announcement,
                        body_text=text,
                        body_html=html,
                        headers=headers,
                        state=SentEmail.State.QUEUED,
                        sent_at=None,
                    )
                )
            SentEmail.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
            announcement.resolved_at = timezone.now()
            announcement.state = Announcement.State.SENT
            announcement.recipient_count = len(rows)
            announcement.save(update_fields=["resolved_at", "state", "recipient_count"])
    return list(
        SentEmail.objects.filter(announcement_id=announcement_id, state=SentEmail.State.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def announcement_progress(announcement: Announcement) -> dict:
    counts = SentEmail.objects.filter(announcement=announcement).aggregate(
        queued=Count("pk", filter=Q(state=SentEmail.State.QUEUED)),
        sent=Count("pk", filter=Q(state=SentEmail.State.SENT)),
        failed=Count("pk", filter=Q(state=SentEmail.State.FAILED)),
    )
    return counts


def announcements_due(now=None) -> list[int]:
    now = now or timezone.now()
    return list(
        Announcement.objects.filter(
            state=Announcement.State.SCHEDULED, send_at__lte=now, resolved_at__isnull=True
        ).values_list("pk", flat=True)
    )
