"""Bulk data for benchmarks: N trainees with mentors and schools in proportion."""

import datetime
import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Profile, School, SchoolType, Stage, Subject, User
from training.models import Cohort, CohortMembership, CohortRegion, CohortStatus, MembershipRole, MembershipStatus

from .bulk import copy_rows, reserve_ids
from .people import ACCOUNTS, DEMO_PASSWORD

TRAINEES_PER_MENTOR = 3
TRAINEES_PER_SCHOOL = 10
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["晓雯", "建华", "海燕", "志强", "丽娟", "国平", "文静", "伟", "敏", "磊", "婷", "俊杰"]


def seed_scale(*, scale: int, regions: dict, programme) -> int:
    """Add one cohort of `scale` trainees; repeated runs reuse it."""
    name = f"规模测试班 {scale}"
    if Cohort.objects.filter(name=name).exists():
        return 0
    rng = random.Random(scale)  # noqa: S311 -- demo data, not security
    region_list = list(regions.values())
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        programme=programme,
        name=name,
        name_en=f"Scale test cohort {scale}",
        starts_on=today - datetime.timedelta(days=45),
        ends_on=today + datetime.timedelta(days=120),
        status=CohortStatus.ACTIVE,
        capacity=scale,
    )
    CohortRegion.objects.bulk_create(
        [CohortRegion(cohort=cohort, region=region, quota=scale // len(region_list) + 1) for region in region_list]
    )
    stages = [Stage.PRIMARY, Stage.JUNIOR_SECONDARY, Stage.SENIOR_SECONDARY, Stage.NINE_YEAR]
    school_count = max(len(region_list), scale // TRAINEES_PER_SCHOOL)
    School.objects.bulk_create(
        [
            School(
                name=f"规模测试学校 {scale}-{index}",
                name_en=f"Scale test school {scale}-{index}",
                region=region_list[index % len(region_list)],
                stage=stages[index % len(stages)],
                school_type=SchoolType.PUBLIC,
            )
            for index in range(school_count)
        ],
        batch_size=1000,
    )
    schools = list(School.objects.filter(name__startswith=f"规模测试学校 {scale}-"))
    password = make_password(DEMO_PASSWORD)
    mentor_count = max(1, scale // TRAINEES_PER_MENTOR)
    people = [("trainee", index) for index in range(scale)] + [("mentor", index) for index in range(mentor_count)]
    domain = f".s{scale}@scale.yingzi.example"
    copy_rows(
        User,
        ["email", "display_name", "password"],
        ((f"{role}{index}{domain}", rng.choice(SURNAMES) + rng.choice(GIVEN), password) for role, index in people),
    )
    users = dict(User.objects.filter(email__endswith=domain).values_list("email", "pk"))
    subjects = [Subject.LEADERSHIP, Subject.CHINESE, Subject.MATHEMATICS, Subject.ENGLISH, Subject.SCIENCE]
    profiles, memberships = [], []
    for role, index in people:
        user_id = users[f"{role}{index}{domain}"]
        school = schools[rng.randrange(len(schools))]
        mentor = role == "mentor"
        profiles.append(
            (
                user_id,
                school.region_id,
                school.pk,
                "校长" if mentor else "副校长",
                [str(rng.choice(subjects))],
                [str(school.stage)],
                rng.randint(20, 35) if mentor else rng.randint(5, 20),
            )
        )
        role_value = MembershipRole.MENTOR if mentor else MembershipRole.TRAINEE
        memberships.append((cohort.pk, user_id, role_value, MembershipStatus.ACTIVE, school.region_id))
    copy_rows(Profile, ["user", "region", "school", "title", "subjects", "stages", "years_of_experience"], profiles)
    # Verified addresses, so that scaled people can sign in where verification
    # is mandatory (the bench's load test signs them in with production settings).
    copy_rows(
        EmailAddress,
        ["user", "email", "verified", "primary"],
        ((user_id, email, True, True) for email, user_id in users.items()),
    )
    coordinator = User.objects.get(email=ACCOUNTS["coordinator"][0])
    memberships.append((cohort.pk, coordinator.pk, MembershipRole.COORDINATOR, MembershipStatus.ACTIVE, None))
    copy_rows(CohortMembership, ["cohort", "user", "role", "status", "region"], memberships)
    trainee_ids = [users[f"trainee{index}{domain}"] for index in range(scale)]
    seed_scale_plan(cohort=cohort, trainee_ids=trainee_ids, schools=schools, coordinator=coordinator, rng=rng)
    return scale


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_scale_plan(*, cohort, trainee_ids: list[int], schools: list, coordinator, rng) -> None:
    """A schedule, attendance, assignments, submissions and ledger lines in proportion, all in bulk."""
    from django.contrib.contenttypes.models import ContentType

    from training.models import (
        Assignment,
        Attendance,
        HoursEntry,
        HoursSource,
        ScheduleItem,
        Submission,
    )

    today = timezone.localdate()
    host = schools[0]
    plan = [
        ("workshop", -40, 1, True, "6"),
        ("remote_lesson", -33, 1, True, "2"),
        ("shadowing_block", -26, 5, True, "6"),
        ("workshop", -12, 1, True, "6"),
        ("forum", -5, 1, False, "4"),
        ("workshop", 2, 1, True, "6"),
        ("shadowing_block", 16, 5, True, "6"),
        ("forum", 45, 2, False, "6"),
    ]
    items = ScheduleItem.objects.bulk_create(
        [
            ScheduleItem(
                cohort=cohort,
                kind=kind,
                title=f"规模测试日程 {index + 1}",
                title_en=f"Scale test item {index + 1}",
                starts_at=_at(today + datetime.timedelta(days=offset), 9),
                ends_at=_at(today + datetime.timedelta(days=offset + days - 1), 17),
                location="规模测试会场",
                host_school=host if kind == "shadowing_block" else None,
                required=required,
                credit_hours=hours,
                created_by=coordinator,
            )
            for index, (kind, offset, days, required, hours) in enumerate(plan)
        ]
    )
    items = list(ScheduleItem.objects.filter(cohort=cohort).order_by("starts_at"))
    # Each attendance and its ledger line are written with keys taken beforehand, so that each names the other.
    attended = [
        (item, day, trainee_id)
        for item in items
        if item.ends_at < timezone.now()
        for day in item.days
        for trainee_id in trainee_ids
        if rng.random() < 0.9
    ]
    attendance_ids = reserve_ids(Attendance, len(attended))
    entry_ids = reserve_ids(HoursEntry, len(attended))
    attendance_type = ContentType.objects.get_for_model(Attendance)
    copy_rows(
        HoursEntry,
        ["id", "trainee", "cohort", "source", "hours", "occurred_on", "source_type", "source_id"],
        (
            (entry_id, trainee_id, cohort.pk, HoursSource.ATTENDANCE, item.credit_hours, day, attendance_type.pk, pk)
            for entry_id, pk, (item, day, trainee_id) in zip(entry_ids, attendance_ids, attended, strict=True)
        ),
    )
    copy_rows(
        Attendance,
        ["id", "schedule_item", "trainee", "day", "method", "credited", "hours_entry"],
        (
            (pk, item.pk, trainee_id, day, "coordinator", True, entry_id)
            for entry_id, pk, (item, day, trainee_id) in zip(entry_ids, attendance_ids, attended, strict=True)
        ),
    )
    del attended

    now = timezone.now()
    Assignment.objects.bulk_create(
        [
            Assignment(
                cohort=cohort,
                kind=kind,
                title=f"规模测试作业 {index + 1}",
                due_at=now + datetime.timedelta(days=offset),
                reviewer=reviewer,
                required=required,
                credit_hours=hours,
                created_by=coordinator,
            )
            for index, (kind, offset, reviewer, required, hours) in enumerate(
                [
                    ("reflection", -25, "mentor", True, "4"),
                    ("action_plan", -8, "coordinator", True, "6"),
                    ("case_study", 3, "mentor", True, "4"),
                    ("lesson_study", 40, "mentor", False, "2"),
                ]
            )
        ]
    )
    submitted = []
    for assignment in Assignment.objects.filter(cohort=cohort, due_at__lt=now):
        for trainee_id in trainee_ids:
            roll = rng.random()
            if roll < 0.85:
                submitted.append((assignment, trainee_id, "accepted"))
            elif roll < 0.9:
                submitted.append((assignment, trainee_id, "submitted"))
    submission_ids = reserve_ids(Submission, len(submitted))
    copy_rows(
        Submission,
        ["id", "assignment", "trainee", "text", "status", "submitted_at", "reviewed_by", "reviewed_at"],
        (
            (
                pk,
                assignment.pk,
                trainee_id,
                "规模测试提交",
                status,
                assignment.due_at - datetime.timedelta(days=1),
                coordinator.pk if status == "accepted" else None,
                assignment.due_at + datetime.timedelta(days=2) if status == "accepted" else None,
            )
            for pk, (assignment, trainee_id, status) in zip(submission_ids, submitted, strict=True)
        ),
    )
    submission_type = ContentType.objects.get_for_model(Submission)
    copy_rows(
        HoursEntry,
        ["trainee", "cohort", "source", "hours", "occurred_on", "source_type", "source_id"],
        (
            (
                trainee_id,
                cohort.pk,
                HoursSource.ASSIGNMENT,
                assignment.credit_hours,
                timezone.localdate(assignment.due_at + datetime.timedelta(days=2)),
                submission_type.pk,
                pk,
            )
            for pk, (assignment, trainee_id, status) in zip(submission_ids, submitted, strict=True)
            if status == "accepted"
        ),
    )
    # Confirmed mentoring hours: most trainees recently, one in ten not for a month (at risk).
    mentoring = []
    for trainee_id in trainee_ids:
        quiet = rng.random() < 0.1
        for _ in range(rng.randint(1, 5)):
            days_ago = rng.randint(25, 44) if quiet else rng.randint(1, 40)
            mentoring.append(
                (
                    trainee_id,
                    cohort.pk,
                    HoursSource.MENTORING,
                    rng.choice([2, 3, 4]),
                    today - datetime.timedelta(days=days_ago),
                    "规模测试",
                )
            )
    copy_rows(HoursEntry, ["trainee", "cohort", "source", "hours", "occurred_on", "note"], mentoring)
