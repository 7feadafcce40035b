"""The open-data downloads are streamed: the same documents as when they were built
in memory, whatever the number of records (the memory is measured by
bench/bench_open_data.py, not here)."""

import csv
import io

import pytest
from django.conf import settings
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from submissions.continents import CONTINENT_BY_COUNTRY
from submissions.forms.public import DatabaseFilterForm
from submissions.models import Submission
from submissions.selectors.public import (
    CITED,
    OPEN_DATA_FIELDS,
    cycle_list_published,
    outcome_label,
    submission_search_published,
)
from submissions.services import open_data
from submissions.spreadsheets import spreadsheet_safe
from submissions.workflow import Status
from tests.submissions.factories_console import entry, published_cycle

S = Status
LICENCE = {
    "licence": "Creative Commons Attribution 4.0 (CC BY 4.0)",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    "data_dictionary": "http://testserver/database/open-data/",
}


def _former_row(sub, base_url: str) -> dict:
    """A record as the former views built it, from the entry's model instance: the
    downloads read plain values instead (``open_data_batches``) and must give the same."""
    return {
        "reference": sub.reference,
        "title": sub.title,
        "subtitle": sub.subtitle,
        "city": sub.organisation.name,
        "country": sub.organisation.country.name,
        "continent": CONTINENT_BY_COUNTRY.get(sub.organisation.country.code, ""),
        "cycle": sub.cycle.number,
        "year": sub.cycle.year,
        "outcome": outcome_label(sub.status),
        "topic": sub.topic,
        "sdgs": [g.goal for g in sub.goals.all()],
        "domains": list(sub.domains or []),
        "start_date": sub.start_date.isoformat() if sub.start_date else "",
        "end_date": sub.end_date.isoformat() if sub.end_date else "",
        "ongoing": sub.ongoing,
        "abstract": sub.abstract,
        "citation": sub.citation if sub.status in CITED else "",
        "url": base_url + sub.get_public_url(),
    }


def _rows(params: dict) -> list[dict]:
    """The records as the former views built them: every one in a list."""
    form = DatabaseFilterForm(params or None, cycles=cycle_list_published())
    return [
        _former_row(sub, base_url="http://testserver")
        for sub in submission_search_published(form.filters())
    ]


def _former_json(params: dict) -> bytes:
    rows = _rows(params)
    return JsonResponse({**LICENCE, "count": len(rows), "initiatives": rows}).content


def _former_csv(params: dict) -> bytes:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.DictWriter(response, fieldnames=OPEN_DATA_FIELDS)
    writer.writeheader()
    for row in _rows(params):
        row = {
            **row,
            "sdgs": " ".join(str(g) for g in row["sdgs"]),
            "domains": " ".join(row["domains"]),
        }
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    return response.content


@pytest.fixture
def many(db, monkeypatch):
    """Published entries over two cycles, more than two streamed chunks of three."""
    monkeypatch.setattr(open_data, "OPEN_DATA_CHUNK", 3)
    six, seven = published_cycle(number=6), published_cycle(number=7)
    statuses = [S.WINNER, S.MEDAL_OF_HONOR, S.SHORTLISTED, S.DESERVING, S.NOT_SELECTED]
    for n in range(11):
        entry(
            cycle=(six, seven)[n % 2],
            status=statuses[n % 5],
            country=["KE", "CN", "FR"][n % 3],
            goals=sorted({1 + n % 17, 6}),
            domains=[["economic"], [], ["technology", "governance"]][n % 3],
            title=f'Entrée n°{n} «quoted» "x", y',
            abstract="Line one,\nline two; 水 and ü.",
            citation="=cmd|' /C calc'!A0" if n == 4 else "",
        )
    entry(cycle=published_cycle(number=5), status=S.INELIGIBLE)  # never published
    # The download reverses an initiative's address once per cycle and puts each plain
    # slug in it; a slug that needs quoting, and no slug at all (the address by id),
    # are reversed record by record.
    for sub in Submission.objects.filter(cycle__in=[six, seven]):
        Submission.objects.filter(pk=sub.pk).update(slug=f"initiative_{sub.pk}-of-x")
    first, second = Submission.objects.filter(cycle=six).order_by("pk")[:2]
    Submission.objects.filter(pk=first.pk).update(slug="水-park ü")
    Submission.objects.filter(pk=second.pk).update(slug="")


@pytest.mark.parametrize(
    "params", [{}, {"cycle": "6"}, {"sdg": "6", "q": "quoted"}, {"cycle": "4"}]
)
def test_database_json_streams_the_former_document_byte_for_byte(client, many, params):
    response = client.get(reverse("public:database_json"), params)

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json"
    assert response.getvalue() == _former_json(params)


@pytest.mark.parametrize("params", [{}, {"cycle": "7"}, {"cycle": "4"}])
def test_database_csv_streams_the_former_table_byte_for_byte(client, many, params):
    response = client.get(reverse("public:database_csv"), params)

    body = response.getvalue()  # a stream is read once
    assert isinstance(response, StreamingHttpResponse)
    assert body == _former_csv(params)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert len(rows) == len(_rows(params))


@pytest.mark.parametrize("language", ["fr", "zh-hans"])
def test_database_json_streams_the_former_document_in_the_visitor_language(client, many, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("public:database_json"))

    body = response.getvalue()
    with translation.override(language):
        assert body == _former_json({})
    with translation.override("en"):
        assert body != _former_json({})  # countries and outcomes are translated


def test_database_json_of_an_empty_database_is_an_empty_list(client, db):
    response = client.get(reverse("public:database_json"))

    assert response.getvalue() == JsonResponse({**LICENCE, "count": 0, "initiatives": []}).content


def _download_queries(client, name: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name))
        for _chunk in response.streaming_content:
            pass
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["public:database_json", "public:database_csv"])
def test_open_data_download_queries_grow_with_chunks_not_records(client, db, monkeypatch, name):
    monkeypatch.setattr(open_data, "OPEN_DATA_CHUNK", 4)
    cycle = published_cycle(number=6)
    for n in range(3):
        entry(cycle=cycle, status=S.DESERVING, goals=[1, 2], title=f"Small {n}")
    small = _download_queries(client, name)
    for n in range(1):
        entry(cycle=cycle, status=S.DESERVING, goals=[3], title=f"More {n}")
    one_chunk = _download_queries(client, name)
    for n in range(4):
        entry(cycle=cycle, status=S.DESERVING, goals=[4], title=f"Most {n}")
    two_chunks = _download_queries(client, name)

    assert small == one_chunk
    assert two_chunks == one_chunk + 1  # the next chunk's SDGs
