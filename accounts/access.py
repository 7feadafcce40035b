"""Declaring who may open a view.

Every view of the portal is wrapped in ``access(...)``: a permission name checked
with ``rules`` (``None`` for a public page). The wrapper records the permission on
the view as ``view.access_permission`` so that a test can walk every URL pattern
and prove none was left undeclared.

    @access("submissions.change_submission", object_from=entry_of_city)
    def application_step1(request, pk): entry = request.access_object ...

``object_from(request, **kwargs)`` loads the object the permission is checked
against (raising Http404 when it does not exist); the view finds it again on
``request.access_object``. An anonymous visitor is sent to the login page; a signed-in
user without the permission gets 403.
"""

from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

PUBLIC = "public"


def access(permission: str | None, *, object_from=None):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.access_object = None
            if permission is not None:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                target = object_from(request, *args, **kwargs) if object_from else None
                # The portal's own rules, not User.has_perm: that one grants a Django
                # superuser every permission, which would let the admin score in a
                # reviewer's name or edit a city's draft. Superusers get what their
                # roles give (rules name them Secretariat).
                if not rules.has_perm(permission, request.user, target):
                    raise PermissionDenied
                request.access_object = target
            elif object_from is not None:
                request.access_object = object_from(request, *args, **kwargs)
            return view(request, *args, **kwargs)

        wrapped.access_permission = permission or PUBLIC
        return wrapped

    return decorator


def public(view):
    """A page anyone may open."""
    return access(None)(view)
