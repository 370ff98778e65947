"""Each trainee's progress, stored (`ProgressRecord`) and kept current by the writes that change it.

The cohort overview reads a page of these rows in SQL order; nothing computes the whole cohort per change.

- A write about one trainee (hours credited or corrected, attendance, a submission, the membership itself)
  marks that trainee's row stale in its own transaction and recomputes it after the commit: six small
  queries, whatever the size of the cohort.
- A write about the whole cohort (the schedule or assignments, the cohort's dates and risk settings, the
  programme's rules) marks every row of the cohort stale in one UPDATE; the next reader (or
  `manage.py progress_rebuild`) recomputes them together, in the queries one trainee costs.
- Bulk writes send no signal: the services that make them call `overview_invalidate`, which does the same.
- Clock-driven flags (a required session ending unattended, an assignment's grace running out, the pace and
  mentoring gap of a new day) make a row stale at `valid_until`, which the computation sets to the next
  such moment; readers recompute rows past it before reading.

A stale row is recomputed from scratch (`training.progress`), never patched, so a refresh repairs anything.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

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

# A moment every row's `valid_until` is after: what "stale" is set to.
STALE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
UPDATED_FIELDS = [
    "cohort",
    "trainee",
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


def progress_refresh(*, cohort: Cohort, memberships=None, now: datetime.datetime | None = None) -> int:
    """Compute and store the progress of these trainee memberships (every one of the cohort's when None)."""
    now = now or timezone.now()
    memberships = list(_trainee_memberships(cohort.pk) if memberships is None else memberships)
    if not memberships:
        return 0
    results = cohort_progress(cohort=cohort, memberships=memberships, now=now)
    ProgressRecord.objects.bulk_create(
        [_record(membership, cohort.pk, results[membership.pk], now) for membership in memberships],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["membership"],
        update_fields=UPDATED_FIELDS,
    )
    return len(memberships)


def progress_refresh_due(*, cohort: Cohort, now: datetime.datetime | None = None) -> int:
    """Recompute the cohort's rows that are stale or past their `valid_until`: one query when none is."""
    now = now or timezone.now()
    due = list(
        _trainee_memberships(cohort.pk).filter(
            pk__in=ProgressRecord.objects.filter(cohort=cohort, valid_until__lte=now).values("membership_id")
        )
    )
    return progress_refresh(cohort=cohort, memberships=due, now=now) if due else 0


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
    rows.exclude(valid_until=STALE).update(valid_until=STALE)
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


def _trainee_changed(cohort_id: int | None, trainee_id: int) -> None:
    if cohort_id is None:
        return
    progress_mark_stale(cohort_ids=[cohort_id], trainee_ids=[trainee_id])

    def refresh_after_commit():
        # A reader would recompute the row anyway; doing it now spares the coordinator's next look.
        cohort = Cohort.objects.select_related("programme").filter(pk=cohort_id).first()
        if cohort is not None:
            progress_refresh(cohort=cohort, memberships=_trainee_memberships(cohort_id).filter(user_id=trainee_id))

    transaction.on_commit(refresh_after_commit, robust=True)


def _cohort_changed(*cohort_ids: int | None) -> None:
    progress_mark_stale(cohort_ids=cohort_ids)


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
        _cohort_changed(instance.cohort_id)

    def cohort(sender, instance, created=False, **kwargs):
        if not created:
            _cohort_changed(instance.pk)

    def programme(sender, instance, created=False, **kwargs):
        if not created:
            _cohort_changed(*Cohort.objects.filter(programme=instance).values_list("pk", flat=True))

    def participants(sender, instance, action, pk_set=None, **kwargs):
        # From either side the items are the cohort's: a membership is named only on its own cohort's items.
        if action.startswith("post_") or action == "pre_clear":
            _cohort_changed(instance.cohort_id)

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
