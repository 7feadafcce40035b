"""The one entry point that changes an entry's status."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_secretariat
from submissions.models import StatusChange, Submission
from submissions.public_cache import bumps_public_cache
from submissions.workflow import Actor, Status, find_transition

from .dispatch import dispatch_on_commit


def actors_for(user, submission: Submission) -> set[str]:
    """The workflow actors ``user`` may act as on ``submission``."""
    if user is None:
        return {Actor.SYSTEM}
    actors = set()
    if is_secretariat(user):
        actors.add(Actor.SECRETARIAT)
    if user.organisation_id and user.organisation_id == submission.organisation_id:
        actors.add(Actor.APPLICANT)
    return actors


@bumps_public_cache
@transaction.atomic
def submission_transition(
    *, submission: Submission, to: str, by=None, note: str = "", reason: str = ""
) -> Submission:
    """Move ``submission`` to status ``to`` as the workflow table allows.

    Locks the row, checks the move and who asks for it (``by=None`` is the system),
    writes a ``StatusChange`` row and, after commit, dispatches the email that tells
    the city. Raises ``ValidationError`` for a move the table does not have, or one
    that needs a note without one, or a correction after publication;
    ``PermissionDenied`` when ``by`` may not make it. Returns the fresh row.
    """
    locked = Submission.objects.select_for_update().select_related("cycle").get(pk=submission.pk)
    source = Status(locked.status)
    target = Status(to)
    row = find_transition(source, target)
    if row is None:
        raise ValidationError(
            _("An entry cannot move from “%(source)s” to “%(target)s”.")
            % {"source": source.label, "target": target.label}
        )
    if not (actors_for(by, locked) & row.actors):
        raise PermissionDenied(_("You may not make this change."))
    if row.needs_note and not note.strip():
        raise ValidationError(_("Please give a reason for this change."))
    if row.correction and locked.cycle.is_published:
        raise ValidationError(
            _("The results of this cycle are published: decisions can no longer be corrected.")
        )
    locked.status = target
    locked.save(update_fields=["status", "updated_at"])
    change = StatusChange.objects.create(
        submission=locked,
        from_status=source,
        to_status=target,
        transition=row.name,
        reason=reason,
        note=note,
        by=by,
        at=timezone.now(),
    )
    from submissions import tasks  # the tasks module imports services: import late

    dispatch_on_commit(tasks.notify_status_change, change.pk)
    submission.status = locked.status
    return locked
