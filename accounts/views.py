"""The user's own profile (name, position, time zone, language) and the language
switcher every page shows."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from accounts.access import access, public
from accounts.forms import ProfileForm
from accounts.services import LANGUAGE_CODES, user_set_language, user_update_profile


@access("accounts.signed_in")
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, by=request.user, **form.cleaned_data)
        # Speak the new language from this very response on (the redirect's page).
        translation.activate(request.user.language)
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        _remember_language(response, request.user.language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


@public
def set_language(request):
    """Django's ``set_language`` (POST ``language`` and ``next``: sets the language
    cookie and redirects to a safe ``next``); a signed-in user's choice is also stored
    on the account, so that it follows them to other devices and into their emails."""
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and language in LANGUAGE_CODES:
        user_set_language(user=request.user, language=language, by=request.user)
    return django_set_language(request)


def _remember_language(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
