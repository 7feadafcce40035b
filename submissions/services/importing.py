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


def parse_rows(text: str) -> tuple[list[ImportRow], list[str]]:
    """Check every row; return the parsed rows and the problems as ``line N: column: problem``."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [f"line 1: {c}: required column is missing" for c in missing]
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    vote_title_line = None
    url_ok = URLValidator(schemes=["http", "https"])
    for number, raw in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(values.values()):
            continue  # blank line
        bad = []
        for column in REQUIRED_COLUMNS:
            if not values.get(column):
                bad.append((column, "is empty"))
        if len(values.get("title", "")) > 300:
            bad.append(("title", "is longer than 300 characters"))
        code = country_code(values.get("country", "")) if values.get("country") else None
        if values.get("country") and not code:
            bad.append(("country", f"unknown country “{values['country']}”"))
        outcome = values.get("outcome", "").lower()
        if outcome and outcome not in IMPORTABLE:
            bad.append(("outcome", f"must be one of {', '.join(sorted(IMPORTABLE))}"))
        topic = ""
        if values.get("topic"):
            topic = topic_from_name(values["topic"]) or ""
            if not topic:
                bad.append(("topic", f"unknown topic “{values['topic']}”"))
        sdgs = []
        for part in filter(None, (p.strip() for p in values.get("sdgs", "").split(";"))):
            if part.isdigit() and 1 <= int(part) <= 17:
                sdgs.append(int(part))
            else:
                bad.append(("sdgs", f"“{part}” is not a goal number from 1 to 17"))
        dates = {}
        for column in ("start_date", "end_date"):
            try:
                dates[column] = _date(values.get(column, ""))
            except ValueError:
                bad.append((column, f"“{values[column]}” is not a date (YYYY-MM-DD)"))
        if values.get("url"):
            try:
                url_ok(values["url"])
            except ValidationError:
                bad.append(("url", f"“{values['url']}” is not a web address"))
        vote_title = values.get("public_vote_title", "").lower()
        if vote_title not in ("", "yes", "no"):
            bad.append(("public_vote_title", "must be “yes” or empty"))
        elif vote_title == "yes":
            if outcome and outcome not in SHORTLISTED_OR_BETTER:
                bad.append(
                    ("public_vote_title", "only a shortlisted entry can win the public vote")
                )
            elif vote_title_line is not None:
                bad.append(
                    (
                        "public_vote_title",
                        f"only one entry wins it; line {vote_title_line} already does",
                    )
                )
            else:
                vote_title_line = number
        key = (values.get("city", "").lower(), code, values.get("title", "").lower())
        if not bad and key in seen:
            bad.append(("title", f"the same initiative is already on line {seen[key]}"))
        seen.setdefault(key, number)
        if bad:
            problems.extend(f"line {number}: {column}: {problem}" for column, problem in bad)
            continue
        rows.append(
            ImportRow(
                line=number,
                title=values["title"],
                city=values["city"],
                country=code,
                outcome=outcome,
                topic=topic,
                sdgs=sorted(set(sdgs)),
                abstract=values.get("abstract", ""),
                start_date=dates.get("start_date"),
                end_date=dates.get("end_date"),
                url=values.get("url", ""),
                citation=values.get("citation", ""),
                narrative={c: values[c] for c in NARRATIVE_COLUMNS if values.get(c)},
                public_vote_title=vote_title == "yes",
            )
        )
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
