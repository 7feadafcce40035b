"""The city officials' pages: their city, their initiatives, the application.

Views parse, check permission (``access``), call a service, message and redirect.
A ``ValidationError`` from a service is shown in the page with what was typed kept.
The pages live in one module per concern; they are all importable from here, as
``submissions/urls.py`` names them.
"""

from ._common import ATTACHMENT_URL, entry_of, entry_of_clarification, own_organisation
from .city import (
    dashboard,
    invitation_accept,
    organisation_create,
    organisation_edit,
    organisation_members,
)
from .entry import (
    attachment_delete,
    attachments,
    clarification_answer,
    preview,
    submit,
    withdraw,
)
from .steps import (
    application_step,
    contacts_save,
    field_save,
    partner_add,
    partner_remove,
    submission_start,
)

__all__ = [
    "ATTACHMENT_URL",
    "application_step",
    "attachment_delete",
    "attachments",
    "clarification_answer",
    "contacts_save",
    "dashboard",
    "entry_of",
    "entry_of_clarification",
    "field_save",
    "invitation_accept",
    "organisation_create",
    "organisation_edit",
    "organisation_members",
    "own_organisation",
    "partner_add",
    "partner_remove",
    "preview",
    "submission_start",
    "submit",
    "withdraw",
]
