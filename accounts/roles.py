"""The portal's roles. Staff roles are Django groups; applicants belong to an
organisation. Panel membership (technical committee, jury) is per cycle in
``judging.PanelMember``; the groups below give access to the reviewer area."""

from django.utils.translation import gettext_lazy as _

SECRETARIAT = "secretariat"
TECHNICAL_COMMITTEE = "technical_committee"
JURY = "jury"

ROLE_GROUPS = {
    SECRETARIAT: _("Secretariat"),
    TECHNICAL_COMMITTEE: _("Technical Committee"),
    JURY: _("Jury"),
}


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    # Cache the user's group names on the instance: templates ask many times.
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return role in names


def is_secretariat(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, SECRETARIAT))


def is_applicant(user) -> bool:
    return user.is_authenticated and user.organisation_id is not None


def is_privileged(user) -> bool:
    """Secretariat, Technical Committee, jury or Django admin: must use two factors."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(has_role(user, role) for role in ROLE_GROUPS)
