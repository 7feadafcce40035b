"""``{% application_sections submission as sections %}``: the structure the PDF dossier
also reads (``submissions.selectors.application_body``); ``entry|has_certificate``."""

from django import template

from submissions.documents.certificates import certificate_available
from submissions.selectors.application_body import application_body

register = template.Library()


@register.simple_tag
def application_sections(submission):
    return application_body(submission=submission)


@register.filter
def has_certificate(submission) -> bool:
    """The entry's certificate may be downloaded (outcome earns one, results public)."""
    return certificate_available(submission)
