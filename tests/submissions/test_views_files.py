import pytest
from django.http import Http404

from submissions.services import attachments as files
from submissions.views.files import serve_attachment
from tests import factories
from tests.submissions.helpers import PNG, upload

pytestmark = pytest.mark.django_db


def test_serve_attachment_shows_photos_inline_with_original_name(official, open_cycle):
    entry = factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)
    photo = files.attachment_add(
        submission=entry, kind="photo", upload=upload("Parque Ñ.png", PNG), by=official
    )
    response = serve_attachment(photo)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "Parque" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PNG


def test_serve_attachment_of_video_link_is_404(official, open_cycle):
    entry = factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)
    video = files.attachment_add(
        submission=entry, kind="video", video_url="https://v.example/1", by=official
    )
    with pytest.raises(Http404) as raised:
        serve_attachment(video)
    # Refused because there is no file at all, before any storage is opened.
    assert (bool(video.file), raised.value.__cause__) == (False, None)


def test_serve_attachment_with_missing_file_is_404(official, open_cycle):
    attachment = factories.AttachmentFactory()
    attachment.file.storage.delete(attachment.file.name)
    with pytest.raises(Http404) as raised:
        serve_attachment(attachment)
    # Refused because the storage has lost the file the row names.
    assert isinstance(raised.value.__cause__, FileNotFoundError)
