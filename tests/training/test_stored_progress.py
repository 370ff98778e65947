"""Stored progress (the overview's rows) equals progress computed from scratch, after every kind of change."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.training import CohortFactory, ProgrammeFactory, add_member
from training.models import (
    Assignment,
    Attendance,
    Cohort,
    CohortMembership,
    HoursEntry,
    HoursSource,
    ProgressRecord,
    ScheduleItem,
    Submission,
)
from training.overview import overview_invalidate
from training.progress import cohort_progress
from training.selectors import cohort_overview
from training.services import hours_correct, hours_credit, membership_change
from training.stored_progress import STALE, hours_of, progress_refresh_due

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def figures_of(progress) -> tuple:
    return (
        progress.sessions_attended,
        progress.assignments_accepted,
        progress.mentoring_hours,
        progress.total_hours,
        {source: Decimal(hours) for source, hours in progress.hours_by_source.items() if hours},
        progress.last_mentoring_on,
        progress.percent,
        progress.flag_facts,
    )


def stored_figures(record: ProgressRecord) -> tuple:
    return (
        record.sessions_attended,
        record.assignments_accepted,
        record.mentoring_hours,
        record.total_hours,
        {source: hours for source, hours in hours_of(record).items() if hours},
        record.last_mentoring_on,
        record.percent,
        record.flags,
    )


def assert_stored_is_fresh(cohort: Cohort, now=None) -> None:
    """What a reader sees (stale rows recomputed first) is what a computation from scratch gives."""
    now = now or timezone.now()
    progress_refresh_due(cohort=Cohort.objects.select_related("programme").get(pk=cohort.pk), now=now)
    cohort = Cohort.objects.select_related("programme").get(pk=cohort.pk)
    memberships = list(CohortMembership.objects.filter(cohort=cohort, role="trainee"))
    expected = cohort_progress(cohort=cohort, memberships=memberships, now=now)
    stored = ProgressRecord.objects.in_bulk([membership.pk for membership in memberships])
    for membership in memberships:
        assert stored_figures(stored[membership.pk]) == figures_of(expected[membership.pk]), membership


@pytest.fixture
def scene(world):
    """A cohort two months in with three trainees and rules that all count."""
    programme = ProgrammeFactory(required_sessions=2, required_assignments=1, min_mentoring_hours=10, credit_hours=30)
    today = timezone.localdate()
    cohort = CohortFactory(programme=programme, starts_on=today - 60 * DAY, ends_on=today + 60 * DAY)
    trainees = [world.trainee] + [make_user(display_name=f"学员{n}", region=world.region_b) for n in range(2)]
    memberships = [add_member(cohort, trainee, "trainee") for trainee in trainees]
    add_member(cohort, world.coordinator, "coordinator")
    return cohort, trainees, memberships


def required_item(cohort, *, ends_at, **fields):
    return ScheduleItem.objects.create(
        cohort=cohort,
        kind="workshop",
        title="研修",
        starts_at=ends_at - 3 * HOUR,
        ends_at=ends_at,
        location="会堂",
        required=True,
        credit_hours=3,
        **fields,
    )


def test_every_trainee_gets_a_row_when_they_join(world, scene):
    cohort, _trainees, memberships = scene
    assert ProgressRecord.objects.filter(membership__in=memberships).count() == 3
    assert_stored_is_fresh(cohort)


def test_credited_and_corrected_hours_reach_only_that_trainees_row(world, scene):
    cohort, trainees, memberships = scene
    assert_stored_is_fresh(cohort)
    entry = hours_credit(
        trainee=trainees[0],
        hours=Decimal("4"),
        source=HoursSource.MENTORING,
        occurred_on=timezone.localdate(),
        source_object=memberships[1],
        cohort=cohort,
    )
    stale = set(ProgressRecord.objects.filter(cohort=cohort, valid_until=STALE).values_list("trainee_id", flat=True))
    assert stale == {trainees[0].pk}  # the others are not recomputed
    assert_stored_is_fresh(cohort)
    hours_correct(entry=entry, hours=Decimal("-1.5"), acting_user=world.coordinator, note="多记")
    assert_stored_is_fresh(cohort)
    assert ProgressRecord.objects.get(membership=memberships[0]).mentoring_hours == Decimal("2.5")


def test_the_row_is_recomputed_as_the_write_commits(world, scene, django_capture_on_commit_callbacks):
    cohort, trainees, memberships = scene
    with django_capture_on_commit_callbacks(execute=True):
        hours_credit(
            trainee=trainees[1],
            hours=Decimal("2"),
            source=HoursSource.MENTORING,
            occurred_on=timezone.localdate(),
            source_object=memberships[0],
            cohort=cohort,
        )
    record = ProgressRecord.objects.get(membership=memberships[1])
    assert record.valid_until > timezone.now() and record.total_hours == Decimal("2")


def test_attendance_and_accepted_work_count(world, scene):
    cohort, trainees, _memberships = scene
    item = required_item(cohort, ends_at=timezone.now() - 2 * DAY)
    assert_stored_is_fresh(cohort)  # everyone missed it
    Attendance.objects.create(schedule_item=item, trainee=trainees[0], day=item.days[0], present=True, method="qr")
    assert_stored_is_fresh(cohort)
    assignment = Assignment.objects.create(
        cohort=cohort, kind="reflection", title="反思", due_at=timezone.now() - 20 * DAY, reviewer="coordinator"
    )
    assert_stored_is_fresh(cohort)  # overdue for everyone
    submission = Submission.objects.create(assignment=assignment, trainee=trainees[1], status="submitted")
    assert_stored_is_fresh(cohort)
    submission.status = "accepted"
    submission.save()
    assert_stored_is_fresh(cohort)
    assert ProgressRecord.objects.get(trainee=trainees[1], cohort=cohort).assignments_accepted == 1


def test_schedule_changes_that_alter_what_is_required_reach_every_row(world, scene):
    cohort, trainees, memberships = scene
    item = required_item(cohort, ends_at=timezone.now() - DAY)
    assert_stored_is_fresh(cohort)
    item.required = False
    item.save()
    assert_stored_is_fresh(cohort)
    item.required = True
    item.audience = "named"
    item.save()
    item.participants.add(memberships[2])
    assert_stored_is_fresh(cohort)
    item.participants.remove(memberships[2])
    assert_stored_is_fresh(cohort)
    item.delete()
    assert_stored_is_fresh(cohort)


def test_rule_and_risk_settings_reach_every_row(world, scene):
    cohort, trainees, _memberships = scene
    cohort.programme.required_sessions = 0
    cohort.programme.min_mentoring_hours = 0
    cohort.programme.save()
    assert_stored_is_fresh(cohort)
    cohort.risk_pace_margin = 100
    cohort.starts_on = timezone.localdate() - 5 * DAY
    cohort.save()
    assert_stored_is_fresh(cohort)


def test_membership_changes_reach_the_row(world, scene):
    cohort, trainees, memberships = scene
    membership_change(membership=memberships[0], acting_user=world.coordinator, status="withdrawn")
    assert_stored_is_fresh(cohort)
    assert ProgressRecord.objects.get(membership=memberships[0]).flags == []  # withdrawn trainees carry no flags
    memberships[1].delete()
    assert not ProgressRecord.objects.filter(membership_id=memberships[1].pk).exists()
    assert_stored_is_fresh(cohort)


def test_bulk_writes_reach_the_rows_through_overview_invalidate(world, scene):
    cohort, trainees, _memberships = scene
    newcomer = make_user(display_name="批量学员", region=world.region_b)
    CohortMembership.objects.bulk_create([CohortMembership(cohort=cohort, user=newcomer, role="trainee")])
    HoursEntry.objects.bulk_create(
        [
            HoursEntry(trainee=trainee, cohort=cohort, source="mentoring", hours=5, occurred_on=timezone.localdate())
            for trainee in [*trainees, newcomer]
        ]
    )
    overview_invalidate(cohort.pk)
    assert ProgressRecord.objects.filter(cohort=cohort).count() == 4
    assert_stored_is_fresh(cohort)


def test_the_clock_makes_a_row_stale_when_a_session_ends_or_work_falls_overdue(world, scene):
    cohort, _trainees, _memberships = scene
    now = timezone.now()
    required_item(cohort, ends_at=now + 2 * HOUR)
    Assignment.objects.create(
        cohort=cohort, kind="reflection", title="反思", due_at=now - 6 * DAY - HOUR, reviewer="coordinator"
    )
    assert_stored_is_fresh(cohort, now)
    # No write in between: the session ends unattended, the assignment passes its grace (7 days), a day turns.
    for later in (now + 3 * HOUR, now + DAY, now + 2 * DAY + 5 * HOUR):
        assert_stored_is_fresh(cohort, later)
    codes = {fact["code"] for fact in ProgressRecord.objects.filter(cohort=cohort).first().flags}
    assert {"missed_session", "overdue_assignment"} <= codes


def test_rebuild_repairs_rows_that_are_wrong_without_being_marked(world, scene):
    cohort, _trainees, memberships = scene
    assert_stored_is_fresh(cohort)
    ProgressRecord.objects.filter(cohort=cohort).update(total_hours=999, percent=99)
    call_command("progress_rebuild", "--cohort", str(cohort.pk), verbosity=0)
    assert_stored_is_fresh(cohort)


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["credit", "correct", "attend", "submit", "accept", "item", "unrequire", "assignment", "status", "rules"]
        ),
        st.integers(0, 2),
        st.integers(-30, 30),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_any_sequence_of_changes_leaves_the_stored_rows_equal_to_a_fresh_computation(world, operations):
    programme = ProgrammeFactory(required_sessions=2, required_assignments=1, min_mentoring_hours=10, credit_hours=30)
    today = timezone.localdate()
    cohort = CohortFactory(programme=programme, starts_on=today - 40 * DAY, ends_on=today + 40 * DAY)
    trainees = [make_user(region=world.region_b) for _ in range(3)]
    memberships = [add_member(cohort, trainee, "trainee") for trainee in trainees]
    now = timezone.now()
    for operation, who, offset in operations:
        trainee = trainees[who]
        items = list(ScheduleItem.objects.filter(cohort=cohort))
        assignments = list(Assignment.objects.filter(cohort=cohort))
        if operation == "credit":
            HoursEntry.objects.create(
                trainee=trainee, cohort=cohort, source="mentoring", hours=2, occurred_on=today + offset // 3 * DAY
            )
        elif operation == "correct":
            entry = HoursEntry.objects.filter(cohort=cohort, trainee=trainee, corrects=None).first()
            if entry:
                HoursEntry.objects.create(
                    trainee=trainee, cohort=cohort, source="correction", hours=-1, occurred_on=today, corrects=entry
                )
        elif operation == "attend" and items:
            item = items[offset % len(items)]
            Attendance.objects.get_or_create(
                schedule_item=item, trainee=trainee, day=item.days[0], defaults={"present": True, "method": "qr"}
            )
        elif operation in ("submit", "accept") and assignments:
            Submission.objects.update_or_create(
                assignment=assignments[offset % len(assignments)],
                trainee=trainee,
                defaults={"status": "submitted" if operation == "submit" else "accepted"},
            )
        elif operation == "item":
            required_item(cohort, ends_at=now + offset * DAY)
        elif operation == "unrequire" and items:
            item = items[offset % len(items)]
            item.required = not item.required
            item.save()
        elif operation == "assignment":
            Assignment.objects.create(
                cohort=cohort, kind="reflection", title="反思", due_at=now + offset * DAY, reviewer="coordinator"
            )
        elif operation == "status":
            membership = memberships[who]
            membership.status = "completed" if membership.status == "active" else "active"
            membership.save()
        elif operation == "rules":
            programme.required_sessions = abs(offset) % 4
            programme.save()
        assert_stored_is_fresh(cohort, now)
    assert_stored_is_fresh(cohort, now + 3 * DAY)


# --- the overview's orders, as the Python sort of the computed entries gave them ---------------------------

OLD_SORTS = {
    "name": lambda row: (row["name"],),
    "region": lambda row: (row["region_order"], row["name"]),
    "school": lambda row: (row["school"] or "~", row["name"]),
    "progress": lambda row: (row["percent"], row["name"]),
    "hours": lambda row: (row["hours"], row["name"]),
    "flags": lambda row: (-row["flags"], row["name"]),
}


@pytest.fixture
def varied(world):
    """Trainees differing in name, region, school, progress, hours and flags (names chosen to be distinct)."""
    cohort = world.cohort
    cohort.starts_on = timezone.localdate() - 30 * DAY
    cohort.save()
    school_a, school_b = SchoolFactory(region=world.region_a, name="甲校"), SchoolFactory(region=world.region_b)
    people = [
        ("Zhao", world.region_a, school_a, 12, "active"),
        ("王五", world.region_b, school_b, 3, "active"),
        ("李四", world.region_a, None, 30, "accepted"),
        ("Abel", None, school_b, 0, "active"),
        ("张三", world.region_b, school_a, 7, "completed"),
        ("钱七", world.region_b, school_b, 12, "withdrawn"),
    ]
    for name, region, school, hours, status in people:
        user = make_user(display_name=name, region=region, school=school)
        add_member(cohort, user, "trainee", status=status, region=region)
        if hours:
            HoursEntry.objects.create(
                trainee=user, cohort=cohort, source="mentoring", hours=hours, occurred_on=timezone.localdate()
            )
    return cohort


def expected_order(cohort, *, sort, descending, flagged=False, status="", region_id=None, query=""):
    memberships = list(
        CohortMembership.objects.filter(cohort=cohort, role="trainee").select_related("user__profile__school", "region")
    )
    progress = cohort_progress(cohort=cohort, memberships=memberships)
    rows = []
    for membership in memberships:
        if status and membership.status != status:
            continue
        if not status and membership.status in ("withdrawn", "applied"):
            continue
        if region_id and membership.region_id != region_id:
            continue
        name = membership.user.get_full_name()
        if query and query.casefold() not in name.casefold() and query.casefold() not in membership.user.email:
            continue
        flags = len(progress[membership.pk].flags)
        if flagged and not flags:
            continue
        school = membership.user.profile.school
        rows.append(
            {
                "name": name,
                "region_order": membership.region.sort_order if membership.region else 99,
                "school": school.name if school else "",
                "percent": progress[membership.pk].percent,
                "hours": progress[membership.pk].total_hours,
                "flags": flags,
            }
        )
    rows.sort(key=OLD_SORTS[sort], reverse=descending)
    return [row["name"] for row in rows]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", list(OLD_SORTS))
def test_each_sort_orders_the_rows_as_before(world, varied, sort, descending):
    names = [
        row.membership.user.get_full_name()
        for row in cohort_overview(acting_user=world.coordinator, cohort=varied, sort=sort, descending=descending)
    ]
    assert names == expected_order(varied, sort=sort, descending=descending)


@pytest.mark.parametrize(
    "filters",
    [
        {"flagged": True},
        {"status": "withdrawn"},
        {"status": "completed"},
        {"query": "王"},
        {"query": "zha"},
        {"region_id": "b"},
    ],
)
def test_each_filter_keeps_the_rows_it_kept_before(world, varied, filters):
    if filters.get("region_id") == "b":
        filters = {"region_id": world.region_b.pk}
    names = [
        row.membership.user.get_full_name()
        for row in cohort_overview(acting_user=world.coordinator, cohort=varied, sort="hours", **filters)
    ]
    assert names == expected_order(varied, sort="hours", descending=False, **filters)
    assert names  # each filter keeps someone


def test_a_regional_admin_pages_only_their_regions_rows(world, varied):
    names = [
        row.membership.user.get_full_name() for row in cohort_overview(acting_user=world.regional_admin, cohort=varied)
    ]
    assert names == expected_order(varied, sort="name", descending=False, region_id=world.region_b.pk)
    assert "Zhao" not in names and "李四" not in names  # Shanghai's
