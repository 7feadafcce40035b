"""Compile the translation catalogues (``.po`` → ``.mo``) in pure Python.

The ``.mo`` files are build products (gitignored). They are compiled by
``manage.py compile_catalogues`` (called by ``make run``, ``make test`` and the Docker
build) and at the start of every pytest session (tests/conftest.py), so a machine
without GNU gettext can run and test the portal. polib writes only translated,
non-fuzzy entries, as ``msgfmt`` does.
"""

import os
import tempfile
from pathlib import Path

import polib


def stale_catalogues(locale_dirs) -> list[Path]:
    """The ``.po`` files whose ``.mo`` is missing or older than them."""
    stale = []
    for locale_dir in locale_dirs:
        for po in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                stale.append(po)
    return stale


def compile_catalogues(locale_dirs, *, force: bool = False) -> list[Path]:
    """Write the ``.mo`` beside each stale (or, with ``force``, every) ``.po``.

    Returns the ``.po`` files compiled. Each ``.mo`` is written to a temporary file
    and moved into place, so a reader never sees half a catalogue.
    """
    if force:
        targets = sorted(p for d in locale_dirs for p in Path(d).glob("*/LC_MESSAGES/*.po"))
    else:
        targets = stale_catalogues(locale_dirs)
    for po_path in targets:
        catalogue = polib.pofile(str(po_path))
        fd, tmp = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        os.close(fd)
        try:
            catalogue.save_as_mofile(tmp)
            os.chmod(tmp, 0o644)  # mkstemp makes it private; the server user must read it
            os.replace(tmp, po_path.with_suffix(".mo"))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return targets
