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


def workshop(cohort: Cohort, coordinator, *, title_en: str, starts_at, ends_at, title: str = "集中研修"):
    """A workshop on the cohort's schedule, made by its coordinator through the service."""
    from training.services import schedule_item_create

    return schedule_item_create(
        cohort=cohort,
        acting_user=coordinator,
        data={
            "kind": "workshop",
            "title": title,
            "title_en": title_en,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "location": "上海市教育会堂",
        },
    )


def pdf_upload(name="plan.pdf", size=200):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def training_world(world):
    """One of everything in world.cohort, made through the services once per world and kept on it."""
    cached = world.__dict__.get("_training")
    if cached is not None:
        return cached
    from types import SimpleNamespace

    from training import services
    from training.models import CalendarFeed, Certificate, EnrolmentImport, MembershipStatus

    now = timezone.now()
    cohort, coordinator = world.cohort, world.coordinator
    item = services.schedule_item_create(
        cohort=cohort,
        acting_user=coordinator,
        data={
            "kind": "workshop",
            "title": "第一次集中研修",
            "title_en": "First workshop",
            "starts_at": now - datetime.timedelta(hours=1),
            "ends_at": now + datetime.timedelta(hours=2),
            "location": "上海市教育会堂",
            "audience": "cohort",
            "required": True,
            "credit_hours": 3,
        },
    )
    assignment = services.assignment_create(
        cohort=cohort,
        acting_user=coordinator,
        data={
            "kind": "reflection",
            "title": "跟岗反思",
            "due_at": now + datetime.timedelta(days=7),
            "reviewer": "mentor",
        },
    )
    open_assignment = services.assignment_create(
        cohort=cohort,
        acting_user=coordinator,
        data={
            "kind": "action_plan",
            "title": "行动计划",
            "due_at": now + datetime.timedelta(days=14),
            "reviewer": "coordinator",
        },
    )
    submission = services.submission_create(
        assignment=assignment, acting_user=world.trainee, text="我的反思。", files=[pdf_upload()]
    )
    trainee_membership = CohortMembership.objects.get(cohort=cohort, user=world.trainee, role="trainee")
    certificate = Certificate.objects.create(
        membership=trainee_membership,
        holder_name=world.trainee.get_full_name(),
        programme_title=cohort.programme.title,
        programme_title_en=cohort.programme.title_en,
        cohort_name=cohort.name,
        cohort_name_en=cohort.name_en,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        hours=60,
        home_region=world.region_b.name,
        issued_by=coordinator,
    )
    from tests.factories.accounts import make_user

    applicant = make_user(email="applicant@example.com", display_name="申请人", region=world.region_a)
    application = add_member(cohort, applicant, "trainee", status=MembershipStatus.APPLIED)
    invitation = services.invitation_create(
        cohort=cohort,
        acting_user=coordinator,
        email="invitee@example.com",
        display_name="受邀人",
        role="trainee",
        region=world.region_b,
    )
    record = EnrolmentImport.objects.create(
        cohort=cohort, uploaded_by=coordinator, filename="people.csv", status=EnrolmentImport.Status.DONE
    )
    feed = CalendarFeed.objects.create(user=world.trainee)
    world._training = SimpleNamespace(
        item=item,
        assignment=assignment,
        open_assignment=open_assignment,
        submission=submission,
        file=submission.files.get(),
        certificate=certificate,
        trainee_membership=trainee_membership,
        application=application,
        invitation=invitation,
        record=record,
        feed=feed,
    )
    return world._training
