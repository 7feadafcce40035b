"""Every URL pattern of the portal declares who may open it (accounts.access)."""

from django.urls import URLPattern, URLResolver, get_resolver

# Third-party areas that guard themselves: the Django admin and django-allauth.
EXEMPT_ROUTES = ("admin/", "accounts/")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _own_patterns():
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(EXEMPT_ROUTES):
            continue
        yield route, pattern


def test_every_portal_view_declares_its_permission():
    undeclared = [
        f"{route} -> {pattern.callback.__module__}.{pattern.callback.__name__}"
        for route, pattern in _own_patterns()
        if not getattr(pattern.callback, "access_permission", None)
    ]
    assert undeclared == []


def test_the_portal_has_both_public_and_protected_views():
    permissions = {p.callback.access_permission for _, p in _own_patterns()}
    assert "public" in permissions
    assert len(permissions) > 1
