"""Every URL pattern of the portal declares its permission (``accounts.access``)."""

from django.urls import URLPattern, URLResolver, get_resolver


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_applicant_url_declares_a_permission():
    undeclared = [
        route
        for route, pattern in _patterns(get_resolver())
        if (pattern.name or "").split(":")[-1]
        and getattr(pattern.callback, "access_permission", None) is None
        and (
            route.startswith("my/")
            or route.startswith("entries/")
            or route.startswith("invitations/")
            or route.startswith("account/")
        )
    ]
    assert undeclared == []
