"""Django's makemessages with stable, merge-friendly output (``make messages``).

The project's catalogues (locale/<lang>/LC_MESSAGES/django.po and djangojs.po) are
written without source locations, without obsolete entries, sorted by msgid and without
the POT-Creation-Date header line, so that regenerating them changes nothing unless a
string changed, adding a string adds one entry in one place, and two branches that add
strings rarely conflict. Non-project code (the virtualenv, vendored front-end files,
tests, benchmarks, collected static files) is never scanned. Needs GNU gettext
(xgettext, msguniq, msgmerge, msgattrib); compiling does not (see compile_catalogues).
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages

# Paths (relative to the project root) that hold no strings of ours.
IGNORED = [
    "static/vendor/*",
    "staticfiles/*",
    "media/*",
    "locale/*",
    "tests/*",
    "bench/*",
    "node_modules/*",
]

_POT_DATE = re.compile(r'^"POT-Creation-Date: [^"]*\\n"\n', re.MULTILINE)


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--sort-output"]
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--sort-output"]
    msguniq_options = [*makemessages.Command.msguniq_options, "--sort-output"]
    msgattrib_options = [*makemessages.Command.msgattrib_options, "--sort-output"]

    def handle(self, *args, **options):
        options["no_location"] = True
        options["add_location"] = None
        options["no_obsolete"] = True
        options["ignore_patterns"] = [*(options.get("ignore_patterns") or []), *IGNORED]
        super().handle(*args, **options)
        for locale_dir in settings.LOCALE_PATHS:
            for po in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                text = po.read_text(encoding="utf-8")
                stable = _POT_DATE.sub("", text, count=1)
                if stable != text:
                    po.write_text(stable, encoding="utf-8")
