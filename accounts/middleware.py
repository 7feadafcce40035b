import zoneinfo

from django.conf import settings
from django.utils import timezone, translation


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
