"""The International Database's open data: the data dictionary and the downloads
(JSON, CSV) of the whole database or of a search."""

import dataclasses
import os

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language

from accounts.access import public
from submissions.public_cache import public_generation
from submissions.selectors.public import OPEN_DATA_DICTIONARY, OPEN_DATA_FIELDS, DatabaseFilters
from submissions.services.open_data import FORMATS as OPEN_DATA_FORMATS
from submissions.services.open_data import (
    open_data_csv_chunks,
    open_data_file_name,
    open_data_json_chunks,
    open_data_licence,
    open_data_site_url,
)
from submissions.views.public import database_search


def _open_data_json(request, head: dict):
    _form, qs = database_search(request)
    return open_data_json_chunks(qs, head=head, base_url=request.build_absolute_uri("/")[:-1])


def _open_data_csv(request):
    _form, qs = database_search(request)
    return open_data_csv_chunks(qs, base_url=request.build_absolute_uri("/")[:-1])


def _stored_open_data(request, fmt: str):
    """The response serving the built file of the whole database (no filter) in the
    current generation and language, or None when it cannot: a filtered download, a
    request to another address than ``settings.SITE_URL`` (the file's links), or a
    file not built yet. Reads no table: one cache read and the storage."""
    if any(request.GET.get(name) for name in _FILTERS):
        return None
    if request.build_absolute_uri("/")[:-1] != open_data_site_url():
        return None
    generation = public_generation()
    language = get_language()
    name = open_data_file_name(generation=generation, language=language, fmt=fmt)
    content_type, filename = OPEN_DATA_FORMATS[fmt]
    disposition = f'attachment; filename="{filename}"'
    storage = default_storage
    try:
        path = storage.path(name)
    except NotImplementedError:  # an object store (S3)
        if not storage.exists(name):
            return None
        # The client fetches the object from the store: the worker is free at once. The
        # signed address expires, so the redirect itself is never reused.
        url = storage.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
            },
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "no-store"
        return response
    try:
        file = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        return None
    # The generation and the file's own time: a rebuild in place is a new version.
    etag = f'"{generation}-{language}-{fmt}-{os.fstat(file.fileno()).st_mtime_ns}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        # Handed to the server's file wrapper (sendfile) where it has one.
        response = FileResponse(file, content_type=content_type)
        response["Content-Disposition"] = disposition
    else:
        file.close()
    response["ETag"] = etag
    # Caches may keep it but ask each time: the next publication changes it at once.
    response["Cache-Control"] = "no-cache"
    return response


_FILTERS = [field.name for field in dataclasses.fields(DatabaseFilters)]


def _licence(request) -> dict:
    return open_data_licence(request.build_absolute_uri("/")[:-1])


def _describe(response, request):
    """Point every download at its licence and its data dictionary (RFC 8288 links)."""
    about = _licence(request)
    response["Link"] = (
        f'<{about["data_dictionary"]}>; rel="describedby", <{about["licence_url"]}>; rel="license"'
    )
    return response


@public
def open_data(request):
    """The open data's dictionary: every field, its type and meaning, and the licence."""
    return render(
        request,
        "public/open_data.html",
        {
            "fields": [(name, *OPEN_DATA_DICTIONARY[name]) for name in OPEN_DATA_FIELDS],
            "licence": settings.OPEN_DATA_LICENCE,
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
        },
    )


@public
def database_json(request):
    """The search's initiatives as JSON: the whole database from its file built at
    publication, a search (or the database before its file exists) streamed; memory
    stays flat whatever their number (the document is the one ``JsonResponse`` built
    in memory before)."""
    stored = _stored_open_data(request, "json")
    if stored is not None:
        return _describe(stored, request)
    response = StreamingHttpResponse(
        _open_data_json(request, _licence(request)), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="guangzhou-award-initiatives.json"'
    return _describe(response, request)


@public
def database_csv(request):
    """The search's initiatives as CSV, from the file or streamed like the JSON."""
    stored = _stored_open_data(request, "csv")
    if stored is not None:
        return _describe(stored, request)
    response = StreamingHttpResponse(
        _open_data_csv(request), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="guangzhou-award-initiatives.csv"'
    return _describe(response, request)
