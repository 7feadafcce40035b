"""Object loaders for ``access(object_from=...)`` and small view helpers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.params import parse_id
from submissions.models import Cycle, Submission

from ..models import Assignment, Panel, PanelKind


def panel_from(request, cycle_number, kind, **_ignored):
    """The cycle's panel of ``kind``; 404 when the panel does not exist."""
    if kind not in PanelKind.values:
        raise Http404
    return get_object_or_404(
        Panel.objects.select_related("cycle"), cycle__number=cycle_number, kind=kind
    )


def panel_or_new_from(request, cycle_number, kind):
    """Like ``panel_from``, but an unsaved panel when the cycle has none yet (setup)."""
    if kind not in PanelKind.values:
        raise Http404
    cycle = get_object_or_404(Cycle, number=cycle_number)
    return Panel.objects.filter(cycle=cycle, kind=kind).first() or Panel(cycle=cycle, kind=kind)


def assignment_from(request, pk):
    return get_object_or_404(
        Assignment.objects.select_related(
            "panel__cycle", "reviewer__user", "submission__organisation"
        ),
        pk=pk,
    )


def submission_from(request, pk, **kwargs):
    return get_object_or_404(Submission.objects.select_related("cycle", "organisation"), pk=pk)


def attachment_submission_from(request, submission_pk, attachment_pk):
    return submission_from(request, submission_pk)


def report_errors(request, error: ValidationError) -> None:
    """Show each message of a service's ValidationError on the page."""
    for message in error.messages:
        messages.error(request, message)


def post_id(request, name: str) -> int | None:
    """A row id posted in a form field; None (so a lookup gives 404) when it is not one."""
    return parse_id(request.POST.get(name, ""))


def run_action(request, actions: dict, *args):
    """Run the posted ``action`` from ``actions``; the redirect it returns, or None when
    the page must be shown again (unknown action, invalid form, refused by a service,
    each told to the user)."""
    handler = actions.get(request.POST.get("action"))
    if handler is None:
        messages.error(request, _("Unknown action."))
        return None
    try:
        return handler(request, *args)
    except ValidationError as error:
        report_errors(request, error)
        return None
