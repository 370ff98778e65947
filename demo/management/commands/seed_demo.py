"""`manage.py seed_demo [--scale N]`: the demo world, or a scaled copy for the bench; safe to run twice."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.seeding import cms, contests, credits, lesson_study, mentorship, notifications, people, studios, training
from demo.seeding import scale as scale_module
from training.stored_progress import progress_rebuild


class Command(BaseCommand):
    help = "Load the demo data (idempotent). --scale N adds N trainees for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="Add N trainees, N/3 mentors and N/10 schools, with five years of credit records each "
            "(--scale 75000 makes 100,000 people).",
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
            lesson_study.seed_lesson_study(**places)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(users)} demo accounts, cohort “{cohort.name}”."))
        if scale:
            self.scale(scale, regions=places["regions"], programme=programmes["principal"])
        # The seeding writes in bulk, which sends no signal: the overview's stored progress is computed here,
        # so that the first look (and the bench) does not pay for it.
        stored = progress_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Stored progress: {stored} trainees."))

    def scale(self, scale: int, *, regions: dict, programme) -> None:
        """The scale people and their history, each part timed (all rows written in bulk, by COPY)."""
        started = time.monotonic()

        def done(message: str, since: float) -> float:
            now = time.monotonic()
            self.stdout.write(self.style.SUCCESS(f"{message} ({now - since:.0f} s)"))
            return now

        mentors = max(1, scale // scale_module.TRAINEES_PER_MENTOR)
        created = scale_seed(scale=scale, regions=regions, programme=programme)
        step = done(f"Scaled data: {created} trainees and {mentors if created else 0} mentors added.", started)
        paired = mentorship.seed_scale_pairings(scale=scale)
        step = done(f"Scaled mentorship: {paired} pairings with session logs.", step)
        studios.seed_scale_studio(scale=scale)
        lesson_study.seed_scale_lesson(scale=scale)
        step = done("Scaled studio: up to 500 members, 5,000 posts, 2,000 resources; a lesson with 300 sheets.", step)
        scores = contests.seed_scale_contest(scale=scale)
        step = done(
            f"Scaled contest: {2 * scale} entrants, {max(10, scale // 5)} judges, {scores} scores, "
            "its preliminary published.",
            step,
        )
        records = credits.seed_scale_credits(scale=scale, regions=regions)
        done(f"Scaled credit bank: {records} credit records over five years.", step)
        self.stdout.write(self.style.SUCCESS(f"Scale {scale} seeded in {time.monotonic() - started:.0f} s."))


def scale_seed(**kwargs) -> int:
    return scale_module.seed_scale(**kwargs)
