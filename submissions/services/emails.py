"""Rendering and sending the portal's emails, recorded in the outbox, at most once per key.

Every email is one registered message (``submissions.messages``) rendered in the
recipient's language: the Secretariat's wording for that language when there is
one (``EmailTemplate``, compiled by a sandboxed engine), else the shipped default
(translated). It goes out as plain text with an HTML alternative built from one
branded layout (``submissions/email_layout``).

Sending is two steps: ``email_queue`` renders and writes a ``SentEmail`` row
(``queued``) under its send-once key; ``email_deliver`` locks the row, hands the
message to the backend and marks it ``sent`` (or ``failed`` with the error, then
re-raises so that the calling Celery task retries). A row already ``sent`` is never
sent again, so a task run twice, or redelivered after a worker dies, sends once.
"""

import logging
import re
import string
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template import Context, Engine, TemplateSyntaxError, engines
from django.template.base import FilterExpression, Variable, VariableNode
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from submissions.email_layout.build import BUILT as LAYOUT_FILE
from submissions.email_template_cache import email_template_get
from submissions.messages import Message, message_get, sensitive_keys
from submissions.models import EmailOptOut, EmailTemplate, SentEmail
from submissions.services.unique_rows import insert_unless_taken

logger = logging.getLogger(__name__)
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
UNSUBSCRIBE_SALT = "gza.emails.unsubscribe"
# What the outbox keeps of a sent email that carried a personal link.
REDACTED = "(Not kept: this email carried a personal link, valid for its recipient only.)"


# The sandbox: what a template written in the console may contain -------------------


class _SandboxEngine(Engine):
    default_builtins = []  # no defaulttags (load, include, url...), no loader tags


SANDBOX = _SandboxEngine(
    builtins=["submissions.email_sandbox"],
    libraries={},
    loaders=[],
    autoescape=False,
    debug=True,
    string_if_invalid="",
)


@lru_cache(maxsize=512)
def _compile(source: str):
    return SANDBOX.from_string(source)


def _names_in_expression(expression: FilterExpression):
    var = expression.var
    if isinstance(var, Variable) and var.literal is None:
        yield var.var
    for _func, args in expression.filters:
        for is_variable, arg in args:
            if is_variable and isinstance(arg, Variable) and arg.literal is None:
                yield arg.var


def _names_in_condition(condition):
    if condition is None:
        return
    if hasattr(condition, "value"):  # a literal or a variable of an {% if %}
        if isinstance(condition.value, FilterExpression):
            yield from _names_in_expression(condition.value)
        return
    yield from _names_in_condition(getattr(condition, "first", None))
    yield from _names_in_condition(getattr(condition, "second", None))


def _placeholders_used(nodelist):
    """(line, name) of every placeholder a compiled sandbox template reads."""
    for node in nodelist:
        line = getattr(getattr(node, "token", None), "lineno", None)
        if isinstance(node, VariableNode):
            for name in _names_in_expression(node.filter_expression):
                yield line, name
        for condition, _nodes in getattr(node, "conditions_nodelists", []):
            for name in _names_in_condition(condition):
                yield line, name
        for expression in getattr(node, "vars", []):  # {% firstof %}
            if isinstance(expression, FilterExpression):
                for name in _names_in_expression(expression):
                    yield line, name
        for attr in getattr(node, "child_nodelists", ()):
            yield from _placeholders_used(getattr(node, attr, None) or [])


def template_errors(source: str, allowed) -> list[str]:
    """Why ``source`` cannot be used as an email template, each with its line:
    a syntax error, a tag or filter the sandbox lacks, or an unknown placeholder."""
    try:
        template = _compile(source)
    except TemplateSyntaxError as error:
        info = getattr(error, "template_debug", None) or {}
        return [
            _("Line %(line)s: %(reason)s")
            % {"line": info.get("line", 1), "reason": info.get("message", str(error))}
        ]
    allowed = set(allowed)
    errors = []
    for line, name in _placeholders_used(template.nodelist):
        if name not in allowed:
            errors.append(
                _("Line %(line)s: unknown placeholder “%(name)s”. Use one of: %(names)s.")
                % {"line": line or 1, "name": name, "names": ", ".join(sorted(allowed))}
            )
    return errors


