"""Attachments of an entry: documents, photos and video links.

A file's type is read from its first bytes (and, for Office files, from the parts
inside the zip), never from its name: a renamed executable stays refused.
"""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.formats import file_size
from submissions.models import Attachment, Submission

from .applications import _after_revision, _check_editable, _lock

MB = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    code: str
    content_type: str
    label: str
    kind: str  # the Attachment.Kind it belongs to


FILE_TYPES = {
    "pdf": FileType("pdf", "application/pdf", gettext_lazy("a PDF document"), "document"),
    "docx": FileType(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        gettext_lazy("a Word (DOCX) document"),
        "document",
    ),
    "xlsx": FileType(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("an Excel (XLSX) spreadsheet"),
        "document",
    ),
    "jpeg": FileType("jpeg", "image/jpeg", gettext_lazy("a JPEG photo"), "photo"),
    "png": FileType("png", "image/png", gettext_lazy("a PNG image"), "photo"),
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def file_type_detect(fileobj) -> FileType | None:
    """The type of a file judged by its content, or None when it is none we accept.

    Leaves the file positioned at its start.
    """
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return FILE_TYPES["pdf"]
    if head.startswith(b"\xff\xd8\xff"):
        return FILE_TYPES["jpeg"]
    if head.startswith(PNG_SIGNATURE):
        return FILE_TYPES["png"]
    if head.startswith(b"PK\x03\x04"):
        try:
            # Only the directory is read, never the members: no zip-bomb exposure.
            names = set(zipfile.ZipFile(fileobj).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            names = set()
        finally:
            fileobj.seek(0)
        if "word/document.xml" in names:
            return FILE_TYPES["docx"]
        if "xl/workbook.xml" in names:
            return FILE_TYPES["xlsx"]
    return None


def _check_file(kind: str, upload, locked: Submission) -> FileType:
    cycle = locked.cycle
    detected = file_type_detect(upload)
    name = upload.name
    if detected is None:
        if kind == Attachment.Kind.PHOTO:
            raise ValidationError(
                {
                    "file": _(
                        "“%(name)s” is not a JPEG or PNG image. Files are recognised by "
                        "their content, not their name."
                    )
                    % {"name": name}
                }
            )
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” is not a PDF, Word (DOCX) or Excel (XLSX) file. Files are "
                    "recognised by their content, not their name."
                )
                % {"name": name}
            }
        )
    if detected.kind != kind:
        wanted = (
            _("a JPEG or PNG photo")
            if kind == Attachment.Kind.PHOTO
            else _("a PDF, DOCX or XLSX document")
        )
        raise ValidationError(
            {
                "file": _("“%(name)s” is %(found)s, not %(wanted)s.")
                % {"name": name, "found": detected.label, "wanted": wanted}
            }
        )
    if upload.size > cycle.max_file_mb * MB:
        raise ValidationError(
            {
                "file": _("“%(name)s” is %(size)s; the largest file allowed is %(max)s MB.")
                % {"name": name, "size": file_size(upload.size), "max": cycle.max_file_mb}
            }
        )
    used = locked.attachments.aggregate(total=Sum("size_bytes"))["total"] or 0
    if used + upload.size > cycle.max_entry_mb * MB:
        raise ValidationError(
            {
                "file": _(
                    "All files of an entry may total %(max)s MB; %(used)s are used and "
                    "this file is %(size)s."
                )
                % {
                    "max": cycle.max_entry_mb,
                    "used": file_size(used),
                    "size": file_size(upload.size),
                }
            }
        )
    return detected


@transaction.atomic
def attachment_add(
    *,
    submission: Submission,
    kind: str,
    upload=None,
    video_url: str = "",
    caption: str = "",
    is_public: bool = False,
    by,
) -> Attachment:
    """Attach a document, a photo or a video link to an editable entry.

    Checks the file's real type against ``kind``, the cycle's per-file and per-entry
    size limits and the number of attachments; raises ``ValidationError`` (keyed by
    form field) and stores nothing when any fails.
    """
    locked = _lock(submission)
    _check_editable(locked)
    if locked.attachments.count() >= locked.cycle.max_attachments:
        raise ValidationError(
            _("An entry may have at most %(n)s attachments: remove one first.")
            % {"n": locked.cycle.max_attachments}
        )
    attachment = Attachment(
        submission=locked,
        kind=kind,
        caption=(caption or "").strip(),
        # Only photos can be shown publicly; documents stay with the judges.
        is_public=bool(is_public) and kind == Attachment.Kind.PHOTO,
        uploaded_by=by,
    )
    if kind == Attachment.Kind.VIDEO:
        if not video_url:
            raise ValidationError({"video_url": _("Please give the link to the video.")})
        attachment.video_url = video_url
    elif kind in (Attachment.Kind.DOCUMENT, Attachment.Kind.PHOTO):
        if upload is None:
            raise ValidationError({"file": _("Please choose a file.")})
        detected = _check_file(kind, upload, locked)
        attachment.original_name = upload.name[:255]
        attachment.content_type = detected.content_type
        attachment.size_bytes = upload.size
    else:
        raise ValidationError({"kind": _("Unknown kind of attachment.")})
    if upload is not None and kind != Attachment.Kind.VIDEO:
        # Stored last, after every check; removed again if the row cannot be written.
        attachment.file.save(upload.name, upload, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.storage.delete(attachment.file.name)
            raise
    else:
        attachment.save()
    locked.save(update_fields=["updated_at"])
    _after_revision(locked)
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    """Remove an attachment of an editable entry; its file goes once the row is gone."""
    locked = _lock(attachment.submission)
    _check_editable(locked)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    locked.save(update_fields=["updated_at"])
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    _after_revision(locked)
