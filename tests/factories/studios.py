"""Studios for tests: a leader from outside both cohorts, the mentor as co-leader, the trainee as member."""

import datetime

from django.utils import timezone

from studios.models import Studio, StudioMembership, StudioRole
from tests.factories.accounts import make_user

Status = StudioMembership.Status


def make_studio(*, leader=None, region=None, name="徐汇名师工作室", **fields) -> Studio:
    leader = leader or make_user(display_name="名师丙", region=region)
    studio = Studio.objects.create(name=name, leader=leader, region=region or leader.profile.region, **fields)
    StudioMembership.objects.create(
        studio=studio, person=leader, role=StudioRole.LEADER, status=Status.ACTIVE, decided_at=timezone.now()
    )
    return studio


def add_studio_member(studio, person, *, role=StudioRole.MEMBER, status=Status.ACTIVE) -> StudioMembership:
    return StudioMembership.objects.create(studio=studio, person=person, role=role, status=status)


def studio_world(world):
    """Attach `world.studio` (led by 名师丙 of Shanghai) with the mentor co-leading and the trainee a member."""
    if getattr(world, "studio", None) is None:
        from studios.models import PlannedActivity, StudioPlan

        world.studio_leader = make_user(email="studio-leader@example.com", display_name="名师丙", region=world.region_a)
        world.studio = make_studio(leader=world.studio_leader, region=world.region_a)
        world.studio_co_leader_place = add_studio_member(world.studio, world.mentor, role=StudioRole.CO_LEADER)
        world.studio_member_place = add_studio_member(world.studio, world.trainee)
        world.studio_applicant = make_user(email="studio-applicant@example.com", display_name="申请人丁")
        world.studio_application = add_studio_member(world.studio, world.studio_applicant, status=Status.APPLIED)
        plan = StudioPlan.objects.create(
            studio=world.studio, year=timezone.localdate().year, themes="大单元教学\n作业设计"
        )
        PlannedActivity.objects.create(plan=plan, title="内部备课会", date=datetime.date(plan.year, 3, 1))
        PlannedActivity.objects.create(
            plan=plan, title="跨省同课异构展示", date=datetime.date(plan.year, 4, 1), is_public=True
        )
        resource_world(world)
        discussion_world(world)
    return world


def pdf_file(name="plan.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * 200, content_type="application/pdf")


def make_resource(studio, author, *, title, visibility="studio", consented=True, **fields):
    from studios.models import Resource

    fields.setdefault("kind", "lesson_plan")
    fields.setdefault("link", "https://video.example.com/lesson")
    return Resource.objects.create(
        studio=studio,
        author=author,
        title=title,
        visibility=visibility,
        consented_at=timezone.now() if consented else None,
        **fields,
    )


def accepted_submission(world, *, title):
    from training.models import Assignment, Submission

    assignment = Assignment.objects.create(
        cohort=world.cohort,
        kind="reflection",
        title=title,
        due_at=timezone.now() + datetime.timedelta(days=3),
        reviewer="mentor",
    )
    return Submission.objects.create(
        assignment=assignment, trainee=world.trainee, text="我的教学设计。", status="accepted"
    )


def resource_world(world):
    """One resource of each visibility in the studio, a promoted one waiting for the trainee's consent, and
    an accepted submission of the trainee's the leaders may still promote."""
    leader = world.studio_leader
    world.public_resource = make_resource(
        world.studio, leader, title="公开教案：圆的认识", visibility="public", tags="数学, 大单元"
    )
    world.platform_resource = make_resource(world.studio, leader, title="平台案例：作业分层", visibility="platform")
    world.studio_resource = make_resource(
        world.studio,
        leader,
        title="工作室内部报告",
        visibility="studio",
        file=pdf_file(),
        original_name="报告.pdf",
        content_type="application/pdf",
    )
    world.promoted_resource = make_resource(
        world.studio,
        world.trainee,
        title="示范课教学设计",
        visibility="platform",
        consented=False,
        submission=accepted_submission(world, title="示范课教学设计"),
        promoted_by=world.mentor,
    )
    world.submission_to_promote = accepted_submission(world, title="单元作业设计")
    return world


def discussion_world(world):
    """A thread the trainee started, whose first message carries a file."""
    from studios.models import Post, Thread

    world.thread = Thread.objects.create(studio=world.studio, title="大单元作业怎么设计", author=world.trainee)
    world.post = Post.objects.create(
        thread=world.thread,
        author=world.trainee,
        body="<p>只在工作室里说的话</p>",
        attachment=pdf_file("附件.pdf"),
        attachment_name="附件.pdf",
        attachment_type="application/pdf",
    )
    return world


def make_template(studio, *, name="课堂观察量表", scale_min=1, scale_max=5, items=None):
    """A studio's observation sheet with items under two dimensions."""
    from studios.models import ObservationItem, ObservationTemplate

    template = ObservationTemplate.objects.create(
        studio=studio, name=name, scale_min=scale_min, scale_max=scale_max, notes_prompt="您的建议"
    )
    items = items or [("教学目标", "目标清晰、可检测"), ("学生学习", "学生参与度高"), ("学生学习", "提问有层次")]
    for position, (dimension, text) in enumerate(items, start=1):
        ObservationItem.objects.create(
            template=template,
            dimension=dimension,
            text=text,
            position=position,
            scale_min=scale_min,
            scale_max=scale_max,
        )
    return template


def lesson_study_world(world):
    """A cycle in `world.studio` led by its leader: the trainee's and the mentor's plans (同课异构), and the
    lesson from the trainee's plan, under way now; plus an item already scored (which can no longer be removed)."""
    from decimal import Decimal

    from studios.models import (
        Cycle,
        Lesson,
        LessonPlan,
        ObservationAnswer,
        ObservationSheet,
        PlanComment,
        PlanVersion,
    )

    studio_world(world)
    if getattr(world, "cycle", None) is not None:
        return world
    world.template = make_template(world.studio)
    world.items = list(world.template.items.all())
    world.cycle = Cycle.objects.create(
        studio=world.studio, topic="圆的认识", leader=world.studio_leader, template=world.template, status="open"
    )
    world.plan = LessonPlan.objects.create(cycle=world.cycle, teacher=world.trainee)
    world.plan_version = PlanVersion.objects.create(plan=world.plan, number=1, body="以生活中的圆导入，工作室内部教案")
    world.other_plan = LessonPlan.objects.create(cycle=world.cycle, teacher=world.mentor)
    PlanVersion.objects.create(plan=world.other_plan, number=1, body="以画圆活动导入")
    PlanComment.objects.create(version=world.plan_version, author=world.mentor, body="导入可以更短")
    now = timezone.now()
    world.lesson = Lesson.objects.create(
        cycle=world.cycle,
        plan=world.plan,
        classroom="徐汇实验小学 三楼录播教室",
        online_link="https://meeting.example.com/j/123",
        starts_at=now - datetime.timedelta(minutes=20),
        ends_at=now + datetime.timedelta(minutes=20),
        hours=Decimal("2.0"),
    )
    scored = ObservationSheet.objects.create(lesson=world.lesson, observer=world.studio_leader)
    world.scored_item = world.items[0]
    ObservationAnswer.objects.create(sheet=scored, item=world.scored_item, value=4)
    return world


def platform_template_world(world):
    """`world.platform_template`: a platform sheet (no studio), which cohorts' cycles pick from."""
    if getattr(world, "platform_template", None) is None:
        world.platform_template = make_template(None, name="通用课堂观察量表")
    return world
