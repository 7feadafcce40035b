from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from submissions.services.importing import ImportFailed, initiatives_import


class Command(BaseCommand):
    help = "Import a past cycle's initiatives from a UTF-8 CSV file, whole or not at all."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--cycle", type=int, required=True, help="The cycle number, e.g. 4.")
        parser.add_argument(
            "--vote-title",
            default="",
            help='The name of the public vote\'s title in that cycle, e.g. "Online Popular City".',
        )

    def handle(self, *args, file: Path, cycle: int, vote_title: str = "", **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"{file}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
        try:
            result = initiatives_import(
                text=text, cycle_number=cycle, source=file.name, vote_title_name=vote_title
            )
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Nothing was imported: {len(failed.problems)} problem(s) in {file.name}."
            ) from failed
        self.stdout.write(
            self.style.SUCCESS(
                f"Cycle {cycle}: {result.created} initiative(s) imported, "
                f"{result.unchanged} already present, "
                f"{result.organisations_created} new organisation(s)."
            )
        )
