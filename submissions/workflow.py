"""The life of an entry, in one table.

Every change of ``Submission.status`` goes through
``submissions.services.submission_transition``, which looks the move up here.
This module imports no models, so the table can be read, tested and drawn alone.

    draft ─submit─► submitted ─mark_eligible─► eligible ─tc_outcome─► shortlisted ─jury_outcome─► winner
      │              │  ▲                          │                       │              ├────► medal_of_honor
      │              │  └─answer── clarification   ├─► deserving           │              └────► special_mention
      │              ├─request_clarification─┘     └─► not_selected        └ (stays shortlisted where
      │              │                                                        the cycle has no medals)
      │              └─mark_ineligible─► ineligible
      └─withdraw (also from submitted / clarification) ─► withdrawn

Corrections (``correction=True``) are moves the secretariat may make with a
written reason, and only while the cycle's results are not yet published.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CLARIFICATION = "clarification", _("Clarification requested")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    DESERVING = "deserving", _("Deserving (expert-recommended)")
    NOT_SELECTED = "not_selected", _("Not selected")
    WINNER = "winner", _("Winner")
    MEDAL_OF_HONOR = "medal_of_honor", _("Medal of Honor")
    SPECIAL_MENTION = "special_mention", _("Special Mention")


class Actor(models.TextChoices):
    """Who may ask for a move. ``system`` is a task acting on its own."""

    APPLICANT = "applicant", _("City official")
    SECRETARIAT = "secretariat", _("Secretariat")
    SYSTEM = "system", _("System")


@dataclass(frozen=True)
class Transition:
    name: str
    source: Status
    target: Status
    actors: frozenset
    correction: bool = False  # needs a reason; refused once results are published
    needs_note: bool = False


def _t(name, source, target, *actors, correction=False, needs_note=False):
    return Transition(name, source, target, frozenset(actors), correction, needs_note or correction)


S, A = Status, Actor
TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", S.DRAFT, S.SUBMITTED, A.APPLICANT),
    _t("withdraw", S.DRAFT, S.WITHDRAWN, A.APPLICANT),
    _t("withdraw", S.SUBMITTED, S.WITHDRAWN, A.APPLICANT),
    _t("withdraw", S.CLARIFICATION, S.WITHDRAWN, A.APPLICANT),
    _t("request_clarification", S.SUBMITTED, S.CLARIFICATION, A.SECRETARIAT, needs_note=True),
    _t("answer_clarification", S.CLARIFICATION, S.SUBMITTED, A.APPLICANT),
    _t("mark_eligible", S.SUBMITTED, S.ELIGIBLE, A.SECRETARIAT),
    _t("mark_ineligible", S.SUBMITTED, S.INELIGIBLE, A.SECRETARIAT, needs_note=True),
    _t("mark_ineligible", S.CLARIFICATION, S.INELIGIBLE, A.SECRETARIAT, needs_note=True),
    _t("tc_outcome", S.ELIGIBLE, S.SHORTLISTED, A.SECRETARIAT, A.SYSTEM),
    _t("tc_outcome", S.ELIGIBLE, S.DESERVING, A.SECRETARIAT, A.SYSTEM),
    _t("tc_outcome", S.ELIGIBLE, S.NOT_SELECTED, A.SECRETARIAT, A.SYSTEM),
    _t("jury_outcome", S.SHORTLISTED, S.WINNER, A.SECRETARIAT, A.SYSTEM),
    _t("jury_outcome", S.SHORTLISTED, S.MEDAL_OF_HONOR, A.SECRETARIAT, A.SYSTEM),
    # The jury may single out an entry besides winners and medals (as in 2018).
    _t("jury_outcome", S.SHORTLISTED, S.SPECIAL_MENTION, A.SECRETARIAT, A.SYSTEM),
    # Corrections by the secretariat, with a reason, before publication.
    _t("reconsider", S.INELIGIBLE, S.ELIGIBLE, A.SECRETARIAT, correction=True),
    _t("reconsider", S.INELIGIBLE, S.SUBMITTED, A.SECRETARIAT, correction=True),
    _t("reconsider", S.ELIGIBLE, S.INELIGIBLE, A.SECRETARIAT, correction=True),
    _t("reconsider", S.ELIGIBLE, S.SUBMITTED, A.SECRETARIAT, correction=True),
    _t("correct_tc_outcome", S.SHORTLISTED, S.DESERVING, A.SECRETARIAT, correction=True),
    _t("correct_tc_outcome", S.SHORTLISTED, S.NOT_SELECTED, A.SECRETARIAT, correction=True),
    _t("correct_tc_outcome", S.DESERVING, S.SHORTLISTED, A.SECRETARIAT, correction=True),
    _t("correct_tc_outcome", S.DESERVING, S.NOT_SELECTED, A.SECRETARIAT, correction=True),
    _t("correct_tc_outcome", S.NOT_SELECTED, S.SHORTLISTED, A.SECRETARIAT, correction=True),
    _t("correct_tc_outcome", S.NOT_SELECTED, S.DESERVING, A.SECRETARIAT, correction=True),
    _t("correct_jury_outcome", S.WINNER, S.SHORTLISTED, A.SECRETARIAT, correction=True),
    _t("correct_jury_outcome", S.WINNER, S.MEDAL_OF_HONOR, A.SECRETARIAT, correction=True),
    _t("correct_jury_outcome", S.MEDAL_OF_HONOR, S.WINNER, A.SECRETARIAT, correction=True),
    _t("correct_jury_outcome", S.MEDAL_OF_HONOR, S.SHORTLISTED, A.SECRETARIAT, correction=True),
    _t("correct_jury_outcome", S.SPECIAL_MENTION, S.SHORTLISTED, A.SECRETARIAT, correction=True),
    _t("correct_jury_outcome", S.SPECIAL_MENTION, S.WINNER, A.SECRETARIAT, correction=True),
    _t("correct_jury_outcome", S.WINNER, S.SPECIAL_MENTION, A.SECRETARIAT, correction=True),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def can(status: str, name: str) -> bool:
    """Whether the table has a move called ``name`` out of ``status`` (e.g. may an
    entry in this status be withdrawn?). Pages ask this rather than list statuses."""
    return any(t.name == name and t.source == status for t in TRANSITIONS)


def find_transition(source: str, target: str) -> Transition | None:
    """The table's row for a move, or None when the move is not allowed at all."""
    return _BY_PAIR.get((Status(source), Status(target)))


