"""The portal's emails in the console: the wording of each message per language
(placeholders, preview with a real entry, reset), the outbox (filters, resend) and
every message one city was sent."""

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from console.forms import EmailTemplateForm, OutboxFilterForm
from console.views._common import form_errors, secretariat_only
from submissions.messages import message_get, message_list
from submissions.models import EmailTemplate, Organisation, SentEmail, Submission
from submissions.selectors.outbox import sent_email_counts, sent_email_list
from submissions.services.emails import (
    default_source,
    email_preview,
    email_resend,
    email_template_reset,
    email_template_save,
)

LANGUAGES = dict(settings.LANGUAGES)
PAGE_SIZE = 50
# The email's own HTML, shown in a sandboxed frame: its inline styles are allowed,
# nothing else (no scripts, no remote anything).
EMAIL_DOCUMENT_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "frame-ancestors": ["'self'"],
}
DRAFT_SESSION_KEY = "email-template-draft"


def _email_document(html: str) -> HttpResponse:
    return HttpResponse(html, content_type="text/html; charset=utf-8")


def _message_or_404(key: str, language: str):
    message = message_get(key)
    if message is None or message.key != key or language not in LANGUAGES:
        raise Http404(_("There is no such message."))
    return message


@secretariat_only
def email_templates(request):
    """Every message, and which languages the Secretariat has reworded."""
    edited = {}
    for key, language in EmailTemplate.objects.values_list("key", "language"):
        edited.setdefault(key, set()).add(language)
    rows = [
        {
            "message": message,
            "languages": [
                (code, name, code in edited.get(message.key, ()))
                for code, name in settings.LANGUAGES
            ],
        }
        for message in message_list()
    ]
    return render(
        request, "console/email_templates.html", {"rows": rows, "counts": sent_email_counts()}
    )


def _entry_for_preview(reference: str):
    if not reference:
        return None
    return (
        Submission.objects.select_related("cycle", "organisation")
        .filter(reference__iexact=reference.strip())
        .first()
    )


@secretariat_only
def email_template_edit(request, key, language):
    """Edit one message in one language: save, preview (unsaved text too) or reset."""
    message = _message_or_404(key, language)
    saved = EmailTemplate.objects.filter(key=key, language=language).first()
    default_subject, default_body = default_source(message=message, language=language)
    initial = {
        "subject": saved.subject if saved else default_subject,
        "body": saved.body if saved else default_body,
        "entry": request.GET.get("entry", ""),
    }
    form = EmailTemplateForm(request.POST or None, initial=initial)
    action = request.POST.get("action", "preview")
    preview = draft = None
    status = 200
    if request.method == "POST" and action == "reset":
        if email_template_reset(key=key, language=language, by=request.user):
            messages.success(request, _("The shipped default is used again."))
        return redirect("console:email_template", key=key, language=language)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if action == "save":
            try:
                email_template_save(
                    key=key,
                    language=language,
                    subject=data["subject"],
                    body=data["body"],
                    by=request.user,
                )
            except ValidationError as error:
                form_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Saved: this wording is used from the next email on."))
                entry = data["entry"]
                url = request.path + (f"?entry={entry}" if entry else "")
                return redirect(url)
        else:
            draft = {"subject": data["subject"], "body": data["body"]}
    elif request.method == "POST":
        status = 400
    entry_reference = (
        form.cleaned_data.get("entry") if form.is_bound and form.is_valid() else None
    ) or request.GET.get("entry", "")
    entry = _entry_for_preview(entry_reference)
    if entry_reference and entry is None:
        messages.warning(request, _("No entry has that reference: the latest one is used."))
    if draft is not None:
        from submissions.services.emails import template_errors

        problems = [
            *template_errors(draft["subject"], message.placeholder_names()),
            *template_errors(draft["body"], message.placeholder_names()),
        ]
        if problems:
            for problem in problems:
                form.add_error(None, problem)
            draft = None
            status = 400
    if status == 200:
        preview = email_preview(
            message=message,
            language=language,
            entry=entry,
            user=request.user,
            subject=draft["subject"] if draft else None,
            body=draft["body"] if draft else None,
        )
        request.session[DRAFT_SESSION_KEY] = {
            "key": key,
            "language": language,
            "entry": entry.pk if entry else None,
            **(draft or {}),
        }
    return render(
        request,
        "console/email_template_edit.html",
        {
            "message": message,
            "language": language,
            "language_name": LANGUAGES[language],
            "languages": settings.LANGUAGES,
            "form": form,
            "saved": saved,
            "preview": preview,
            "is_draft": draft is not None,
            "if_example": "{% if note %}…{% endif %}",
            "placeholders": [(name, label) for name, label in message.placeholders.items()]
            + [("site_url", _("The portal's address"))],
        },
        status=status,
    )


