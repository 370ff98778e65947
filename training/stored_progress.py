"""Each trainee's progress, stored (`ProgressRecord`) and kept current by the writes that change it.

The cohort overview reads a page of these rows in SQL order; nothing computes the whole cohort per change.

- A write about one trainee (hours credited or corrected, attendance, a submission, the membership itself)
  marks that trainee's row stale in its own transaction and recomputes it after the commit: six small
  queries, whatever the size of the cohort.
- A write about the whole cohort (the schedule or assignments, the cohort's dates and risk settings, the
  programme's rules) marks every row of the cohort stale in one UPDATE and, after the commit, queues
  `refresh_cohort_progress_task`, which recomputes them in the background a chunk at a time.
- Bulk writes send no signal: the services that make them call `overview_invalidate`, which does the same.
- Clock-driven flags (a required session ending unattended, an assignment's grace running out, the pace and
  mentoring gap of a new day) make a row stale at `valid_until`, which the computation sets to the next
  such moment; beat's `sweep_progress_task` (every 15 minutes, the first just after midnight) queues the
  refresh of every running cohort with such rows.
- Readers still recompute whatever is stale or expired before reading, so the overview is right even when
  no task has run yet. The overview's rendered page is kept (`training.overview`) no longer than the
  cohort's earliest `valid_until`, and every marking renews the cohort's token (`cohort_token`), so the look
  that renders it afresh is the one that recomputes.

A stale row is recomputed from scratch (`training.progress`), never patched, so a refresh repairs anything.
A recomputation reads each row's `revision` before anything it computes from, and writes a row only where
the revision is still that one: a write that commits meanwhile has raised it, so the older figures are
dropped and the row stays stale instead of looking current until its `valid_until`.
"""

import datetime
import logging
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

import versioned

from .models import (
    Assignment,
    Attendance,
    Cohort,
    CohortMembership,
    HoursEntry,
    MembershipRole,
    Programme,
    ProgressRecord,
    ScheduleItem,
    Submission,
)
from .progress import TraineeProgress, cohort_progress

logger = logging.getLogger(__name__)

# A moment every row's `valid_until` is after: what "stale" is set to.
STALE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# Memberships the background refresh computes together (each chunk is written before the next is read).
REFRESH_CHUNK = 1000
# Rows locked and written together (one short transaction each).
WRITE_BATCH = 1000
# Cohorts that ended longer ago than this are not refreshed nightly; their first look recomputes them.
SWEPT_AFTER_END = datetime.timedelta(days=7)
UPDATED_FIELDS = [
    "sessions_attended",
    "assignments_accepted",
    "mentoring_hours",
    "total_hours",
    "hours_by_source",
    "last_mentoring_on",
    "percent",
    "flags",
    "flag_count",
    "computed_at",
    "valid_until",
]


def cohort_token(cohort_id: int | None) -> str | None:
    """The name of the version token of everything the cohort's overview and its members' dashboards show."""
    return None if cohort_id is None else f"cohort:{cohort_id}"


def _record(membership, cohort_id: int, progress: TraineeProgress, now: datetime.datetime) -> ProgressRecord:
    return ProgressRecord(
        membership_id=membership.pk,
        cohort_id=cohort_id,
        trainee_id=membership.user_id,
        sessions_attended=progress.sessions_attended,
        assignments_accepted=progress.assignments_accepted,
        mentoring_hours=progress.mentoring_hours,
        total_hours=progress.total_hours,
        hours_by_source={source: str(hours) for source, hours in progress.hours_by_source.items()},
        last_mentoring_on=progress.last_mentoring_on,
        percent=progress.percent,
        flags=progress.flag_facts,
        flag_count=len(progress.flag_facts),
        computed_at=now,
        valid_until=progress.valid_until or now,
    )


def _trainee_memberships(cohort_id: int):
    return CohortMembership.objects.filter(cohort_id=cohort_id, role=MembershipRole.TRAINEE).only(
        "pk", "user_id", "status", "role", "cohort_id"
    )


def _due_memberships(cohort_id: int, now: datetime.datetime):
    return _trainee_memberships(cohort_id).filter(
        pk__in=ProgressRecord.objects.filter(cohort_id=cohort_id, valid_until__lte=now).values("membership_id")
    )


def _read(memberships, limit: int | None = None) -> list:
    """The memberships with their row's revision (None: no row yet), in one statement read before the facts."""
    memberships = memberships.annotate(read_revision=F("progress_record__revision"))
    return list(memberships[:limit] if limit else memberships)