# What city officials see: the status as a sentence about their entry.
APPLICANT_LABELS = {
    S.DRAFT: _("Draft – not yet submitted"),
    S.SUBMITTED: _("Submitted – eligibility screening"),
    S.CLARIFICATION: _("Clarification requested – please reply"),
    S.ELIGIBLE: _("Eligible – under evaluation by the Technical Committee"),
    S.INELIGIBLE: _("Not eligible"),
    S.WITHDRAWN: _("Withdrawn"),
    S.SHORTLISTED: _("Shortlisted"),
    S.DESERVING: _("Recognised as deserving by the Technical Committee"),
    S.NOT_SELECTED: _("Not selected"),
    S.WINNER: _("Winner"),
    S.MEDAL_OF_HONOR: _("Medal of Honor"),
    S.SPECIAL_MENTION: _("Special Mention of the Jury"),
}

# Entries that were received (left the draft) and are still in the running or decided.
RECEIVED = frozenset(set(Status) - {S.DRAFT})
# Received, not yet through eligibility screening (a live cycle's entries only).
AWAITING_SCREENING = frozenset({S.SUBMITTED, S.CLARIFICATION})
# As the published statistics count them: entries that passed screening (eligible or
# decided since). Past, imported cycles hold only decided entries, so for them this is
# received minus ineligible and withdrawn, as the reports print it.
VALID = frozenset(RECEIVED - {S.INELIGIBLE, S.WITHDRAWN} - AWAITING_SCREENING)
RECOGNISED = frozenset({S.DESERVING, S.SHORTLISTED, S.MEDAL_OF_HONOR, S.SPECIAL_MENTION, S.WINNER})
SHORTLISTED_OR_BETTER = frozenset({S.SHORTLISTED, S.MEDAL_OF_HONOR, S.SPECIAL_MENTION, S.WINNER})
# Outcomes the public may see once a cycle's results are published.
PUBLISHABLE = RECOGNISED | {S.NOT_SELECTED}
# Statuses in which the city may still edit its application.
EDITABLE = frozenset({S.DRAFT})
# Outcomes an imported past entry may carry.
IMPORTABLE = frozenset(
    {
        S.NOT_SELECTED,
        S.DESERVING,
        S.SHORTLISTED,
        S.MEDAL_OF_HONOR,
        S.SPECIAL_MENTION,
        S.WINNER,
        S.INELIGIBLE,
    }
)
