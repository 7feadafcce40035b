import zoneinfo

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
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            if translation.check_for_language(user.language):
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