@xframe_options_sameorigin
@csp_replace(EMAIL_DOCUMENT_CSP)
@secretariat_only
def email_template_preview_html(request, key, language):
    """The HTML version of the last preview of this page (framed by the edit page)."""
    message = _message_or_404(key, language)
    state = request.session.get(DRAFT_SESSION_KEY) or {}
    entry = None
    if state.get("key") == key and state.get("language") == language and state.get("entry"):
        entry = (
            Submission.objects.select_related("cycle", "organisation")
            .filter(pk=state["entry"])
            .first()
        )
    same = state.get("key") == key and state.get("language") == language
    rendered = email_preview(
        message=message,
        language=language,
        entry=entry,
        user=request.user,
        subject=state.get("subject") if same else None,
        body=state.get("body") if same else None,
    )
    if rendered is None:
        raise Http404(_("There is no entry to preview this message with yet."))
    return _email_document(rendered.html)


@secretariat_only
def outbox(request):
    """Every email sent, filtered by status, message, cycle and recipient; paginated."""
    templates = [(m.key, m.label) for m in message_list()] + [("announcement", _("Announcement"))]
    form = OutboxFilterForm(request.GET or None, templates=templates)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    emails = sent_email_list(
        state=filters.get("state", ""),
        template=filters.get("template", ""),
        cycle=filters.get("cycle"),
        q=filters.get("q", ""),
    )
    page = Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "console/outbox.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "labels": dict(templates),
            "counts": sent_email_counts(),
        },
    )


def _email(pk) -> SentEmail:
    return get_object_or_404(
        SentEmail.objects.select_related("recipient", "organisation", "submission", "announcement"),
        pk=pk,
    )


@secretariat_only
def outbox_email(request, pk):
    email = _email(pk)
    label = message_get(email.template_key)
    return render(
        request,
        "console/outbox_email.html",
        {"email": email, "label": label.label if label else email.template_key},
    )


@xframe_options_sameorigin
@csp_replace(EMAIL_DOCUMENT_CSP)
@secretariat_only
def outbox_email_html(request, pk):
    email = _email(pk)
    if not email.body_html:
        raise Http404(_("This email has no HTML version."))
    return _email_document(email.body_html)


@require_POST
@secretariat_only
def outbox_resend(request, pk):
    email = _email(pk)
    try:
        email_resend(email=email, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The email is queued to be sent again."))
    return redirect(request.POST.get("next") or "console:outbox")


@secretariat_only
def city_messages(request, pk):
    """A city: its entries and every message its people were sent."""
    organisation = get_object_or_404(Organisation, pk=pk)
    emails = sent_email_list(organisation=organisation)
    page = Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = organisation.submissions.select_related("cycle").order_by(
        "-cycle__number", "sequence"
    )
    labels = {m.key: m.label for m in message_list()}
    labels["announcement"] = _("Announcement")
    return render(
        request,
        "console/city.html",
        {"organisation": organisation, "page": page, "entries": entries, "labels": labels},
    )
