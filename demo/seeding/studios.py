"""Two studios (a Shanghai principal's, an Anhui master teacher's) with members from all four regions, plans,
resources and threads, and their public pages under the programme pages. Safe to run twice."""

import datetime

from django.db import transaction
from django.utils import timezone

from cms.models import ProgrammePage, StudioPage
from studios.models import PlannedActivity, Post, Resource, Studio, StudioMembership, StudioPlan, Thread

from .credits import demo_person

ACTIVE = StudioMembership.Status.ACTIVE

# (e-mail, name, region, school index, title)
MEMBERS = [
    ("xu.jing@yingzi.example", "徐静", "ah", 9, "合肥市数学学科带头人"),
    ("he.lan@yingzi.example", "何兰", "sh", 1, "黄浦江畔中学教研组长"),
    ("liu.yang@yingzi.example", "刘洋", "js", 3, "秦淮初级中学数学教师"),
    ("fang.hui@yingzi.example", "方慧", "zj", 7, "甬江高级中学数学教师"),
    ("zhao.lin@yingzi.example", "赵琳", "js", 4, "太湖之滨小学副校长"),
    ("qian.feng@yingzi.example", "钱峰", "zj", 6, "西溪实验学校校长助理"),
]


@transaction.atomic
def seed_studios(*, regions: dict, schools: list, users: dict, programmes: dict) -> dict:
    people = {
        email: demo_person(email=email, name=name, region=regions[code], school=schools[index], title=title)
        for email, name, code, index, title in MEMBERS
    }
    principal = _studio(
        name="陈建国名校长工作室",
        name_en="Chen Jianguo principal's studio",
        kind=Studio.Kind.PRINCIPAL,
        leader=users["mentor"],
        region=regions["sh"],
        description="聚焦学校课程领导与教师成长，跨省结对、共研共进。",
        members=[
            (people["he.lan@yingzi.example"], "co_leader"),
            (users["trainee"], "member"),
            (people["zhao.lin@yingzi.example"], "member"),
            (people["qian.feng@yingzi.example"], "member"),
        ],
    )
    teacher = _studio(
        name="徐静初中数学名师工作室",
        name_en="Xu Jing junior secondary mathematics studio",
        kind=Studio.Kind.MASTER_TEACHER,
        leader=people["xu.jing@yingzi.example"],
        region=regions["ah"],
        description="以大单元教学和课堂观察为抓手，开展远程互动教研。",
        members=[
            (people["liu.yang@yingzi.example"], "co_leader"),
            (people["fang.hui@yingzi.example"], "member"),
            (people["he.lan@yingzi.example"], "member"),
            (users["trainee"], "member"),
        ],
    )
    year = timezone.localdate().year
    _plan(
        principal,
        year,
        "课程领导力\n教师专业发展\n家校社协同",
        [
            ("跨省校长论坛：课程领导力", datetime.date(year, 3, 20), True),
            ("工作室成员校互访", datetime.date(year, 5, 15), False),
            ("年度成果展示", datetime.date(year, 11, 28), True),
        ],
    )
    _plan(
        teacher,
        year,
        "大单元教学\n作业设计\n课堂观察",
        [
            ("同课异构：一元一次方程", datetime.date(year, 4, 10), True),
            ("课堂观察量表研制", datetime.date(year, 6, 5), False),
            ("远程互动评课", datetime.date(year, 10, 16), True),
        ],
    )
    _resources(
        principal,
        users["mentor"],
        regions["sh"],
        [
            ("学校课程规划方案（样例）", "case_study", "public", "课程规划, 学校发展", "school_planning"),
            ("教师分层培养制度", "case_study", "platform", "教师成长, 制度", "teacher_growth"),
            ("工作室年度工作计划", "lesson_study_report", "studio", "计划", "management"),
        ],
    )
    _resources(
        teacher,
        people["xu.jing@yingzi.example"],
        regions["ah"],
        [
            ("一元一次方程大单元教学设计", "lesson_plan", "public", "数学, 大单元, 方程", "ability"),
            ("一元一次方程课堂录像", "recording", "platform", "数学, 录像", "ability"),
            ("课堂观察量表的研制报告", "lesson_study_report", "platform", "课堂观察, 教研", "knowledge"),
            ("作业分层设计案例", "case_study", "studio", "作业设计", "ability"),
        ],
    )
    _thread(
        teacher,
        people["liu.yang@yingzi.example"],
        "大单元作业怎么分层？",
        [
            (people["liu.yang@yingzi.example"], "<p>我们组在尝试把作业分成基础、提高、拓展三层，大家有什么经验？</p>"),
            (
                people["xu.jing@yingzi.example"],
                "<p>@刘洋 可以先从单元目标出发，再对应三层作业。<strong>关键是评价要跟上。</strong></p>",
            ),
            (people["fang.hui@yingzi.example"], "<p>宁波这边用了“作业超市”，学生自选，效果不错。</p>"),
        ],
    )
    _thread(
        principal,
        users["mentor"],
        "本学期的互访安排",
        [
            (users["mentor"], "<p>请各位成员校在月底前确认互访时间。@何兰 请汇总。</p>"),
            (people["he.lan@yingzi.example"], "<p>收到，我来汇总。</p>"),
        ],
        pinned=True,
    )
    _public_pages(programmes, principal, teacher)
    return {"studios": 2, "people": len(people)}


