"""Loading past cycles' entries from a spreadsheet (CSV), whole or not at all.

Columns (header row, UTF-8): title, city, country, outcome are required; topic,
sdgs, abstract, start_date, end_date, url, citation and public_vote_title (``yes`` on
the one entry that won the public vote's title) are optional. See README.md.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django_countries import countries

from submissions.classifications import topic_from_name
from submissions.continents import continent_of
from submissions.models import Cycle, Organisation, StatusChange, Submission, SubmissionGoal
from submissions.public_cache import bumps_public_cache
from submissions.services.slugs import submission_assign_slugs
from submissions.workflow import IMPORTABLE, SHORTLISTED_OR_BETTER

REQUIRED_COLUMNS = ("title", "city", "country", "outcome")
OPTIONAL_COLUMNS = (
    "topic",
    "sdgs",
    "abstract",
    "start_date",
    "end_date",
    "url",
    "citation",
    "public_vote_title",
)
# The case study of a recognised past entry, as the award published it: imported with
# it, and shown on its page (the city's consent was given when it was published).
NARRATIVE_COLUMNS = (
    "problem",
    "innovation",
    "implementation",
    "results",
    "transferability",
    "lessons",
)
# The award's calendar, for cycles an import creates.
CYCLE_YEARS = {1: "2012", 2: "2014", 3: "2016", 4: "2018", 5: "2020/21", 6: "2023/24", 7: "2025/26"}


class ImportFailed(Exception):
    """The file was not imported; ``problems`` lists every bad row."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportRow:
    line: int
    title: str
    city: str
    country: str
    outcome: str
    topic: str = ""
    sdgs: list[int] = field(default_factory=list)
    abstract: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    url: str = ""
    citation: str = ""
    narrative: dict[str, str] = field(default_factory=dict)
    public_vote_title: bool = False


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    cycle_created: bool = False


def country_code(value: str) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code or an English country name."""
    value = (value or "").strip()
    if len(value) == 2 and value.upper() in countries:
        return value.upper()
    code = countries.by_name(value)
    return code or None


def _date(value: str):
    return dt.date.fromisoformat(value.strip()) if value.strip() else None


# One check per column: each takes the cell's text (stripped; "" when empty) and returns
# the value to import and the problems found (none when the cell is fine). A column
# with no check is imported as written.
Checked = tuple[object, list[str]]
_url_ok = URLValidator(schemes=["http", "https"])


def check_title(value: str) -> Checked:
    return value, (["is longer than 300 characters"] if len(value) > 300 else [])


def check_country(value: str) -> Checked:
    """The ISO code (None when empty or unknown)."""
    code = country_code(value) if value else None
    return code, ([f"unknown country “{value}”"] if value and not code else [])


def check_outcome(value: str) -> Checked:
    """The outcome in lower case (kept as written even when unknown: the public vote's
    check reads it)."""
    outcome = value.lower()
    if outcome and outcome not in IMPORTABLE:
        return outcome, [f"must be one of {', '.join(sorted(IMPORTABLE))}"]
    return outcome, []


def check_topic(value: str) -> Checked:
    if not value:
        return "", []
    topic = topic_from_name(value) or ""
    return topic, ([] if topic else [f"unknown topic “{value}”"])


def check_sdgs(value: str) -> Checked:
    """Goal numbers separated by ";": sorted, without repeats."""
    goals, problems = set(), []
    for part in filter(None, (p.strip() for p in value.split(";"))):
        if part.isdigit() and 1 <= int(part) <= 17:
            goals.add(int(part))
        else:
            problems.append(f"“{part}” is not a goal number from 1 to 17")
    return sorted(goals), problems


def check_date(value: str) -> Checked:
    try:
        return _date(value), []
    except ValueError:
        return None, [f"“{value}” is not a date (YYYY-MM-DD)"]


def check_url(value: str) -> Checked:
    if value:
        try:
            _url_ok(value)
        except ValidationError:
            return value, [f"“{value}” is not a web address"]
    return value, []


def check_public_vote_title(value: str) -> Checked:
    """True for "yes"; "no" and empty are False."""
    flag = value.lower()
    if flag not in ("", "yes", "no"):
        return False, ["must be “yes” or empty"]
    return flag == "yes", []


# In the order the problems of a row are listed.
COLUMN_CHECKS = {
    "title": check_title,
    "country": check_country,
    "outcome": check_outcome,
    "topic": check_topic,
    "sdgs": check_sdgs,
    "start_date": check_date,
    "end_date": check_date,
    "url": check_url,
    "public_vote_title": check_public_vote_title,
}


def check_row(values: dict[str, str]) -> tuple[dict, list[tuple[str, str]]]:
    """One row on its own: every column's value and the ``(column, problem)`` pairs,
    the empty required columns first."""
    bad = [(column, "is empty") for column in REQUIRED_COLUMNS if not values.get(column)]
    parsed = {}
    for column, check in COLUMN_CHECKS.items():
        parsed[column], problems = check(values.get(column, ""))
        bad.extend((column, problem) for problem in problems)
    return parsed, bad


def vote_title_problem(outcome: str, winner_line: int | None) -> str | None:
    """Why a row marked as the public vote's winner may not be one: it must be
    shortlisted or better, and no earlier row (``winner_line``) may have won it."""
    if outcome and outcome not in SHORTLISTED_OR_BETTER:
        return "only a shortlisted entry can win the public vote"
    if winner_line is not None:
        return f"only one entry wins it; line {winner_line} already does"
    return None


def _import_row(number: int, values: dict[str, str], parsed: dict) -> ImportRow:
    return ImportRow(
        line=number,
        title=values["title"],
        city=values["city"],
        country=parsed["country"],
        outcome=parsed["outcome"],
        topic=parsed["topic"],
        sdgs=parsed["sdgs"],
        abstract=values.get("abstract", ""),
        start_date=parsed["start_date"],
        end_date=parsed["end_date"],
        url=values.get("url", ""),
        citation=values.get("citation", ""),
        narrative={c: values[c] for c in NARRATIVE_COLUMNS if values.get(c)},
        public_vote_title=parsed["public_vote_title"],
    )


def parse_rows(text: str) -> tuple[list[ImportRow], list[str]]:
    """Check every row; return the parsed rows and the problems as ``line N: column: problem``."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [f"line 1: {c}: required column is missing" for c in missing]
    reader.fieldnames = header
    rows, problems = [], []
    seen = {}  # (city, country, title) → the first line with it, bad rows included
    vote_title_line = None
    for number, raw in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(values.values()):
            continue  # blank line
        parsed, bad = check_row(values)
        # The checks across rows: one winner of the public vote, no initiative twice.
        if parsed["public_vote_title"]:
            problem = vote_title_problem(parsed["outcome"], vote_title_line)
            if problem:
                bad.append(("public_vote_title", problem))
            else:
                vote_title_line = number
        key = (values.get("city", "").lower(), parsed["country"], values.get("title", "").lower())
        if not bad and key in seen:
            bad.append(("title", f"the same initiative is already on line {seen[key]}"))
        seen.setdefault(key, number)
        if bad:
            problems.extend(f"line {number}: {column}: {problem}" for column, problem in bad)
        else:
            rows.append(_import_row(number, values, parsed))
    return rows, problems


