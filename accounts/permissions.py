"""Role predicates shared by every app's rules."""

import rules

from . import roles


@rules.predicate
def is_secretariat(user):
    return roles.is_secretariat(user)


@rules.predicate
def is_applicant(user):
    return roles.is_applicant(user)


@rules.predicate
def is_tc_member(user):
    return roles.has_role(user, roles.TECHNICAL_COMMITTEE)


@rules.predicate
def is_jury_member(user):
    return roles.has_role(user, roles.JURY)


rules.add_perm("accounts.signed_in", rules.is_authenticated)
rules.add_perm("accounts.secretariat", is_secretariat)
