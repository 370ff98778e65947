"""Bulk data for benchmarks: N trainees with mentors and schools in proportion."""

import datetime
import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Profile, School, SchoolType, Stage, Subject, User
from training.models import Cohort, CohortMembership, CohortRegion, CohortStatus, MembershipRole, MembershipStatus

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
    User.objects.bulk_create(
        [
            User(
                email=f"{role}{index}.s{scale}@scale.yingzi.example",
                display_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                password=password,
            )
            for role, index in people
        ],
        batch_size=2000,
    )
    users = {user.email: user for user in User.objects.filter(email__endswith=f".s{scale}@scale.yingzi.example")}
    subjects = [Subject.LEADERSHIP, Subject.CHINESE, Subject.MATHEMATICS, Subject.ENGLISH, Subject.SCIENCE]
    profiles, memberships = [], []
    for role, index in people:
        user = users[f"{role}{index}.s{scale}@scale.yingzi.example"]
        school = schools[rng.randrange(len(schools))]
        profiles.append(
            Profile(
                user=user,
                region=school.region,
                school=school,
                title="校长" if role == "mentor" else "副校长",
                subjects=[str(rng.choice(subjects))],
                stages=[str(school.stage)],
                years_of_experience=rng.randint(20, 35) if role == "mentor" else rng.randint(5, 20),
            )
        )
        memberships.append(
            CohortMembership(
                cohort=cohort,
                user=user,
                role=MembershipRole.TRAINEE if role == "trainee" else MembershipRole.MENTOR,
                status=MembershipStatus.ACTIVE,
                region=school.region,
            )
        )
    Profile.objects.bulk_create(profiles, batch_size=2000)
    # Verified addresses, so that scaled people can sign in where verification
    # is mandatory (the bench's load test signs them in with production settings).
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users.values()],
        batch_size=2000,
    )
    coordinator = User.objects.get(email=ACCOUNTS["coordinator"][0])
    memberships.append(
        CohortMembership(
            cohort=cohort, user=coordinator, role=MembershipRole.COORDINATOR, status=MembershipStatus.ACTIVE
        )
    )
    CohortMembership.objects.bulk_create(memberships, batch_size=2000)
    trainee_ids = [users[f"trainee{index}.s{scale}@scale.yingzi.example"].pk for index in range(scale)]
    seed_scale_plan(cohort=cohort, trainee_ids=trainee_ids, schools=schools, coordinator=coordinator, rng=rng)
    return scale


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_scale_plan(*, cohort, trainee_ids: list[int], schools: list, coordinator, rng) -> None:
    """A schedule, attendance, assignments, submissions and ledger lines in proportion, all in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import OuterRef, Subquery

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
    attendance = []
    for item in items:
        if item.ends_at >= timezone.now():
            continue
        for day in item.days:
            for trainee_id in trainee_ids:
                if rng.random() < 0.9:
                    attendance.append(
                        Attendance(
                            schedule_item=item, trainee_id=trainee_id, day=day, method="coordinator", credited=True
                        )
                    )
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    attendance_type = ContentType.objects.get_for_model(Attendance)
    hours_of = {item.pk: item.credit_hours for item in items}
    ledger = [
        HoursEntry(
            trainee_id=trainee_id,
            cohort=cohort,
            source=HoursSource.ATTENDANCE,
            hours=hours_of[item_id],
            occurred_on=day,
            source_type=attendance_type,
            source_id=pk,
        )
        for pk, item_id, trainee_id, day in Attendance.objects.filter(schedule_item__cohort=cohort).values_list(
            "pk", "schedule_item_id", "trainee_id", "day"
        )
    ]
    HoursEntry.objects.bulk_create(ledger, batch_size=5000)
    Attendance.objects.filter(schedule_item__cohort=cohort).update(
        hours_entry=Subquery(
            HoursEntry.objects.filter(source_type=attendance_type, source_id=OuterRef("pk")).values("pk")[:1]
        )
    )

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
    submissions = []
    for assignment in Assignment.objects.filter(cohort=cohort, due_at__lt=now):
        for trainee_id in trainee_ids:
            roll = rng.random()
            if roll < 0.85:
                status = "accepted"
            elif roll < 0.9:
                status = "submitted"
            else:
                continue
            submissions.append(
                Submission(
                    assignment=assignment,
                    trainee_id=trainee_id,
                    text="规模测试提交",
                    status=status,
                    submitted_at=assignment.due_at - datetime.timedelta(days=1),
                    reviewed_by=coordinator if status == "accepted" else None,
                    reviewed_at=assignment.due_at + datetime.timedelta(days=2) if status == "accepted" else None,
                )
            )
    Submission.objects.bulk_create(submissions, batch_size=5000)
    submission_type = ContentType.objects.get_for_model(Submission)
    HoursEntry.objects.bulk_create(
        [
            HoursEntry(
                trainee_id=trainee_id,
                cohort=cohort,
                source=HoursSource.ASSIGNMENT,
                hours=hours,
                occurred_on=timezone.localdate(reviewed_at),
                source_type=submission_type,
                source_id=pk,
            )
            for pk, trainee_id, hours, reviewed_at in Submission.objects.filter(
                assignment__cohort=cohort, status="accepted"
            ).values_list("pk", "trainee_id", "assignment__credit_hours", "reviewed_at")
        ],
        batch_size=5000,
    )
    # Confirmed mentoring hours: most trainees recently, one in ten not for a month (at risk).
    mentoring = []
    for trainee_id in trainee_ids:
        quiet = rng.random() < 0.1
        for _ in range(rng.randint(1, 5)):
            days_ago = rng.randint(25, 44) if quiet else rng.randint(1, 40)
            mentoring.append(
                HoursEntry(
                    trainee_id=trainee_id,
                    cohort=cohort,
                    source=HoursSource.MENTORING,
                    hours=rng.choice([2, 3, 4]),
                    occurred_on=today - datetime.timedelta(days=days_ago),
                    note="规模测试",
                )
            )
    HoursEntry.objects.bulk_create(mentoring, batch_size=5000)
