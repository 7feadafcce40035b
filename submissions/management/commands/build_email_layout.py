"""Regenerate submissions/email_layout/layout.html (inline styles, premailer)."""

from django.core.management.base import BaseCommand

from submissions.email_layout.build import BUILT, build_layout


class Command(BaseCommand):
    help = "Inline the email layout's CSS into submissions/email_layout/layout.html."

    def handle(self, *args, **options):
        BUILT.write_text(build_layout())
        self.stdout.write(f"Wrote {BUILT}")
