import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from submissions.models import Attachment
from submissions.services import attachments as files
from submissions.workflow import Status
from tests import factories
from tests.submissions.helpers import DOCX, JPEG, PDF, PNG, XLSX, office_zip, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(official, open_cycle):
    return factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)


def _stored(entry) -> list[str]:
    """The files the storage holds in the entry's attachment folder."""
    from django.core.files.storage import default_storage

    folder = f"entries/{entry.cycle_id}/{entry.pk}"
    if not default_storage.exists(folder):
        return []
    return sorted(default_storage.listdir(folder)[1])


@pytest.mark.parametrize(
    ("content", "code"),
    [(PDF, "pdf"), (DOCX, "docx"), (XLSX, "xlsx"), (JPEG, "jpeg"), (PNG, "png")],
)
def test_file_type_detect_reads_content(content, code):
    assert files.file_type_detect(upload("anything.bin", content)).code == code


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 windows exe", b"PK\x03\x04 broken zip", office_zip("other/thing.xml"), b""],
)
def test_file_type_detect_refuses_unknown_content(content):
    assert files.file_type_detect(upload("report.pdf", content)) is None


@pytest.mark.parametrize(
    ("kind", "name", "content", "content_type"),
    [
        ("document", "report.pdf", PDF, "application/pdf"),
        (
            "document",
            "plan.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "document",
            "data.xlsx",
            XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("photo", "park.jpg", JPEG, "image/jpeg"),
        ("photo", "park.png", PNG, "image/png"),
    ],
)
def test_attachment_add_stores_accepted_files(official, entry, kind, name, content, content_type):
    added = files.attachment_add(
        submission=entry, kind=kind, upload=upload(name, content), caption="Cap", by=official
    )
    added.refresh_from_db()
    assert (added.kind, added.original_name, added.content_type, added.size_bytes) == (
        kind,
        name,
        content_type,
        len(content),
    )
    assert name not in added.file.name  # stored under a random name
    with added.file.open("rb") as stored:
        assert stored.read() == content


def test_attachment_add_refuses_renamed_executable(official, entry):
    stored = _stored(entry)
    with pytest.raises(ValidationError) as raised:
        files.attachment_add(
            submission=entry,
            kind="document",
            upload=upload("report.pdf", b"MZ\x90\x00"),
            by=official,
        )
    assert raised.value.message_dict == {
        "file": [
            "“report.pdf” is not a PDF, Word (DOCX) or Excel (XLSX) file. Files are recognised "
            "by their content, not their name."
        ]
    }
    assert Attachment.objects.count() == 0
    assert _stored(entry) == stored


def test_attachment_add_refuses_photo_posing_as_document(official, entry):
    stored = _stored(entry)
    with pytest.raises(ValidationError) as raised:
        files.attachment_add(
            submission=entry, kind="document", upload=upload("report.pdf", PNG), by=official
        )
    assert raised.value.message_dict == {
        "file": ["“report.pdf” is a PNG image, not a PDF, DOCX or XLSX document."]
    }
    assert Attachment.objects.count() == 0
    assert _stored(entry) == stored


def test_attachment_add_refuses_document_as_photo(official, entry):
    stored = _stored(entry)
    with pytest.raises(ValidationError) as raised:
        files.attachment_add(
            submission=entry, kind="photo", upload=upload("park.jpg", PDF), by=official
        )
    assert raised.value.message_dict == {
        "file": ["“park.jpg” is a PDF document, not a JPEG or PNG photo."]
    }
    assert Attachment.objects.count() == 0
    assert _stored(entry) == stored


def test_attachment_add_refuses_file_over_cycle_limit(official):
    cycle = factories.OpenCycleFactory(max_file_mb=1)
    entry = factories.SubmissionFactory(cycle=cycle, organisation=official.organisation)
    big = PDF + b"0" * (1024 * 1024)
    stored = _stored(entry)
    with pytest.raises(ValidationError) as raised:
        files.attachment_add(
            submission=entry, kind="document", upload=upload("a.pdf", big), by=official
        )
    assert raised.value.message_dict == {
        "file": ["“a.pdf” is 1.0 MB; the largest file allowed is 1 MB."]
    }
    assert Attachment.objects.count() == 0
    assert _stored(entry) == stored


def test_attachment_add_refuses_entry_total_over_limit(official):
    cycle = factories.OpenCycleFactory(max_file_mb=2, max_entry_mb=2)
    entry = factories.SubmissionFactory(cycle=cycle, organisation=official.organisation)
    factories.AttachmentFactory(submission=entry, size_bytes=int(1.5 * 1024 * 1024))
    stored = _stored(entry)
    with pytest.raises(ValidationError) as raised:
        files.attachment_add(
            submission=entry,
            kind="document",
            upload=upload("b.pdf", PDF + b"0" * (1024 * 1024)),
            by=official,
        )
    assert raised.value.message_dict == {
        "file": ["All files of an entry may total 2 MB; 1.5 MB are used and this file is 1.0 MB."]
    }
    assert Attachment.objects.count() == 1
    assert _stored(entry) == stored


def test_attachment_add_refuses_more_than_max_attachments(official):
    cycle = factories.OpenCycleFactory(max_attachments=1)
    entry = factories.SubmissionFactory(cycle=cycle, organisation=official.organisation)
    files.attachment_add(
        submission=entry, kind="video", video_url="https://v.example/1", by=official
    )
    with pytest.raises(ValidationError) as raised:
        files.attachment_add(
            submission=entry, kind="video", video_url="https://v.example/2", by=official
        )
    assert raised.value.messages == ["An entry may have at most 1 attachments: remove one first."]
    assert list(Attachment.objects.values_list("video_url", flat=True)) == ["https://v.example/1"]


def test_attachment_add_video_link_and_public_flag_only_for_photos(official, entry):
    video = files.attachment_add(
        submission=entry, kind="video", video_url="https://v.example/x", is_public=True, by=official
    )
    photo = files.attachment_add(
        submission=entry, kind="photo", upload=upload("p.png", PNG), is_public=True, by=official
    )
    assert (video.video_url, video.is_public, photo.is_public) == (
        "https://v.example/x",
        False,
        True,
    )


def test_attachment_add_after_deadline_is_refused(official):
    cycle = factories.OpenCycleFactory(final_deadline=timezone.now() - dt.timedelta(seconds=1))
    entry = factories.SubmissionFactory(cycle=cycle, organisation=official.organisation)
    stored = _stored(entry)
    with pytest.raises(ValidationError, match="The final deadline .* has passed"):
        files.attachment_add(
            submission=entry, kind="document", upload=upload("a.pdf", PDF), by=official
        )
    assert Attachment.objects.count() == 0
    assert _stored(entry) == stored


def test_attachment_delete_removes_row_and_file(
    official, entry, django_capture_on_commit_callbacks
):
    added = files.attachment_add(
        submission=entry, kind="document", upload=upload("a.pdf", PDF), by=official
    )
    storage, name = added.file.storage, added.file.name
    with django_capture_on_commit_callbacks(execute=True):
        files.attachment_delete(attachment=added, by=official)
    assert Attachment.objects.count() == 0
    assert storage.exists(name) is False


def test_attachment_delete_of_submitted_entry_is_refused(
    official, open_cycle, django_capture_on_commit_callbacks
):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=Status.SUBMITTED
    )
    attachment = factories.AttachmentFactory(submission=entry)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(
            ValidationError, match="has been submitted and can no longer be changed"
        ):
            files.attachment_delete(attachment=attachment, by=official)
    assert callbacks == []  # the file is not deleted after commit
    assert Attachment.objects.count() == 1
    assert attachment.file.storage.exists(attachment.file.name) is True


