"""Rules for cities' entries (owned by the applicant work)."""

import rules

from accounts.permissions import is_secretariat


@rules.predicate
def is_member_of_entry_city(user, submission):
    return (
        submission is not None
        and user.is_authenticated
        and user.organisation_id is not None
        and user.organisation_id == submission.organisation_id
    )


rules.add_perm("submissions.view_submission", is_member_of_entry_city | is_secretariat)
