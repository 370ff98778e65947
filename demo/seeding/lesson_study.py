"""A finished lesson-study cycle in the Anhui master teacher's studio: two plans for one topic (同课异构), their
versions and comments, the observed lesson with a dozen sheets and its summary, the revised plan that closed it.
And, for the bench, a lesson of the scaled studio with 300 submitted sheets. Safe to run twice."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from studios.models import (
    Cycle,
    Lesson,
    LessonPlan,
    ObservationAnswer,
    ObservationItem,
    ObservationSheet,
    ObservationTemplate,
    PlanComment,
    PlanVersion,
    Studio,
    StudioMembership,
)
from studios.services.credit import participation_credit

from .credits import demo_person

TOPIC = "一元一次方程的应用（同课异构）"
ITEMS = [
    ("教学目标", "目标清晰，可观察、可检测"),
    ("教学目标", "目标与课程标准和学情相符"),
    ("教学过程", "情境导入自然，指向核心问题"),
    ("教学过程", "问题链有层次，留给学生思考的时间"),
    ("学生学习", "学生参与面广，有独立思考与合作交流"),
    ("学生学习", "学生能用方程表达实际问题中的数量关系"),
    ("课堂文化", "课堂氛围民主，学生敢于表达不同想法"),
]
# (e-mail, name, region code, school index, title): observers from the other regions who joined for the lesson.
OBSERVERS = [
    ("sun.min@yingzi.example", "孙敏", "sh", 0, "浦江第二中学数学教师"),
    ("zhou.qiang@yingzi.example", "周强", "ah", 8, "蜀山中学数学教师"),
    ("wu.ting@yingzi.example", "吴婷", "js", 5, "鼓楼实验中学数学教师"),
    ("zheng.yu@yingzi.example", "郑宇", "zj", 6, "之江中学数学教师"),
    ("wang.fang@yingzi.example", "王芳", "ah", 9, "包河初级中学数学教师"),
    ("lin.hao@yingzi.example", "林浩", "zj", 7, "钱塘初级中学数学教师"),
    ("chen.xue@yingzi.example", "陈雪", "sh", 1, "静安初级中学数学教师"),
    ("zhang.wei@yingzi.example", "张伟", "js", 3, "秦淮初级中学数学教研组长"),
]
NOTES = [
    "导入的情境贴近学生生活，建议压缩到三分钟以内。",
    "小组讨论时间充分，但汇报环节可以让更多学生发言。",
    "第二个问题的梯度偏大，可以加一个过渡问题。",
    "板书结构清晰，方程的建模过程呈现得很好。",
    "",
    "建议增加一道开放题，让学生自己设计情境。",
]


# Besides the scores: a choice among the studio's own ordered options, and a written note.
REACHED = ["达成", "基本达成", "未达成"]
CHOICE = ("教学目标", "本节课的核心目标是否达成", REACHED)
NOTE = ("课堂文化", "最值得借鉴的一个做法")
BORROWED = [
    "用学生熟悉的春游租车情境引出等量关系。",
    "小组合作前先给独立思考的时间。",
    "让学生上台讲解自己列方程的思路。",
    "",
]
# The principals' studio observes a lesson with the school's eyes: its own sheet, on a 1–4 scale.
PRINCIPAL_ITEMS = [
    ("课程领导", "课堂体现学校的课程规划与育人目标"),
    ("课程领导", "教研组的集体备课在课堂中有所体现"),
    ("教师发展", "教师能根据学情调整教学节奏"),
]
PRINCIPAL_CHOICE = ("教师发展", "这节课是否适合作为校本研修的示范课", ["是", "否"])
PRINCIPAL_NOTE = ("教师发展", "对教研组的一条建议")


def _template(
    studio: Studio,
    *,
    name="初中数学课堂观察量表",
    items=ITEMS,
    scale=(1, 5),
    choice=CHOICE,
    note=NOTE,
    notes_prompt="您对这节课的改进建议",
) -> ObservationTemplate:
    """The studio's sheet: scores on its scale, then (unless None) a choice and a note item."""
    low, high = scale
    template, created = ObservationTemplate.objects.get_or_create(
        studio=studio, name=name, defaults={"scale_min": low, "scale_max": high, "notes_prompt": notes_prompt}
    )
    if created:
        rows = [
            ObservationItem(template=template, dimension=dimension, text=text, scale_min=low, scale_max=high)
            for dimension, text in items
        ]
        if choice:
            dimension, text, options = choice
            rows.append(
                ObservationItem(template=template, dimension=dimension, text=text, kind="choice", options=options)
            )
        if note:
            rows.append(ObservationItem(template=template, dimension=note[0], text=note[1], kind="note"))
        for position, item in enumerate(rows, start=1):
            item.position = position
        ObservationItem.objects.bulk_create(rows)
    return template


