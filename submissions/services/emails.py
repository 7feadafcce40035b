"""Sending the portal's emails from templates, at most once per key."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from submissions.models import SentEmail


def email_send_once(*, key: str, to: str, template: str, context: dict) -> bool:
    """Render ``templates/<template>_subject.txt`` and ``<template>.txt`` and send them.

    Idempotent: a ``SentEmail`` row with ``key`` is written in the same transaction as
    the send, so a task that runs twice sends once. Returns whether it sent.
    Raises on an SMTP failure, leaving no row, so that a retry sends again.
    """
    context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, to=to, subject=subject[:300])
            message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
            message.send()
    except IntegrityError:
        return False
    return True
