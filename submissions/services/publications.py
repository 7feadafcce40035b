"""The reports library: the Secretariat publishes the award's reports and brochures."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from submissions.models import Cycle, Publication
from submissions.public_cache import bumps_public_cache
from submissions.services.attachments import file_type_detect

MAX_PUBLICATION_MB = 60
MAX_COVER_MB = 5


def _check_upload(upload, *, field: str, codes: set[str], max_mb: int, what: str) -> None:
    detected = file_type_detect(upload)
    if detected is None or detected.code not in codes:
        raise ValidationError(
            {
                field: _("The %(what)s must be %(kinds)s.")
                % {
                    "what": what,
                    "kinds": _("a PDF file") if codes == {"pdf"} else _("a JPEG or PNG image"),
                }
            }
        )
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            {field: _("The %(what)s is larger than %(mb)s MB.") % {"what": what, "mb": max_mb}}
        )


@bumps_public_cache
@transaction.atomic
def publication_create(
    *,
    title: str,
    kind: str,
    language: str,
    file,
    published_on: date,
    cycle: Cycle | None = None,
    description: str = "",
    cover=None,
    by,
) -> Publication:
    """Publish a report in the library. The file must be a PDF (judged by its content)
    and the cover, if any, a JPEG or PNG. Raises ``ValidationError`` by field and writes
    nothing when either is wrong."""
    if not title.strip():
        raise ValidationError({"title": _("Give the publication a title.")})
    _check_upload(file, field="file", codes={"pdf"}, max_mb=MAX_PUBLICATION_MB, what=_("file"))
    if cover:
        _check_upload(
            cover, field="cover", codes={"jpeg", "png"}, max_mb=MAX_COVER_MB, what=_("cover")
        )
    publication = Publication(
        title=title.strip(),
        kind=kind,
        language=language,
        cycle=cycle,
        description=description.strip(),
        published_on=published_on,
        size_bytes=file.size,
        uploaded_by=by,
    )
    publication.file.save(file.name, file, save=False)
    if cover:
        publication.cover.save(cover.name, cover, save=False)
    publication.save()
    return publication


@bumps_public_cache
@transaction.atomic
def publication_delete(*, publication: Publication, by) -> None:
    """Remove a publication from the library, its files with it (after commit)."""
    files = [f for f in (publication.file, publication.cover) if f]
    publication.delete()
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])
