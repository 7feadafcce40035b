"""What every console view shares: the Secretariat-only guard in Beijing time, the
cycle lookup and putting a service's ValidationError on a form."""

from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import access
from submissions.models import Cycle
from submissions.selectors.console import (
    cycle_get_console,
)

SECRETARIAT = "accounts.secretariat"


def secretariat_only(view):
    """Secretariat only; the console reads and writes times in Beijing time."""

    @wraps(view)
    def in_beijing_time(request, *args, **kwargs):
        with timezone.override(settings.AWARD_TIME_ZONE):
            return view(request, *args, **kwargs)

    return access(SECRETARIAT)(in_beijing_time)


def cycle_or_404(number: int) -> Cycle:
    cycle = cycle_get_console(number=number)
    if cycle is None:
        raise Http404(_("There is no such cycle."))
    return cycle


def form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e.messages[0])
    else:
        for message in error.messages:
            form.add_error(None, message)
