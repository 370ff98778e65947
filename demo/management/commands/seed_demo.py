"""`manage.py seed_demo [--scale N]`: the demo world, or a scaled copy for the bench; safe to run twice."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.seeding import cms, contests, credits, mentorship, notifications, people, scale, studios, training
from training.stored_progress import progress_rebuild


class Command(BaseCommand):
    help = "Load the demo data (idempotent). --scale N adds N trainees for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=0, help="Add N trainees with mentors and schools in proportion."
        )

    def handle(self, *args, scale: int = 0, **options):
        if scale < 0:
            raise CommandError("--scale must be zero or more.")
        with transaction.atomic():
            places = people.seed_regions_and_schools()
            users = people.seed_accounts(**places)
            programmes = training.seed_programmes()
            cohort = training.seed_cohort(programmes=programmes, regions=places["regions"], users=users)
            training.seed_cohort_life(cohort=cohort, users=users, **places)
            training.seed_completed_cohort(programmes=programmes, users=users, **places)
            cms.seed_site(programmes=programmes, regions=places["regions"])
            mentorship.seed_mentorship(cohort=cohort, users=users, **places)
            notifications.seed_notifications(cohort=cohort, users=users)
            credits.seed_credits(programmes=programmes, users=users, **places)
            contests.seed_contests(users=users, **places)
            studios.seed_studios(programmes=programmes, users=users, **places)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(users)} demo accounts, cohort “{cohort.name}”."))
        if scale:
            created = scale_seed(scale=scale, regions=places["regions"], programme=programmes["principal"])
            self.stdout.write(self.style.SUCCESS(f"Scaled data: {created} trainees added."))
            paired = mentorship.seed_scale_pairings(scale=scale)
            self.stdout.write(self.style.SUCCESS(f"Scaled mentorship: {paired} pairings with session logs."))
            studios.seed_scale_studio(scale=scale)
            self.stdout.write(self.style.SUCCESS("Scaled studio: up to 500 members, 5,000 posts, 2,000 resources."))
            started = time.monotonic()
            scores = contests.seed_scale_contest(scale=scale)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Scaled contest: {2 * scale} entrants, {max(10, scale // 5)} judges, {scores} scores, "
                    f"its preliminary published, in {time.monotonic() - started:.0f} s."
                )
            )
            started = time.monotonic()
            records = credits.seed_scale_credits(scale=scale, regions=places["regions"])
            seconds = time.monotonic() - started
            self.stdout.write(
                self.style.SUCCESS(f"Scaled credit bank: {records} credit records over five years in {seconds:.0f} s.")
            )
        # The seeding writes in bulk, which sends no signal: the overview's stored progress is computed here,
        # so that the first look (and the bench) does not pay for it.
        stored = progress_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Stored progress: {stored} trainees."))


def scale_seed(**kwargs) -> int:
    return scale.seed_scale(**kwargs)
