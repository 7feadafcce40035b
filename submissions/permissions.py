"""Rules for cities' entries (owned by the applicant work).

The object of a permission is named in each rule. Editability (deadline, status,
revision window) is *not* a permission: the services refuse a late change with a
message that keeps what the city typed, instead of a bare 403.
"""

import rules

from accounts.permissions import is_applicant, is_secretariat


@rules.predicate
def is_member_of_entry_city(user, submission):
    return (
        submission is not None
        and user.is_authenticated
        and user.organisation_id is not None
        and user.organisation_id == submission.organisation_id
    )


@rules.predicate
def is_member_of_organisation(user, organisation):
    return (
        organisation is not None
        and user.is_authenticated
        and user.organisation_id is not None
        and user.organisation_id == organisation.pk
    )


@rules.predicate
def has_no_organisation(user):
    return user.is_authenticated and user.organisation_id is None


rules.add_perm("submissions.view_submission", is_member_of_entry_city | is_secretariat)
# The city's own work on an entry: editing, attachments, submitting, withdrawing,
# answering a clarification. The services decide whether the moment allows it.
rules.add_perm("submissions.change_submission", is_member_of_entry_city)
# Files of an entry: its city and the Secretariat (judging adds its own rule for
# assigned reviewers with its own URL name).
rules.add_perm("submissions.view_attachment", is_member_of_entry_city | is_secretariat)
rules.add_perm("submissions.add_submission", is_applicant)
# The city's own application as PDF, and its certificate (the views check the state).
rules.add_perm("submissions.download_application", is_member_of_entry_city)
rules.add_perm("submissions.add_organisation", has_no_organisation)
rules.add_perm("submissions.view_organisation", is_member_of_organisation)
rules.add_perm("submissions.change_organisation", is_member_of_organisation)
rules.add_perm("submissions.invite_member", is_member_of_organisation)
