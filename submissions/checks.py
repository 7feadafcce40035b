"""Pure checks of an application: word counts, completeness, dates.

Shared by the forms (to tell the city), the submit service (to refuse) and the
automatic screening report (to tell the Secretariat). No writes here.
"""

import re

from django.utils.translation import gettext as _

from .models import STEP2_TEXT_FIELDS, Submission

_WORD = re.compile(r"\S+")

STEP1_REQUIRED = (
    "title",
    "start_date",
    "domains",
    "innovation_types",
    "innovation_kind",
    "abstract",
)
STEP2_REQUIRED = STEP2_TEXT_FIELDS


def word_count(text: str) -> int:
    return len(_WORD.findall(text or ""))


def is_over_word_limit(words: int, limit: int | None) -> bool:
    """The one word-limit rule: an answer of exactly ``limit`` words is accepted."""
    return bool(limit) and words > limit


def word_limit_problem(cycle, field: str, value) -> str | None:
    """The message for an answer longer than the cycle allows, or None.

    Shared by the form (to tell the city as it types), the saving service (to refuse)
    and, through ``over_word_limits``, the submit check and the screening report.
    """
    if not isinstance(value, str):
        return None
    limit = cycle.word_limit(field)
    words = word_count(value)
    if not is_over_word_limit(words, limit):
        return None
    return _("%(words)s words: the limit is %(limit)s.") % {"words": words, "limit": limit}


def over_word_limits(submission: Submission) -> dict[str, tuple[int, int]]:
    """{field: (words, limit)} for every answer longer than the cycle allows."""
    found = {}
    for field, limit in submission.cycle.all_word_limits.items():
        words = word_count(getattr(submission, field, "") or "")
        if is_over_word_limit(words, limit):
            found[field] = (words, limit)
    return found


def _label(field: str) -> str:
    return str(Submission._meta.get_field(field).verbose_name)


def step1_missing(submission: Submission, contact_count: int | None = None) -> list[str]:
    """Labels of what step 1 still needs; empty when step 1 is complete."""
    missing = [_label(f) for f in STEP1_REQUIRED if not getattr(submission, f)]
    if not submission.ongoing and not submission.end_date:
        missing.append(_("end date (or tick “ongoing”)"))
    if contact_count is None:
        contact_count = submission.contacts.count()
    if contact_count == 0:
        missing.append(_("at least one contact person"))
    return missing


def step2_missing(submission: Submission, goal_count: int | None = None) -> list[str]:
    missing = [_label(f) for f in STEP2_REQUIRED if not (getattr(submission, f) or "").strip()]
    if goal_count is None:
        goal_count = submission.goals.count()
    if goal_count == 0:
        missing.append(_("at least one Sustainable Development Goal"))
    return missing


def start_date_problem(submission: Submission) -> str | None:
    """Why the start or end date breaks the cycle's rule, or None."""
    cycle = submission.cycle
    if submission.start_date and cycle.earliest_start_date:
        if submission.start_date > cycle.earliest_start_date:
            return _(
                "The initiative must have started on or before %(date)s to be assessed in this cycle."
            ) % {"date": cycle.earliest_start_date.isoformat()}
    if (
        submission.start_date
        and submission.end_date
        and submission.end_date < submission.start_date
    ):
        return _("The end date is before the start date.")
    if not submission.ongoing and submission.end_date and cycle.earliest_end_date:
        if submission.end_date < cycle.earliest_end_date:
            return _(
                "The initiative ended more than %(years)s years before the deadline (before %(date)s)."
            ) % {"years": cycle.max_years_since_end, "date": cycle.earliest_end_date.isoformat()}
    return None
