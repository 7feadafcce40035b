"""Print a cycle's statistics, a range of cycles' or every cycle's, as one JSON object."""

import json

from django.core.management.base import BaseCommand, CommandError

from submissions.models import Cycle
from submissions.selectors.statistics import cycle_list_by_numbers, statistics_for_command


def _numbers(value: str) -> list[int]:
    try:
        numbers = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise CommandError(
            f"--cycles takes cycle numbers separated by commas, not {value!r}."
        ) from None
    if not numbers:
        raise CommandError("--cycles needs at least one cycle number.")
    return numbers


class Command(BaseCommand):
    help = (
        "Print the statistics of a cycle (--cycle N), of several cycles together "
        "(--cycles 3,4) or of all cycles (--all) as JSON."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--cycle", type=int, help="The cycle's number.")
        group.add_argument("--cycles", help="Cycle numbers separated by commas, e.g. 3,4.")
        group.add_argument("--all", action="store_true", help="Every cycle together.")

    def handle(self, *args, **options):
        if options["cycles"]:
            cycles, missing = cycle_list_by_numbers(_numbers(options["cycles"]))
            if missing:
                raise CommandError(f"There is no cycle {', '.join(map(str, missing))}.")
            self.stdout.write(json.dumps(statistics_for_command(cycles=cycles)))
            return
        cycle = None
        if not options["all"]:
            cycle = Cycle.objects.filter(number=options["cycle"]).first()
            if cycle is None:
                raise CommandError(f"There is no cycle {options['cycle']}.")
        self.stdout.write(json.dumps(statistics_for_command(cycle=cycle)))
