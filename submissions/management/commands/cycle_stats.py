"""Print a cycle's statistics (or every cycle's together) as one JSON object."""

import json

from django.core.management.base import BaseCommand, CommandError

from submissions.models import Cycle
from submissions.selectors.statistics import statistics_for_command


class Command(BaseCommand):
    help = "Print the statistics of a cycle (--cycle N) or of all cycles (--all) as JSON."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--cycle", type=int, help="The cycle's number.")
        group.add_argument("--all", action="store_true", help="Every cycle together.")

    def handle(self, *args, **options):
        cycle = None
        if not options["all"]:
            cycle = Cycle.objects.filter(number=options["cycle"]).first()
            if cycle is None:
                raise CommandError(f"There is no cycle {options['cycle']}.")
        self.stdout.write(json.dumps(statistics_for_command(cycle=cycle)))
