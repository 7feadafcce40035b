from . import roles


def user_roles(request):
    """Role flags for the navigation; cheap: one query for the user's groups."""
    user = request.user
    return {
        "is_secretariat": roles.is_secretariat(user),
        "is_tc_member": roles.has_role(user, roles.TECHNICAL_COMMITTEE),
        "is_jury_member": roles.has_role(user, roles.JURY),
        "is_applicant": roles.is_applicant(user),
    }
