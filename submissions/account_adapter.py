"""allauth's emails (address verification, password reset, ...) as the portal's own:
in the recipient's language when they have an account, with the branded HTML
version, and recorded in the outbox like every other email.

It lives in submissions (the outbox's app), not accounts: accounts sits below and
imports nothing of the apps above it.
"""

import uuid

from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.adapter import AccountAdapter as LanguageAccountAdapter
from submissions.models import SentEmail
from submissions.services.emails import REDACTED, html_email, language_of

ACCOUNT_REASON = gettext_lazy(
    "You receive this email because this address was used to sign up or sign in on the "
    "portal of the Guangzhou Award."
)


class AccountAdapter(LanguageAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        user = get_user_model().objects.filter(email__iexact=email).first()
        language = language_of(user) if user else (translation.get_language() or "en")
        with translation.override(language):
            message = self.render_mail_with_layout(template_prefix, email, context, language)
        row = SentEmail.objects.create(
            key=f"account:{uuid.uuid4()}",
            to=email,
            subject=message.subject[:300],
            template_key=template_prefix.rsplit("/", 1)[-1],
            language=language,
            recipient=user,
            organisation_id=getattr(user, "organisation_id", None),
            # Sign-in, verification and reset links are for the recipient only.
            body_text=REDACTED,
            state=SentEmail.State.QUEUED,
            sent_at=None,
        )
        try:
            message.send()
        except Exception as error:
            SentEmail.objects.filter(pk=row.pk).update(
                state=SentEmail.State.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                attempts=1,
            )
            raise
        SentEmail.objects.filter(pk=row.pk).update(
            state=SentEmail.State.SENT, sent_at=timezone.now(), attempts=1
        )

    def render_mail_with_layout(self, template_prefix, email, context, language):
        request = allauth_context.request
        ctx = {"email": email, "request": request, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        if not getattr(message, "alternatives", None) and message.content_subtype == "plain":
            message.attach_alternative(
                html_email(
                    subject=message.subject,
                    text=message.body,
                    language=language,
                    reason=ACCOUNT_REASON,
                ),
                "text/html",
            )
        return message
