"""`manage.py bench_contests [--entrants 2000] [--judges 200]`: time a large contest's assignment and ranking.

Prints the seconds the assignment and the database's ranking take and the query
counts of the judge's and the coordinator's pages; nothing is kept.
"""

from django.core.management.base import BaseCommand

from demo.bench.contests import measure


class Command(BaseCommand):
    help = "Time judge assignment and ranking on a synthetic contest (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--entrants", type=int, default=2000)
        parser.add_argument("--judges", type=int, default=200)

    def handle(self, *args, entrants: int, judges: int, **options):
        figures = measure(entrants=entrants, judges=judges)
        for key, value in figures.items():
            self.stdout.write(f"{key}: {value}")
