"""Compute every trainee's stored progress afresh: after the migration that adds it, or to repair it.

The overview recomputes stale rows by itself; this is for when rows may be wrong without being marked
(a bulk write that forgot `overview_invalidate`, a restored backup) or to spare the first look the work.
"""

from django.core.management.base import BaseCommand

from training.stored_progress import progress_rebuild


class Command(BaseCommand):
    help = "Recompute the stored progress of every trainee (or of the cohorts named with --cohort)."

    def add_arguments(self, parser):
        parser.add_argument("--cohort", type=int, action="append", dest="cohorts", help="a cohort id; repeatable")

    def handle(self, *args, cohorts=None, **options):
        done = progress_rebuild(cohort_ids=cohorts)
        self.stdout.write(f"{done} trainees' progress stored.")
