"""Writes about cities (organisations), their members and invitations."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.continents import continent_of
from submissions.models import Organisation, OrganisationInvitation
from submissions.public_cache import bumps_public_cache

from .emails import email_send_once

logger = logging.getLogger(__name__)

# How long an emailed invitation link stays valid.
INVITATION_VALID_FOR = timedelta(days=14)

ORGANISATION_FIELDS = (
    "name",
    "province",
    "country",
    "kind",
    "population",
    "area_km2",
    "gdp_per_capita_usd",
    "website",
)


def organisation_find_existing(*, name: str, country: str, exclude_pk: int | None = None):
    """The organisation registered under the same name (any case) in the same country."""
    found = Organisation.objects.filter(name__iexact=(name or "").strip(), country=country)
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.first()


def _already_registered_error(existing: Organisation) -> ValidationError:
    # Strangers never join an existing city on their own: a member must vouch for them.
    return ValidationError(
        _(
            "%(name)s is already registered on the portal. Please ask one of its "
            "members to invite you by email."
        )
        % {"name": existing}
    )


@transaction.atomic
def organisation_create(*, data: dict, by) -> Organisation:
    """Register a city and make ``by`` its first member.

    Raises ``ValidationError`` when ``by`` already belongs to a city or when the city
    exists already (same name in any case, same country).
    """
    user = get_user_model().objects.select_for_update().get(pk=by.pk)
    if user.organisation_id:
        raise ValidationError(_("You already belong to a city."))
    values = {field: data.get(field) for field in ORGANISATION_FIELDS if field in data}
    values["name"] = (values.get("name") or "").strip()
    existing = organisation_find_existing(name=values["name"], country=str(values["country"]))
    if existing:
        raise _already_registered_error(existing)
    for field in ("province", "website"):
        values[field] = values.get(field) or ""
    organisation = Organisation(**values, created_by=user)
    organisation.continent = continent_of(str(organisation.country))
    try:
        # The unique constraint catches a race between two simultaneous sign-ups.
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:
        existing = organisation_find_existing(name=values["name"], country=str(values["country"]))
        raise _already_registered_error(existing or organisation) from exc
    user.organisation = organisation
    user.save(update_fields=["organisation"])
    by.organisation = organisation
    return organisation


@bumps_public_cache
@transaction.atomic
def organisation_update(*, organisation: Organisation, data: dict, by) -> Organisation:
    """Change a city's profile; the continent follows the country."""
    if by.organisation_id != organisation.pk:
        raise ValidationError(_("Only members of a city may change it."))
    for field in ORGANISATION_FIELDS:
        if field in data:
            value = data[field]
            if field in ("province", "website") and value is None:
                value = ""
            setattr(organisation, field, value)
    organisation.name = organisation.name.strip()
    existing = organisation_find_existing(
        name=organisation.name, country=str(organisation.country), exclude_pk=organisation.pk
    )
    if existing:
        raise ValidationError(
            _("Another city with this name is already registered in this country.")
        )
    organisation.continent = continent_of(str(organisation.country))
    organisation.save()
    return organisation


def invitation_url(invitation: OrganisationInvitation) -> str:
    return settings.SITE_URL + reverse(
        "submissions:invitation_accept", args=[str(invitation.token)]
    )


def _send_invitation(invitation_id: int) -> None:
    invitation = OrganisationInvitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    try:
        email_send_once(
            key=f"invitation:{invitation.pk}",
            to=invitation.email,
            template="email/organisation_invitation",
            context={
                "invitation": invitation,
                "organisation": invitation.organisation,
                "inviter": invitation.invited_by,
                "accept_url": invitation_url(invitation),
                "valid_days": INVITATION_VALID_FOR.days,
            },
        )
    except Exception:  # noqa: BLE001 - SMTP trouble is logged; the member can resend
        logger.exception("Could not send invitation %s", invitation_id)


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, by) -> OrganisationInvitation:
    """Invite ``email`` to join ``organisation``; the link is emailed after commit."""
    if by.organisation_id != organisation.pk:
        raise ValidationError(_("Only members of a city may invite colleagues."))
    email = (email or "").strip().lower()
    User = get_user_model()
    if User.objects.filter(email__iexact=email, organisation=organisation).exists():
        raise ValidationError(_("%(email)s is already a member of your city.") % {"email": email})
    invitation = OrganisationInvitation.objects.create(
        organisation=organisation, email=email, invited_by=by
    )
    transaction.on_commit(lambda: _send_invitation(invitation.pk))
    return invitation


def invitation_problem(invitation: OrganisationInvitation | None, user, at=None) -> str | None:
    """Why ``user`` may not accept ``invitation`` now, or None when they may."""
    at = at or timezone.now()
    if invitation is None:
        return _("This invitation link is not valid. Please ask your colleague for a new one.")
    if invitation.accepted_at:
        return _("This invitation has already been used. Please ask your colleague for a new one.")
    if invitation.created_at + INVITATION_VALID_FOR < at:
        return _(
            "This invitation expired after %(days)s days. Please ask your colleague for a new one."
        ) % {"days": INVITATION_VALID_FOR.days}
    if invitation.email.lower() != (user.email or "").lower():
        return _(
            "This invitation was sent to another email address. Please sign in with the "
            "address it was sent to."
        )
    if user.organisation_id and user.organisation_id != invitation.organisation_id:
        return _("You already belong to another city: an account can belong to one city only.")
    return None


@transaction.atomic
def invitation_accept(*, token, by) -> Organisation:
    """Join the inviting city. Raises ``ValidationError`` with the reason it cannot."""
    invitation = (
        OrganisationInvitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token=token)
        .first()
    )
    user = get_user_model().objects.select_for_update().get(pk=by.pk)
    problem = invitation_problem(invitation, user)
    if problem:
        raise ValidationError(problem)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    user.organisation = invitation.organisation
    user.save(update_fields=["organisation"])
    by.organisation = invitation.organisation
    return invitation.organisation
