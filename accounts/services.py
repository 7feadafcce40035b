"""Writes of a user's own account."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    full_name: str,
    position: str,
    time_zone: str,
    by,
    language: str | None = None,
) -> User:
    """Save the name, position, time zone (and language, when given) ``by`` gave for
    themself."""
    if by.pk != user.pk:
        raise PermissionError("Users change only their own profile.")
    user.full_name = full_name.strip()
    user.position = position.strip()
    user.time_zone = time_zone
    fields = ["full_name", "position", "time_zone"]
    if language is not None:
        _check_language(language)
        user.language = language
        fields.append("language")
    user.save(update_fields=fields)
    return user


def _check_language(language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("The portal is not available in this language."))


@transaction.atomic
def user_set_language(*, user: User, language: str, by) -> User:
    """Store the language the portal and its emails use for ``user``.

    Raises ValidationError for a language the portal does not offer; saves only the
    ``language`` column (nothing else of the row is touched)."""
    if by.pk != user.pk:
        raise PermissionError("Users change only their own language.")
    _check_language(language)
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
