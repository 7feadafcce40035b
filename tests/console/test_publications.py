"""The reports library: the Secretariat publishes, the public finds and downloads."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.models import Publication
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _form(**overrides):
    data = {
        "title": "Jury report of the 6th cycle",
        "kind": "jury_report",
        "language": "en",
        "published_on": "2024-12-06",
        "description": "The jury's reasons for the five winners.",
        "file": SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
        "cover": SimpleUploadedFile("cover.png", PNG, content_type="image/png"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_secretariat_publishes_a_report_the_public_finds_and_downloads(secretariat_client, client):
    cycle = factories.CycleFactory(number=6, results_published_at=dt.datetime.now(dt.UTC))
    response = secretariat_client.post(reverse("console:publications"), _form(cycle=str(cycle.pk)))
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert (publication.title, publication.cycle, publication.size_bytes) == (
        "Jury report of the 6th cycle",
        cycle,
        len(PDF),
    )
    listing = client.get(reverse("public:reports"), {"q": "jury reasons"})
    assert [p.pk for p in listing.context["page"].object_list] == [publication.pk]
    assert (
        client.get(reverse("public:reports"), {"q": "brochure"}).context["page"].paginator.count
        == 0
    )
    download = client.get(reverse("public:report_file", args=[publication.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    cover = client.get(reverse("public:report_cover", args=[publication.pk]))
    assert (cover.status_code, cover["Content-Type"]) == (200, "image/png")


def test_a_report_that_is_not_a_pdf_is_refused_and_nothing_is_written(secretariat_client):
    response = secretariat_client.post(
        reverse("console:publications"),
        _form(file=SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>")),
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"file": ["The file must be a PDF file."]}
    assert Publication.objects.count() == 0


def test_a_cover_that_is_not_an_image_is_refused(secretariat_client):
    response = secretariat_client.post(
        reverse("console:publications"),
        _form(cover=SimpleUploadedFile("cover.png", PDF)),
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"cover": ["The cover must be a JPEG or PNG image."]}
    assert Publication.objects.count() == 0


def test_secretariat_removes_a_report_and_only_the_secretariat_may(
    secretariat_client, official_client
):
    secretariat_client.post(reverse("console:publications"), _form(cover=None))
    publication = Publication.objects.get()
    url = reverse("console:publication_remove", args=[publication.pk])
    assert official_client.post(url).status_code == 403
    assert official_client.get(reverse("console:publications")).status_code == 403
    assert secretariat_client.post(url).status_code == 302
    assert Publication.objects.count() == 0


def test_reports_library_ignores_a_malformed_cycle(client, db):
    assert client.get(reverse("public:reports"), {"cycle": "9" * 30}).status_code == 200
    assert client.get(reverse("public:reports"), {"cycle": "x"}).status_code == 200
    assert client.get(reverse("public:report_file", args=[12345])).status_code == 404