def _write_if_unchanged(records: list[ProgressRecord], revisions: dict[int, int]) -> int:
    """Store these rows where their revision is still the one read; how many were written."""
    written = 0
    for start in range(0, len(records), WRITE_BATCH):
        batch = records[start : start + WRITE_BATCH]
        by_revision = defaultdict(list)
        for record in batch:
            by_revision[revisions[record.pk]].append(record.pk)
        unchanged = Q()
        for revision, pks in by_revision.items():
            unchanged |= Q(revision=revision, pk__in=pks)
        with transaction.atomic():
            # Held until the commit, so no marking can raise a revision between this check and the write.
            # Rows a marking holds are skipped, never waited for: it makes them stale as it commits anyway,
            # and a write that never waits cannot deadlock with a marking's UPDATE of the whole cohort.
            locked = set(
                ProgressRecord.objects.select_for_update(skip_locked=True)
                .filter(unchanged)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if not locked:
                continue
            ProgressRecord.objects.bulk_create(
                [record for record in batch if record.pk in locked],
                update_conflicts=True,
                unique_fields=["membership"],
                update_fields=UPDATED_FIELDS,
            )
            written += len(locked)
    return written


def _compute_and_store(*, cohort_id: int, read: list, now: datetime.datetime) -> int:
    if not read:
        return 0
    # The rules are read after the revisions: a change to them committed in between has raised the revisions.
    cohort = Cohort.objects.select_related("programme").filter(pk=cohort_id).first()
    if cohort is None:
        return 0
    results = cohort_progress(cohort=cohort, memberships=read, now=now)
    records = [_record(membership, cohort_id, results[membership.pk], now) for membership in read]
    # A trainee without a row yet: inserted unless a marking inserted one first (which then stays stale).
    ProgressRecord.objects.bulk_create(
        [record for record, membership in zip(records, read, strict=True) if membership.read_revision is None],
        ignore_conflicts=True,
    )
    _write_if_unchanged(
        [record for record, membership in zip(records, read, strict=True) if membership.read_revision is not None],
        {membership.pk: membership.read_revision for membership in read},
    )
    return len(read)


def progress_refresh(*, cohort: Cohort, memberships=None, now: datetime.datetime | None = None) -> int:
    """Compute and store the progress of these trainee memberships (a queryset; every one of the cohort's when None)."""
    memberships = _trainee_memberships(cohort.pk) if memberships is None else memberships
    return _compute_and_store(cohort_id=cohort.pk, read=_read(memberships), now=now or timezone.now())


def progress_refresh_due(*, cohort: Cohort, now: datetime.datetime | None = None) -> int:
    """Recompute the cohort's rows that are stale or past their `valid_until`: one query when none is."""
    now = now or timezone.now()
    return _compute_and_store(cohort_id=cohort.pk, read=_read(_due_memberships(cohort.pk, now)), now=now)


def progress_refresh_cohort(*, cohort_id: int, now: datetime.datetime | None = None, chunk: int = REFRESH_CHUNK) -> int:
    """Recompute a cohort's stale and expired rows a chunk at a time, each chunk stored before the next is read;
    how many were computed. Safe to run twice: a second run finds nothing due (one query)."""
    now = now or timezone.now()
    done, after = 0, 0
    while True:
        read = _read(_due_memberships(cohort_id, now).filter(pk__gt=after).order_by("pk"), limit=chunk)
        if not read:
            return done
        done += _compute_and_store(cohort_id=cohort_id, read=read, now=now)
        after = read[-1].pk


def progress_due_cohorts(*, now: datetime.datetime | None = None) -> list[int]:
    """The cohorts (running, or ended in the last week) with rows stale or past their `valid_until`: one query."""
    now = now or timezone.now()
    return list(
        Cohort.objects.filter(ends_on__gte=timezone.localdate(now) - SWEPT_AFTER_END)
        .filter(Exists(ProgressRecord.objects.filter(cohort_id=OuterRef("pk"), valid_until__lte=now)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def progress_refresh_enqueue(*cohort_ids: int) -> int:
    """Queue the background refresh of these cohorts; how many were queued (a broker outage leaves the rest to
    beat's sweep and to the next look)."""
    from .tasks import refresh_cohort_progress_task

    queued = 0
    for cohort_id in cohort_ids:
        try:
            refresh_cohort_progress_task.delay(cohort_id)
        except Exception:
            logger.warning("Could not queue the progress refresh of cohort %s.", cohort_id, exc_info=True)
            break
        queued += 1
    return queued


def progress_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue the refresh of every cohort with rows due (beat, every 15 minutes); how many were queued."""
    return progress_refresh_enqueue(*progress_due_cohorts(now=now))


@transaction.atomic
def progress_rebuild(*, cohort_ids=None) -> int:
    """Every trainee's stored progress computed afresh (for migrations and repairs); rows of gone trainees removed."""
    cohorts = Cohort.objects.select_related("programme").order_by("pk")
    if cohort_ids is not None:
        cohorts = cohorts.filter(pk__in=cohort_ids)
    done = 0
    for cohort in cohorts:
        ProgressRecord.objects.filter(cohort=cohort).exclude(membership__role=MembershipRole.TRAINEE).delete()
        done += progress_refresh(cohort=cohort)
        versioned.renew(cohort_token(cohort.pk))  # a repair may change what the cached pages show
    return done


def progress_mark_stale(*, cohort_ids, trainee_ids=None) -> None:
    """These cohorts' rows (or these trainees' rows in them) are out of date; trainees without a row get one."""
    cohort_ids = [pk for pk in set(cohort_ids) if pk is not None]
    if not cohort_ids:
        return
    rows = ProgressRecord.objects.filter(cohort_id__in=cohort_ids)
    memberships = CohortMembership.objects.filter(cohort_id__in=cohort_ids, role=MembershipRole.TRAINEE)
    if trainee_ids is not None:
        rows = rows.filter(trainee_id__in=trainee_ids)
        memberships = memberships.filter(user_id__in=trainee_ids)
    missing = memberships.filter(progress_record__isnull=True).values_list("pk", "cohort_id", "user_id")
    ProgressRecord.objects.bulk_create(
        [
            ProgressRecord(
                membership_id=pk, cohort_id=cohort_id, trainee_id=user_id, computed_at=STALE, valid_until=STALE
            )
            for pk, cohort_id, user_id in missing
        ],
        ignore_conflicts=True,
    )
    # After the insert, and rows already stale included: a recomputation may be under way on any of them
    # (or have just inserted a row), and only a raised revision stops it from writing over this mark.
    rows.update(valid_until=STALE, revision=F("revision") + 1)
    # The cached overview is not checked for stale rows at each look (`training.overview`): whatever marks rows
    # stale makes the next look render afresh, which recomputes them first.
    versioned.renew(*(cohort_token(cohort_id) for cohort_id in cohort_ids))


def _trainee_changed(cohort_id: int | None, trainee_id: int) -> None:
    if cohort_id is None:
        return
    progress_mark_stale(cohort_ids=[cohort_id], trainee_ids=[trainee_id])

    def refresh_after_commit():
        # A reader would recompute the row anyway; doing it now spares the coordinator's next look.
        read = _read(_trainee_memberships(cohort_id).filter(user_id=trainee_id))
        _compute_and_store(cohort_id=cohort_id, read=read, now=timezone.now())

    transaction.on_commit(refresh_after_commit, robust=True)


def progress_cohort_changed(*cohort_ids: int | None) -> None:
    """A write about these whole cohorts: every row stale now, recomputed in the background after the commit."""
    progress_mark_stale(cohort_ids=cohort_ids)
    cohort_ids = sorted({pk for pk in cohort_ids if pk is not None})

    def enqueue_refresh():
        # Without it the coordinator's next look would recompute the whole cohort (34 s for 10,000 trainees).
        progress_refresh_enqueue(*cohort_ids)

    if cohort_ids:
        transaction.on_commit(enqueue_refresh, robust=True)


def connect() -> None:
    """Wire the writes that change stored progress (called from `TrainingConfig.ready`)."""

    def hours(sender, instance, **kwargs):
        _trainee_changed(instance.cohort_id, instance.trainee_id)

    def attendance(sender, instance, **kwargs):
        _trainee_changed(instance.schedule_item.cohort_id, instance.trainee_id)

    def submission(sender, instance, **kwargs):
        _trainee_changed(instance.assignment.cohort_id, instance.trainee_id)

    def membership(sender, instance, **kwargs):
        if instance.role == MembershipRole.TRAINEE:
            _trainee_changed(instance.cohort_id, instance.user_id)

    def of_cohort(sender, instance, **kwargs):
        progress_cohort_changed(instance.cohort_id)

    def cohort(sender, instance, created=False, **kwargs):
        if not created:
            progress_cohort_changed(instance.pk)

    def programme(sender, instance, created=False, **kwargs):
        if not created:
            progress_cohort_changed(*Cohort.objects.filter(programme=instance).values_list("pk", flat=True))

    def participants(sender, instance, action, pk_set=None, **kwargs):
        # From either side the items are the cohort's: a membership is named only on its own cohort's items.
        if action.startswith("post_") or action == "pre_clear":
            progress_cohort_changed(instance.cohort_id)

    for model, receiver in (
        (HoursEntry, hours),
        (Attendance, attendance),
        (Submission, submission),
        (ScheduleItem, of_cohort),
        (Assignment, of_cohort),
    ):
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"stored-progress-{model.__name__}")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"stored-progress-{model.__name__}-del")
    # A deleted membership takes its row with it (CASCADE).
    post_save.connect(membership, sender=CohortMembership, weak=False, dispatch_uid="stored-progress-membership")
    post_save.connect(cohort, sender=Cohort, weak=False, dispatch_uid="stored-progress-cohort")
    post_save.connect(programme, sender=Programme, weak=False, dispatch_uid="stored-progress-programme")
    m2m_changed.connect(
        participants, sender=ScheduleItem.participants.through, weak=False, dispatch_uid="stored-progress-named"
    )


def hours_of(record: ProgressRecord) -> dict:
    """A stored row's hours by source, as `TraineeProgress.hours_by_source` holds them."""
    return {source: Decimal(hours) for source, hours in record.hours_by_source.items()}
