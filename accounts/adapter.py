"""django-allauth hooks of the portal."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from accounts.services import LANGUAGE_CODES


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """A new account keeps the language the visitor registered in (chosen with the
        switcher, or from the browser's ``Accept-Language``), so the confirmation
        email and every later page speak it."""
        language = translation.get_language()
        if language in LANGUAGE_CODES:
            user.language = language
        return super().save_user(request, user, form, commit=commit)
