import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles


class UserTimezoneMiddleware:
    """Show times in the signed-in user's own zone; the award's zone otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


# Pages a privileged user without a second factor may still open: the set-up pages
# themselves (and the re-authentication they may ask for), signing out, the health
# check and the language switch. Everything else sends them to set one up.
SETUP_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "account_login",
        "healthz",
        "set_language",
    }
)


class RequireSecondFactorMiddleware:
    """Secretariat, Technical Committee, jury and Django admin accounts must sign in
    with two factors: until they have added one, every page redirects to the
    two-factor set-up page (``mfa_index``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self._is_setup_page(request)
            and roles.is_privileged(user)
        ):
            from accounts.mfa import user_has_second_factor

            if not user_has_second_factor(user):
                messages.warning(
                    request,
                    _(
                        "Your role requires two-factor sign-in. Add an authenticator "
                        "app or a security key to continue."
                    ),
                )
                return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def _is_setup_page(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 page is no risk
        name = match.url_name or ""
        return name.startswith("mfa_") or name in SETUP_URL_NAMES


class UserLanguageMiddleware:
    """Speak the signed-in user's stored language on every page.

    Placed after AuthenticationMiddleware (it needs ``request.user``) and after
    Django's LocaleMiddleware, which has already chosen the language of an anonymous
    visitor from the language cookie, then ``Accept-Language``. LocaleMiddleware's
    response step reads the active language again, so ``Content-Language`` follows.
    The language cookie is set to the account's language too, so the portal keeps
    speaking it after signing out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = None
        if user is not None and user.is_authenticated and user.language:
            if translation.check_for_language(user.language):
                language = user.language
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if language and request.COOKIES.get(cookie) != language and cookie not in response.cookies:
            response.set_cookie(
                cookie,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
