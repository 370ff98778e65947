"""A programme, a cohort and the demo people's places in it."""

import datetime
from decimal import Decimal

from django.utils import timezone

from training.models import Cohort, CohortMembership, CohortRegion, CohortStatus, Programme, ProgrammeKind

ROLE_OF_ACCOUNT = {"trainee": "trainee", "mentor": "mentor", "coordinator": "coordinator"}


def seed_programmes() -> dict:
    principal, _ = Programme.objects.update_or_create(
        code="YRD-SP",
        defaults={
            "title": "长三角影子校长研修项目",
            "title_en": "Yangtze River Delta Shadow Principal Programme",
            "kind": ProgrammeKind.SHADOW_PRINCIPAL,
            "credit_hours": Decimal("120"),
            "required_sessions": 4,
            "required_assignments": 2,
            "min_mentoring_hours": Decimal("40"),
        },
    )
    teacher, _ = Programme.objects.update_or_create(
        code="YRD-ST",
        defaults={
            "title": "长三角影子教师研修项目",
            "title_en": "Yangtze River Delta Shadow Teacher Programme",
            "kind": ProgrammeKind.SHADOW_TEACHER,
            "credit_hours": Decimal("72"),
            "required_sessions": 3,
            "required_assignments": 2,
            "min_mentoring_hours": Decimal("24"),
        },
    )
    return {"principal": principal, "teacher": teacher}


def seed_cohort(*, programmes: dict, regions: dict, users: dict) -> Cohort:
    today = timezone.localdate()
    cohort, _ = Cohort.objects.update_or_create(
        programme=programmes["principal"],
        name=f"{today.year}年秋季影子校长班",
        defaults={
            "name_en": f"Autumn {today.year} shadow principal cohort",
            "starts_on": today - datetime.timedelta(days=30),
            "ends_on": today + datetime.timedelta(days=120),
            "status": CohortStatus.ACTIVE,
            "capacity": 60,
        },
    )
    for code, region in regions.items():
        CohortRegion.objects.update_or_create(
            cohort=cohort, region=region, defaults={"quota": 15 if code != "sh" else 20}
        )
    for account, role in ROLE_OF_ACCOUNT.items():
        user = users[account]
        CohortMembership.objects.update_or_create(
            cohort=cohort,
            user=user,
            role=role,
            defaults={"status": CohortMembership.Status.ACTIVE, "region": user.profile.region},
        )
    return cohort
