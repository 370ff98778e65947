import datetime

import factory
from django.utils import timezone

from training.models import Cohort, CohortMembership, CohortRegion, CohortStatus, Programme, ProgrammeKind


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"P{n}")
    title = factory.Sequence(lambda n: f"影子校长项目{n}")
    title_en = factory.Sequence(lambda n: f"Shadow principal programme {n}")
    kind = ProgrammeKind.SHADOW_PRINCIPAL
    credit_hours = 60
    required_sessions = 2
    required_assignments = 1
    min_mentoring_hours = 10


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"第{n}期")
    name_en = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    status = CohortStatus.ACTIVE
    capacity = 40


def add_member(cohort: Cohort, user, role: str, *, status=CohortMembership.Status.ACTIVE, region=None):
    region = region or getattr(getattr(user, "profile", None), "region", None)
    if region is not None:
        CohortRegion.objects.get_or_create(cohort=cohort, region=region, defaults={"quota": 10})
    return CohortMembership.objects.create(cohort=cohort, user=user, role=role, status=status, region=region)
