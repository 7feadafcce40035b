"""Writes of a user's own account."""

from django.db import transaction

from accounts.models import User


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, position: str, time_zone: str, by) -> User:
    """Save the name, position and time zone ``by`` gave for themself."""
    if by.pk != user.pk:
        raise PermissionError("Users change only their own profile.")
    user.full_name = full_name.strip()
    user.position = position.strip()
    user.time_zone = time_zone
    user.save(update_fields=["full_name", "position", "time_zone"])
    return user
