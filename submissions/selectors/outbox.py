"""Reading the outbox: the console's list with filters, and one city's messages."""

from django.db.models import Q, QuerySet

from submissions.models import SentEmail


def sent_email_list(
    *, state: str = "", template: str = "", cycle=None, q: str = "", organisation=None
) -> QuerySet:
    """Outbox rows, newest first, with what the list shows joined in (no N+1)."""
    emails = SentEmail.objects.select_related(
        "recipient", "organisation", "submission", "announcement"
    ).defer("body_text", "body_html")
    if state:
        emails = emails.filter(state=state)
    if template:
        emails = emails.filter(template_key=template)
    if cycle is not None:
        emails = emails.filter(Q(submission__cycle=cycle) | Q(announcement__cycle=cycle))
    if q:
        emails = emails.filter(
            Q(to__icontains=q)
            | Q(recipient__full_name__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    if organisation is not None:
        emails = emails.filter(
            Q(organisation=organisation) | Q(submission__organisation=organisation)
        )
    return emails.order_by("-queued_at", "-pk")


def sent_email_counts() -> dict:
    from django.db.models import Count

    rows = SentEmail.objects.values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}
