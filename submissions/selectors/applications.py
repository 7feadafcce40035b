"""Reads for the city officials' pages; each returns what its page needs in a fixed
number of queries, whatever the number of entries."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from submissions.models import (
    Attachment,
    ClarificationRequest,
    Cycle,
    Organisation,
    OrganisationInvitation,
    Submission,
)


def submission_list_for_organisation(*, organisation: Organisation) -> QuerySet[Submission]:
    """Every entry of a city, newest cycle first, with its cycle, its open
    clarification requests (``open_clarifications``) and counts for the progress."""
    return (
        Submission.objects.filter(organisation=organisation)
        .select_related("cycle", "organisation", "early_bird_feedback")
        .prefetch_related(
            Prefetch(
                "clarifications",
                queryset=ClarificationRequest.objects.filter(answered_at__isnull=True),
                to_attr="open_clarifications",
            )
        )
        .annotate(
            contact_count=Count("contacts", distinct=True),
            goal_count=Count("goals", distinct=True),
            attachment_count=Count("attachments", distinct=True),
        )
        .order_by("-cycle__number", "-created_at")
    )


def submission_get_full(*, pk: int) -> Submission:
    """One entry with everything the application pages and the preview show."""
    return (
        Submission.objects.select_related("cycle", "organisation", "early_bird_feedback")
        .prefetch_related(
            "contacts",
            "partners",
            "goals",
            "attachments",
            "clarifications",
        )
        .get(pk=pk)
    )


def cycle_get_open() -> Cycle | None:
    return Cycle.objects.filter(is_open=True).first()


def organisation_members(*, organisation: Organisation) -> QuerySet:
    return get_user_model().objects.filter(organisation=organisation).order_by("email")


def invitation_list_pending(*, organisation: Organisation) -> QuerySet[OrganisationInvitation]:
    return OrganisationInvitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True
    ).select_related("invited_by")


def attachment_list(*, submission: Submission) -> QuerySet[Attachment]:
    return Attachment.objects.filter(submission=submission)


def invitation_get(*, token) -> OrganisationInvitation | None:
    return (
        OrganisationInvitation.objects.select_related("organisation", "invited_by")
        .filter(token=token)
        .first()
    )


def invitation_list_for_email(*, email: str, valid_for) -> QuerySet[OrganisationInvitation]:
    """Invitations waiting for this address, still within their validity."""
    return OrganisationInvitation.objects.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        created_at__gte=timezone.now() - valid_for,
    ).select_related("organisation", "invited_by")
