"""Closing one's own account. The city's entries stay with the city."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User
from submissions.models import Submission
from submissions.workflow import Status

PRIVILEGED_REFUSAL = _(
    "Secretariat, Technical Committee, jury and administrator accounts are closed by "
    "the Secretariat: the decisions and reviews made with them are part of the award's "
    "record. Please write to the Secretariat."
)
LAST_MEMBER_REFUSAL = _(
    "You are the last member of your city, and it has entries in the award. Invite a "
    "colleague first, so that somebody can still answer the Secretariat and receive the "
    "results."
)


def account_deletion_blocker(*, user: User) -> str | None:
    """Why ``user`` may not close their account themself, or None when they may."""
    if roles.is_privileged(user):
        return str(PRIVILEGED_REFUSAL)
    if user.organisation_id is not None:
        others = User.objects.filter(organisation_id=user.organisation_id).exclude(pk=user.pk)
        entered = (
            Submission.objects.filter(organisation_id=user.organisation_id)
            .exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
            .exists()
        )
        if entered and not others.exists():
            return str(LAST_MEMBER_REFUSAL)
    return None


@transaction.atomic
def account_delete(*, user: User, by: User) -> None:
    """Delete ``user`` (their email addresses, second factors and sessions' user go
    with it). Entries, files and audit rows stay with the city; their "by" columns
    become empty. Raises ValidationError when ``account_deletion_blocker`` refuses."""
    if by.pk != user.pk:
        raise PermissionError("Users close only their own account.")
    locked = User.objects.select_for_update().get(pk=user.pk)
    reason = account_deletion_blocker(user=locked)
    if reason:
        raise ValidationError(reason)
    locked.delete()