def _studio(*, name, leader, members, **fields) -> Studio:
    studio, _ = Studio.objects.update_or_create(name=name, defaults={"leader": leader, **fields})
    now = timezone.now()
    for person, role in [(leader, "leader"), *members]:
        StudioMembership.objects.update_or_create(
            studio=studio, person=person, defaults={"role": role, "status": ACTIVE, "decided_at": now}
        )
    return studio


def _plan(studio, year, themes, activities) -> None:
    plan, _ = StudioPlan.objects.update_or_create(studio=studio, year=year, defaults={"themes": themes})
    for title, date, public in activities:
        PlannedActivity.objects.update_or_create(plan=plan, title=title, defaults={"date": date, "is_public": public})


def _resources(studio, author, region, rows) -> None:
    for title, kind, visibility, tags, standard in rows:
        Resource.objects.update_or_create(
            studio=studio,
            title=title,
            defaults={
                "author": author,
                "kind": kind,
                "visibility": visibility,
                "tags": tags,
                "standard": standard,
                "region": region,
                "licence": "cc_by_nc",
                "link": "https://video.example.com/yingzi-demo",
                "consented_at": timezone.now(),
            },
        )


def _thread(studio, author, title, posts, pinned=False) -> None:
    thread, created = Thread.objects.get_or_create(
        studio=studio, title=title, defaults={"author": author, "is_pinned": pinned, "moderation_reason": ""}
    )
    if created:
        for person, body in posts:
            Post.objects.create(thread=thread, author=person, body=body)


def _public_pages(programmes, *studios) -> None:
    parent = ProgrammePage.objects.filter(programme=programmes["principal"]).first()
    if parent is None:
        return
    for n, studio in enumerate(studios, start=1):
        if StudioPage.objects.filter(studio=studio).exists():
            continue
        parent.add_child(
            instance=StudioPage(
                title=studio.name, slug=f"studio-{n}", studio=studio, summary=studio.description, live=True
            )
        )


def seed_scale_studio(*, scale: int, members: int = 500, posts: int = 5000, resources: int = 2000) -> int:
    """A studio of up to `members` of the scaled cohort's people, `posts` messages and `resources` resources.

    Led by the scaled cohort's first mentor, with its first trainee a member, so that the bench opens its
    pages as a member. Bulk inserts; a repeated run reuses the studio.
    """
    from accounts.models import User

    name = f"规模测试工作室 {scale}"
    if Studio.objects.filter(name=name).exists():
        return 0
    domain = f".s{scale}@scale.yingzi.example"
    leader = User.objects.get(email=f"mentor0{domain}")
    trainee = User.objects.get(email=f"trainee0{domain}")
    studio = Studio.objects.create(name=name, leader=leader, region=leader.profile.region)
    others = User.objects.filter(email__endswith=domain).exclude(pk__in=[leader.pk, trainee.pk]).order_by("pk")
    people = [trainee, *others[: members - 1]]
    now = timezone.now()
    StudioMembership.objects.bulk_create(
        [StudioMembership(studio=studio, person=leader, role="leader", status=ACTIVE, decided_at=now)]
        + [
            StudioMembership(studio=studio, person=person, role="member", status=ACTIVE, decided_at=now)
            for person in people[: members - 1]
        ]
    )
    authors = [leader, *people[: members - 1]]
    kinds = ["lesson_plan", "recording", "case_study", "lesson_study_report"]
    visibilities = ["studio", "platform", "public"]
    Resource.objects.bulk_create(
        [
            Resource(
                studio=studio,
                author=authors[n % len(authors)],
                title=f"规模测试教案 {n}：大单元教学设计",
                kind=kinds[n % len(kinds)],
                visibility=visibilities[n % len(visibilities)],
                tags="数学, 大单元" if n % 2 else "语文, 阅读",
                link="https://video.example.com/scale",
                consented_at=now,
                created_at=now - datetime.timedelta(minutes=n),
            )
            for n in range(resources)
        ],
        batch_size=1000,
    )
    per_thread = 20
    threads = Thread.objects.bulk_create(
        [
            Thread(studio=studio, title=f"规模测试话题 {n}", author=authors[n % len(authors)], last_post_at=now)
            for n in range(max(1, posts // per_thread))
        ]
    )
    Post.objects.bulk_create(
        [
            Post(
                thread=threads[n % len(threads)],
                author=authors[n % len(authors)],
                body=f"<p>规模测试消息 {n}</p>",
                created_at=now - datetime.timedelta(days=1, seconds=n),
            )
            for n in range(posts)
        ],
        batch_size=1000,
    )
    return studio.pk
