"""``manage.py compile_catalogues``: compile locale/*.po to .mo without GNU gettext."""

from django.conf import settings
from django.core.management.base import BaseCommand

from awardportal.catalogues import compile_catalogues


class Command(BaseCommand):
    help = (
        "Compile the translation catalogues (.po → .mo) in pure Python (polib); "
        "only missing or stale ones unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalogue.")

    def handle(self, *args, force=False, **options):
        compiled = compile_catalogues(settings.LOCALE_PATHS, force=force)
        for po in compiled:
            self.stdout.write(f"compiled {po.with_suffix('.mo')}")
        if not compiled:
            self.stdout.write("catalogues are up to date")