@bumps_public_cache
@transaction.atomic
def initiatives_import(
    *, text: str, cycle_number: int, source: str = "", vote_title_name: str = "", by=None
) -> ImportResult:
    """Import the CSV ``text`` into cycle ``cycle_number``, whole or not at all.

    Organisations are matched on (city, country), case-insensitively, and created
    when new; the cycle is created when missing. An initiative already imported into
    the cycle (same city and title) is left as it is, so a second run changes nothing.
    ``vote_title_name`` names the public vote's title in that cycle (e.g. "Online
    Popular City"); the row marked ``public_vote_title=yes`` is the one that won it.
    Raises ``ImportFailed`` listing every bad row; nothing is written then.
    """
    rows, problems = parse_rows(text)
    if problems:
        raise ImportFailed(problems)
    result = ImportResult()
    cycle, result.cycle_created = Cycle.objects.get_or_create(
        number=cycle_number, defaults={"year": CYCLE_YEARS.get(cycle_number, "")}
    )
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if vote_title_name.strip() and cycle.public_vote_title != vote_title_name.strip():
        # Earlier cycles called the public vote's title "Online Popular City".
        cycle.public_vote_title = vote_title_name.strip()[:100]
        cycle.save(update_fields=["public_vote_title"])
    next_sequence = (cycle.submissions.aggregate(m=Max("sequence"))["m"] or 0) + 1
    organisations = {}
    for row in rows:
        org_key = (row.city.lower(), row.country)
        organisation = organisations.get(org_key)
        if organisation is None:
            organisation = (
                Organisation.objects.annotate(lname=Lower("name"))
                .filter(lname=row.city.lower(), country=row.country)
                .first()
            )
            if organisation is None:
                organisation = Organisation.objects.create(
                    name=row.city, country=row.country, continent=continent_of(row.country)
                )
                result.organisations_created += 1
            organisations[org_key] = organisation
        existing = (
            Submission.objects.annotate(ltitle=Lower("title"))
            .filter(cycle=cycle, organisation=organisation, ltitle=row.title.lower())
            .first()
        )
        if existing is not None:
            result.unchanged += 1
            if row.public_vote_title and cycle.city_of_your_choice_id != existing.pk:
                cycle.city_of_your_choice = existing
                cycle.save(update_fields=["city_of_your_choice"])
            continue
        submission = Submission.objects.create(
            cycle=cycle,
            organisation=organisation,
            sequence=next_sequence,
            reference=f"GZA-{cycle.number}-{next_sequence:04d}",
            status=row.outcome,
            title=row.title,
            abstract=row.abstract,
            start_date=row.start_date,
            end_date=row.end_date,
            ongoing=row.end_date is None and row.start_date is not None,
            topic=row.topic,
            citation=row.citation,
            source_url=row.url,
            imported=True,
            publication_consent=bool(row.narrative),
            **row.narrative,
        )
        next_sequence += 1
        SubmissionGoal.objects.bulk_create(
            [SubmissionGoal(submission=submission, goal=g) for g in row.sdgs]
        )
        # An imported entry starts life at its historic outcome: the audit trail says so.
        StatusChange.objects.create(
            submission=submission,
            from_status="",
            to_status=row.outcome,
            transition="import",
            note=f"Imported from {source or 'a spreadsheet'}, line {row.line}",
            by=by,
        )
        if row.public_vote_title:
            cycle.city_of_your_choice = submission
            cycle.save(update_fields=["city_of_your_choice"])
        result.created += 1
    submission_assign_slugs(cycle=cycle)
    return result
