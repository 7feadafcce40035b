"""What the applicant's pages share: the loaders ``access`` uses and putting a
service's errors on a form."""

from django.core.exceptions import ValidationError
from django.http import Http404

from submissions.models import Submission
from submissions.selectors import applications as selectors

ATTACHMENT_URL = "submissions:attachment"


def entry_of(request, pk, *args, **kwargs) -> Submission:
    """The entry named in the URL (404 when there is none); permission decides the rest."""
    try:
        return selectors.submission_get_full(pk=pk)
    except Submission.DoesNotExist as exc:
        raise Http404 from exc


def own_organisation(request, *args, **kwargs):
    if not request.user.is_authenticated or request.user.organisation is None:
        raise Http404
    return request.user.organisation


def entry_of_clarification(request, pk, clarification_pk, **kwargs) -> Submission:
    return entry_of(request, pk)


def apply_errors(form, error: ValidationError) -> list[str]:
    """Put a service's field errors on the form; return the errors for the whole page."""
    if hasattr(error, "error_dict"):
        general = []
        for field, errors in error.error_dict.items():
            for e in errors:
                message = " ".join(e.messages)
                if form is not None and field in form.fields:
                    form.add_error(field, message)
                else:
                    general.append(message)
        return general
    return list(error.messages)