def _demo_answer(sheet, item, n: int, index: int) -> ObservationAnswer | None:
    """Observer `n`'s answer to item `index`: scores around four, the goal mostly reached, a note from most."""
    if item.kind == "choice":
        return ObservationAnswer(sheet=sheet, item=item, value=1 if n % 4 else 2 + n % 8 // 4)
    if item.kind == "note":
        text = BORROWED[n % len(BORROWED)]
        return ObservationAnswer(sheet=sheet, item=item, text=text) if text else None
    return ObservationAnswer(sheet=sheet, item=item, value=3 + (n + index) % 3 if index != 3 else 2 + (n % 3))


def _version(plan, number, body, *, revision=False, days_ago=0):
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        body=body,
        is_revision=revision,
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@transaction.atomic
def seed_lesson_study(*, regions: dict, schools: list) -> dict:
    studio = Studio.objects.filter(name="徐静初中数学名师工作室").first()
    if studio is None or Cycle.objects.filter(studio=studio, topic=TOPIC).exists():
        return {"cycles": 0}
    leader = studio.leader
    teachers = {
        m.person.email: m.person
        for m in studio.memberships.filter(status=StudioMembership.Status.ACTIVE).select_related("person")
    }
    liu, fang = teachers["liu.yang@yingzi.example"], teachers["fang.hui@yingzi.example"]
    now = timezone.now()
    for email, name, code, index, title in OBSERVERS:
        person = demo_person(email=email, name=name, region=regions[code], school=schools[index], title=title)
        StudioMembership.objects.get_or_create(
            studio=studio, person=person, defaults={"status": StudioMembership.Status.ACTIVE, "decided_at": now}
        )
        teachers[email] = person
    template = _template(studio)
    items = list(template.items.all())
    principals = Studio.objects.filter(name="陈建国名校长工作室").first()
    if principals is not None:
        _template(
            principals,
            name="校长听课观察量表",
            items=PRINCIPAL_ITEMS,
            scale=(1, 4),
            choice=PRINCIPAL_CHOICE,
            note=PRINCIPAL_NOTE,
            notes_prompt="",
        )
    cycle = Cycle.objects.create(
        studio=studio,
        topic=TOPIC,
        description="合肥、南京两地教师同课异构，上海、宁波的成员校线上观课，评课后修改教案。",
        leader=leader,
        template=template,
        status=Cycle.Status.OPEN,
        created_at=now - datetime.timedelta(days=30),
    )
    liu_plan = LessonPlan.objects.create(cycle=cycle, teacher=liu)
    fang_plan = LessonPlan.objects.create(cycle=cycle, teacher=fang)
    first = _version(
        liu_plan, 1, "以“班级春游租车”情境导入，问题链：找等量关系 → 列方程 → 检验解的合理性。", days_ago=25
    )
    _version(liu_plan, 2, "根据说课意见，把导入压缩为一个问题，增加小组合作列方程环节。", days_ago=18)
    fang_first = _version(
        fang_plan, 1, "以“宁波地铁票价”情境导入，先让学生估算，再用方程精确求解，对比两种方法。", days_ago=24
    )
    PlanComment.objects.create(version=first, author=leader, body="情境很好，问题之间的梯度可以再细一些。")
    PlanComment.objects.create(version=fang_first, author=liu, body="估算与精确求解的对比很有启发，我也想借鉴。")
    starts = (now - datetime.timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
    lesson = Lesson.objects.create(
        cycle=cycle,
        plan=liu_plan,
        classroom="秦淮初级中学 初二（3）班",
        place="南京市秦淮区",
        online_link="https://meeting.example.com/j/20260316",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=45),
        hours=Decimal("2.0"),
        recording_link="https://video.example.com/yingzi-demo/lesson-study-1",
    )
    observers = [person for email, person in teachers.items() if person.pk != liu.pk][:12]
    for n, person in enumerate(observers):
        sheet = ObservationSheet.objects.create(
            lesson=lesson,
            observer=person,
            notes=NOTES[n % len(NOTES)],
            submitted_at=starts + datetime.timedelta(minutes=50 + n),
        )
        answers = (_demo_answer(sheet, item, n, index) for index, item in enumerate(items))
        ObservationAnswer.objects.bulk_create(answer for answer in answers if answer is not None)
        # Two were in the classroom and checked in; the others observed online by submitting their sheet.
        kind = "on_site" if n < 2 else "online"
        participation_credit(cycle=cycle, lesson=lesson, person=person, kind=kind, hours=lesson.hours)
    _version(
        liu_plan,
        3,
        "评课后修改：第二个问题前加过渡问题，小组汇报改为随机抽取，课末增加学生自编情境的开放题。",
        revision=True,
        days_ago=5,
    )
    cycle.status, cycle.closed_at = Cycle.Status.CLOSED, now - datetime.timedelta(days=4)
    cycle.save(update_fields=["status", "closed_at"])
    participation_credit(cycle=cycle, person=leader, kind="leader", hours=cycle.leader_hours)
    return {"cycles": 1, "sheets": len(observers)}


def seed_scale_lesson(*, scale: int, sheets: int = 300) -> int:
    """A lesson of the scaled studio with `sheets` submitted sheets, for the summary's bench. Bulk inserts."""
    studio = Studio.objects.filter(name=f"规模测试工作室 {scale}").first()
    topic = f"规模测试课题 {scale}"
    if studio is None or Cycle.objects.filter(studio=studio, topic=topic).exists():
        return 0
    # Seven scores, as the bench has always measured (its figures stay comparable across versions).
    template = _template(studio, choice=None, note=None)
    items = list(template.items.all())
    cycle = Cycle.objects.create(
        studio=studio, topic=topic, leader=studio.leader, template=template, status=Cycle.Status.OPEN
    )
    plan = LessonPlan.objects.create(cycle=cycle, teacher=studio.leader)
    PlanVersion.objects.create(plan=plan, number=1, body="规模测试教案")
    starts = timezone.now() - datetime.timedelta(days=1)
    lesson = Lesson.objects.create(
        cycle=cycle, plan=plan, classroom="规模测试教室", starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    people = list(
        studio.memberships.filter(status=StudioMembership.Status.ACTIVE).values_list("person_id", flat=True)[:sheets]
    )
    created = ObservationSheet.objects.bulk_create(
        [
            ObservationSheet(lesson=lesson, observer_id=person_id, notes=f"规模测试建议 {n}", submitted_at=starts)
            for n, person_id in enumerate(people)
        ]
    )
    ObservationAnswer.objects.bulk_create(
        [
            ObservationAnswer(sheet=sheet, item=item, value=1 + (n + index) % 5)
            for n, sheet in enumerate(created)
            for index, item in enumerate(items)
        ],
        batch_size=2000,
    )
    return lesson.pk