def test_attachment_upload_view_shows_specific_error(official_client, entry):
    response = official_client.post(
        reverse("submissions:attachments", args=[entry.pk]),
        {"kind": "photo", "file": upload("holiday.png", PDF), "caption": ""},
    )
    assert response.status_code == 400
    assert "is a PDF document, not a JPEG or PNG photo" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_attachment_upload_view_accepts_and_lists(official_client, entry):
    response = official_client.post(
        reverse("submissions:attachments", args=[entry.pk]),
        {"kind": "document", "file": upload("plan.docx", DOCX), "caption": "Plan"},
    )
    assert response.status_code == 302
    page = official_client.get(reverse("submissions:attachments", args=[entry.pk]))
    assert "plan.docx" in page.content.decode()


def test_attachment_download_has_original_name_and_nosniff(official_client, entry, official):
    added = files.attachment_add(
        submission=entry, kind="document", upload=upload("Annual report.pdf", PDF), by=official
    )
    response = official_client.get(reverse("submissions:attachment", args=[entry.pk, added.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="Annual report.pdf"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_attachment_delete_view_removes(official_client, entry, official):
    added = files.attachment_add(
        submission=entry, kind="document", upload=upload("a.pdf", PDF), by=official
    )
    response = official_client.post(
        reverse("submissions:attachment_delete", args=[entry.pk, added.pk])
    )
    assert response.status_code == 302
    assert Attachment.objects.count() == 0
