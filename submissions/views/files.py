"""Serving an entry's files. There is no public media URL: every file goes through a
view that has checked the viewer's permission first."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from accounts.access import access
from submissions.models import Attachment, Submission


def serve_attachment(attachment: Attachment) -> FileResponse:
    """The attachment's file as a download under its original name.

    Photos open inline (the preview shows them), everything else downloads. The
    stored content type was found by sniffing at upload, and ``nosniff`` stops a
    browser from second-guessing it. Raises Http404 for a video link or a missing file.
    """
    if not attachment.file:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=attachment.kind != Attachment.Kind.PHOTO,
        filename=attachment.original_name or "attachment",
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def entry_of(request, pk, *args, **kwargs) -> Submission:
    return get_object_or_404(Submission.objects.select_related("cycle"), pk=pk)


@access("submissions.view_attachment", object_from=entry_of)
def attachment(request, pk: int, attachment_pk: int):
    """One file of an entry, for its city and the Secretariat."""
    found = get_object_or_404(Attachment, pk=attachment_pk, submission_id=pk)
    return serve_attachment(found)
