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
    return scale