def sandbox_render(source: str, values: dict) -> str:
    return _compile(source).render(Context(values, autoescape=False))


# Rendering ------------------------------------------------------------------------


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    language: str


@lru_cache(maxsize=1)
def _layout() -> string.Template:
    return string.Template(LAYOUT_FILE.read_text())


_LINK = re.compile(r"(https?://[^\s<>\"]+[^\s<>\".,;:!?)])")


def _paragraphs_html(text: str) -> str:
    """Plain text to the HTML body: paragraphs, line breaks, links (all escaped)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    html = []
    for paragraph in paragraphs:
        inner = _LINK.sub(
            r'<a style="color:#b3202a" href="\1">\1</a>', escape(paragraph.strip())
        ).replace("\n", "<br>\n")
        html.append(f'<p style="margin:0 0 14px 0">{inner}</p>')
    return "\n".join(html)


def html_email(
    *, subject: str, text: str, language: str, reason: str, unsubscribe_url: str = ""
) -> str:
    """The branded HTML version of a plain-text email (call under the email's language)."""
    footer = escape(str(reason))
    if unsubscribe_url:
        footer += '<br>\n<a style="color:#5f6b76" href="{}">{}</a>'.format(
            escape(unsubscribe_url), escape(_("Stop receiving announcements"))
        )
    footer += (
        "<br>\n"
        + escape(_("Secretariat of the Guangzhou Award"))
        + " · "
        + escape(settings.SITE_URL)
    )
    return _layout().substitute(
        lang=escape(language),
        subject=escape(subject),
        award_name=escape(_("Guangzhou International Award for Urban Innovation")),
        body=_paragraphs_html(text),
        footer=footer,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def _default_render(message: Message, values: dict) -> tuple[str, str]:
    subject = render_to_string(f"{message.template}_subject.txt", values)
    body = render_to_string(f"{message.template}.txt", values)
    return _one_line(subject), body


def _override_for(key: str, language: str) -> EmailTemplate | None:
    return email_template_get(key, language)


def email_render(
    *,
    message: Message,
    context: dict,
    language: str,
    override: EmailTemplate | None | bool = True,
    unsubscribe_url: str = "",
) -> Rendered:
    """Render ``message`` for ``context`` in ``language``. ``override=True`` looks up the
    Secretariat's wording; a wording that fails to render falls back to the shipped
    default (logged), so a template can never stop an email."""
    with translation.override(language):
        values = {**message.build(context), "site_url": settings.SITE_URL}
        if override is True:
            override = _override_for(message.key, language)
        subject = text = None
        if override:
            try:
                subject = _one_line(sandbox_render(override.subject, values))
                text = sandbox_render(override.body, values)
            except Exception:  # noqa: BLE001 - any failure: the default is sent instead
                logger.exception(
                    "Email template %s (%s) failed to render; sending the default",
                    message.key,
                    language,
                )
                subject = text = None
        if subject is None:
            subject, text = _default_render(message, values)
        html = html_email(
            subject=subject,
            text=text,
            language=language,
            reason=message.reason,
            unsubscribe_url=unsubscribe_url,
        )
    return Rendered(subject=subject, text=text, html=html, language=language)


def _marker(name: str) -> str:
    return "{{ " + name + " }}"


_CONDITION_TAG = re.compile(r"\{%\s*((?:if|elif|else|endif)\b[^%]*?)\s*%\}")


def default_source(*, message: Message, language: str) -> tuple[str, str]:
    """The shipped default in ``language`` as an editable template: the translatable
    strings translated, every placeholder written ``{{ name }}`` and the conditions
    (``{% if %}``) kept as they are. Numbers show a plural example."""
    markers = {name: _marker(name) for name in message.placeholder_names()}
    numbers = {}
    for index, name in enumerate(message.numeric):
        numbers[name] = 7391 + index
        markers[name] = numbers[name]
    engine = engines["django"]
    parts = []
    with translation.override(language):
        for suffix in ("_subject.txt", ".txt"):
            source = get_template(message.template + suffix).template.source
            # Conditions stay in the editable text: print them instead of running them.
            source = _CONDITION_TAG.sub(
                lambda m: (
                    "{% templatetag openblock %} " + m.group(1) + " {% templatetag closeblock %}"
                ),
                source,
            )
            parts.append(engine.from_string(source).render(markers))
    subject, body = _one_line(parts[0]), parts[1]
    for name, number in numbers.items():
        subject = subject.replace(str(number), _marker(name))
        body = body.replace(str(number), _marker(name))
    return subject, body.strip() + "\n"


# Recipients -----------------------------------------------------------------------


def language_of(user) -> str:
    code = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def _user_by_email(email: str):
    return get_user_model().objects.filter(email__iexact=email).first()


def unsubscribe_url(user) -> str:
    token = signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("emails:unsubscribe", args=[token])


def unsubscribe_user(token: str):
    """The user a signed unsubscribe token names, or None."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=data.get("u")).first()


def email_opt_out(*, user, opt_out: bool = True) -> None:
    """Record (or withdraw) ``user``'s refusal of announcements. Idempotent."""
    if opt_out:
        EmailOptOut.objects.get_or_create(user=user)
    else:
        EmailOptOut.objects.filter(user=user).delete()


# Queueing and delivering ----------------------------------------------------------


def email_queue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    recipient=None,
    submission=None,
    announcement=None,
) -> tuple[SentEmail, bool]:
    """Render the email in the recipient's language and record it ``queued`` under
    ``key``. Returns (row, created); an existing key is returned untouched (the email
    is rendered before that is known: a key is almost always new, and a lookup first
    would cost every new email a round trip to spare a rerun a render)."""
    recipient = recipient or context.get("user") or _user_by_email(to)
    submission = submission or context.get("submission")
    message = message_get(template)
    if message is None:  # a programming error: every email is registered
        raise LookupError(f"Email {template!r} is not in the message registry")
    rendered = email_render(message=message, context=context, language=language_of(recipient))
    organisation_id = getattr(recipient, "organisation_id", None) or (
        submission.organisation_id if submission is not None else None
    )
    row = insert_unless_taken(
        lambda: SentEmail.objects.create(
            key=key,
            to=to,
            subject=rendered.subject,
            template_key=message.key,
            language=rendered.language,
            recipient=recipient if getattr(recipient, "pk", None) else None,
            organisation_id=organisation_id,
            submission=submission if getattr(submission, "pk", None) else None,
            announcement=announcement,
            body_text=rendered.text,
            body_html=rendered.html,
            state=SentEmail.State.QUEUED,
            sent_at=None,
        )
    )
    if row is None:
        return SentEmail.objects.get(key=key), False
    return row, True


def _email_message(row: SentEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        row.subject,
        row.body_text,
        settings.DEFAULT_FROM_EMAIL,
        [row.to],
        headers=row.headers or None,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def _send_row(row: SentEmail, connection=None) -> None:
    """Hand one row to the backend and mark it sent."""
    message = _email_message(row)
    message.connection = connection
    message.send()
    done = {"state": SentEmail.State.SENT, "sent_at": timezone.now(), "error": ""}
    if row.template_key in sensitive_keys():
        done.update(body_text=REDACTED, body_html="")
    SentEmail.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1, **done)


def _record_failure(email_id: int, error: BaseException) -> None:
    """Outside the failed transaction, so that the failure stays recorded."""
    SentEmail.objects.filter(pk=email_id).exclude(state=SentEmail.State.SENT).update(
        state=SentEmail.State.FAILED,
        error=f"{type(error).__name__}: {error}"[:2000],
        attempts=F("attempts") + 1,
    )
    logger.warning("Email %s failed: %s", email_id, error)


def email_deliver(*, email_id: int, connection=None) -> bool:
    """Send one outbox row unless it is already sent (the row is locked meanwhile, so
    two workers holding the same row send it once). Returns whether it sent.
    On failure the row is marked ``failed`` with the error and the error re-raised."""
    try:
        with transaction.atomic():
            row = SentEmail.objects.select_for_update().filter(pk=email_id).first()
            if row is None or row.state == SentEmail.State.SENT:
                return False
            _send_row(row, connection)
    except Exception as error:
        _record_failure(email_id, error)
        raise
    return True


def email_send_once(*, key: str, to: str, template: str, context: dict, recipient=None) -> bool:
    """Render ``template`` (a registered message's key or default template path) in the
    recipient's language and send it now, once per ``key``. Returns whether it sent.
    Raises on an SMTP failure, leaving a ``failed`` row that a retry sends again."""
    row, created = email_queue(
        key=key, to=to, template=template, context=context, recipient=recipient
    )
    if row.state == SentEmail.State.SENT:
        return False
    if not created:
        return email_deliver(email_id=row.pk)
    # Just written under its unique key by this call: no other process holds it.
    try:
        _send_row(row)
    except Exception as error:
        _record_failure(row.pk, error)
        raise
    return True


def email_resend(*, email: SentEmail, by) -> None:
    """Queue a failed email again; a task sends it after commit."""
    if email.state != SentEmail.State.FAILED:
        raise ValidationError(_("Only a failed email can be resent."))
    SentEmail.objects.filter(pk=email.pk).update(state=SentEmail.State.QUEUED, error="")
    from submissions.outbox_tasks import send_outbound_email

    from .dispatch import dispatch_on_commit

    dispatch_on_commit(send_outbound_email, email.pk)


# The Secretariat's wording --------------------------------------------------------


def email_template_save(*, key: str, language: str, subject: str, body: str, by) -> EmailTemplate:
    """Save the wording of message ``key`` in ``language``; refused (ValidationError
    by field, each error with its line) when it would not render."""
    message = message_get(key)
    if message is None or language not in LANGUAGE_CODES:
        raise ValidationError(_("There is no such message or language."))
    allowed = message.placeholder_names()
    errors = {}
    if "\n" in subject.strip():
        errors["subject"] = [_("The subject must be one line.")]
    else:
        subject_errors = template_errors(subject, allowed)
        if subject_errors:
            errors["subject"] = subject_errors
    if not body.strip():
        errors["body"] = [_("The message cannot be empty.")]
    else:
        body_errors = template_errors(body, allowed)
        if body_errors:
            errors["body"] = body_errors
    if errors:
        raise ValidationError(errors)
    template, _created = EmailTemplate.objects.update_or_create(
        key=key,
        language=language,
        defaults={"subject": subject.strip(), "body": body, "updated_by": by},
    )
    return template


def email_template_reset(*, key: str, language: str, by) -> bool:
    """Go back to the shipped default. Returns whether there was a wording to drop."""
    deleted, _rows = EmailTemplate.objects.filter(key=key, language=language).delete()
    return bool(deleted)


def email_preview(
    *, message: Message, language: str, entry=None, user=None, subject=None, body=None
):
    """Render ``message`` with real objects (``message.sample``) in ``language``: with the
    given wording, the saved one, or the default. None when no real entry exists."""
    context = message.sample(entry=entry, user=user)
    if context is None:
        return None
    override = True
    if subject is not None and body is not None:
        override = EmailTemplate(key=message.key, language=language, subject=subject, body=body)
    return email_render(message=message, context=context, language=language, override=override)
