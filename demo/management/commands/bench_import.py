"""Time an enrolment import of N rows on this database: read, check every row, invite everyone.

Runs inside a transaction that is rolled back, so the database is left as it was.
Prints figures; `make bench` calls it on the bench database.
"""

import csv
import datetime
import io
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time an all-or-nothing enrolment import of N rows (default 5,000), then roll it back."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5000)

    def handle(self, *args, rows: int, **options):
        figures = {}
        try:
            with transaction.atomic():
                figures = import_rows(rows)
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(
            f"  {rows:,} rows: {figures['seconds']:.1f} s ({figures['rows_per_second']:,.0f} rows/s), "
            f"status {figures['status']}, {figures['created']:,} invited"
        )


def import_rows(count: int) -> dict:
    from accounts.models import Region, User
    from training.models import Cohort, CohortRegion, CohortStatus, Programme
    from training.services.imports import enrolment_import_create, enrolment_import_run

    regions = list(Region.objects.order_by("pk")[:2])
    programme = Programme.objects.order_by("pk").first()
    coordinator = User.objects.filter(is_superuser=True).order_by("pk").first()
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        programme=programme,
        name="导入基准",
        name_en="Import bench",
        status=CohortStatus.ACTIVE,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=90),
        capacity=0,
    )
    for region in regions:
        CohortRegion.objects.create(cohort=cohort, region=region, quota=count)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "email", "role", "region", "school", "stage", "subject"])
    for n in range(count):
        region = regions[n % len(regions)]
        writer.writerow([f"学员{n}", f"bench-import-{n}@example.cn", "trainee", region.name, "", "primary", "chinese"])
    upload = SimpleUploadedFile("people.csv", buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")
    started = time.monotonic()
    record = enrolment_import_create(cohort=cohort, acting_user=coordinator, upload=upload)
    record = enrolment_import_run(import_id=record.pk)
    seconds = time.monotonic() - started
    return {
        "seconds": seconds,
        "rows_per_second": count / seconds if seconds else 0,
        "status": record.status,
        "created": record.created_count,
    }
