"""The contests' demo: the homeroom-teacher contest and the student teachers' contest.

The homeroom-teacher contest (linked to its event page) has entrants from all four
regions in two categories, a preliminary round finished with every judge's score and
its ranking published through the page's moderation, and a final round on site open
for judging, where the demo mentor is one of the judges. The student teachers'
contest takes sign-ups and nominations. Everything goes through the contests'
services; idempotent: a contest found by its name is left as it is.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "晓燕",
    "丽华",
    "建华",
    "海燕",
    "志强",
    "雅琴",
    "文静",
    "春梅",
    "国庆",
    "红霞",
    "立新",
    "慧敏",
    "玉兰",
    "思远",
    "晨曦",
    "子涵",
]
UNIVERSITIES = {
    "sh": ("华东师范大学", "上海师范大学"),
    "js": ("南京师范大学", "江苏师范大学"),
    "zj": ("浙江师范大学", "杭州师范大学"),
    "ah": ("安徽师范大学", "淮北师范大学"),
}
HOMEROOM = "长三角班主任基本功大赛"
STUDENTS = "长三角师范生教学基本功大赛"


def _person(email: str, name: str, region, school=None):
    from accounts.models import Profile, User

    from .people import DEMO_PASSWORD, verify_email

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
        verify_email(user)
    Profile.objects.update_or_create(user=user, defaults={"region": region, "school": school})
    return user


def _name(index: int) -> str:
    return FAMILY[index % len(FAMILY)] + GIVEN[(index * 7) % len(GIVEN)]


def _round(contest, *, deadline, judges_per_entrant: int, place: str = "", **fields):
    """The preliminary (online), or with a place the final (on site), of a demo contest."""
    from contests.models import Round, RoundKind

    final = bool(place)
    return Round.objects.create(
        contest=contest,
        name="决赛（现场）" if final else "初赛（线上）",
        name_en="Final (on site)" if final else "Preliminary (online)",
        kind=RoundKind.FINAL if final else RoundKind.PRELIMINARY,
        sequence=2 if final else 1,
        online=not final,
        place=place,
        submission_deadline=deadline,
        judges_per_entrant=judges_per_entrant,
        **fields,
    )


def seed_contests(*, users: dict, regions: dict, schools: list) -> None:
    seed_homeroom_contest(users=users, regions=regions, schools=schools)
    seed_student_contest(users=users, regions=regions)


def seed_homeroom_contest(*, users: dict, regions: dict, schools: list):
    from wagtail.models import Page

    from accounts.models import RegionalAdministrator
    from contests.models import (
        Assignment,
        Category,
        Contest,
        ContestCoordinator,
        Item,
        ItemAsks,
        RoundStatus,
    )
    from contests.services import (
        entrant_nominate,
        judges_seat,
        results_go_public,
        round_assign,
        round_freeze,
        round_publish,
        score_submit,
    )

    if Contest.objects.filter(name=HOMEROOM).exists():
        return Contest.objects.get(name=HOMEROOM)
    now = timezone.now()
    page = Page.objects.filter(slug="homeroom-teacher-contest", locale__language_code="zh-hans").first()
    contest = Contest.objects.create(
        name=HOMEROOM,
        name_en="Yangtze River Delta Homeroom-Teacher Skills Contest",
        page=page,
        participation_hours=Decimal("8"),
    )
    coordinator = users["coordinator"]
    ContestCoordinator.objects.get_or_create(contest=contest, user=coordinator, region=None)
    primary = Category.objects.create(
        contest=contest, name="小学组", name_en="Primary homeroom teachers", quota_per_region=4
    )
    secondary = Category.objects.create(
        contest=contest, name="中学组", name_en="Secondary homeroom teachers", quota_per_region=4, sort_order=1
    )
    preliminary = _round(
        contest, deadline=now - datetime.timedelta(days=20), judges_per_entrant=5, advance_value=Decimal("3")
    )
    rubric_design = [
        {"name": "主题鲜明、贴近学生", "name_en": "Clear theme close to the pupils", "points": 30},
        {"name": "活动设计完整", "name_en": "Complete activity design", "points": 40},
        {"name": "育人效果可期", "name_en": "Likely educational effect", "points": 30},
    ]
    rubric_strategy = [
        {"name": "理念清晰", "name_en": "Clear philosophy", "points": 40},
        {"name": "举措具体", "name_en": "Concrete measures", "points": 40},
        {"name": "表达流畅", "name_en": "Fluent presentation", "points": 20},
    ]
    design = Item.objects.create(
        round=preliminary,
        name="主题班会设计",
        name_en="Class meeting design",
        asks_for=ItemAsks.FILE_OR_LINK,
        weight=Decimal("0.6"),
        rubric=rubric_design,
    )
    Item.objects.create(
        round=preliminary,
        name="带班育人方略",
        name_en="Class leadership strategy",
        asks_for=ItemAsks.LINK,
        weight=Decimal("0.4"),
        rubric=rubric_strategy,
        sort_order=1,
    )
    preliminary.tie_break_item = design
    preliminary.save(update_fields=["tie_break_item"])
    final = _round(contest, deadline=now + datetime.timedelta(days=55), judges_per_entrant=5, place="合肥市某小学")
    Item.objects.create(
        round=final,
        name="情景答辩",
        name_en="Scenario answering",
        asks_for=ItemAsks.NOTHING,
        weight=Decimal("0.5"),
        rubric=[
            {"name": "分析准确", "name_en": "Accurate analysis", "points": 50},
            {"name": "对策得当", "name_en": "Sound response", "points": 50},
        ],
    )
    Item.objects.create(
        round=final,
        name="育人故事",
        name_en="Educational story",
        asks_for=ItemAsks.NOTHING,
        weight=Decimal("0.5"),
        rubric=[
            {"name": "真实感人", "name_en": "True and moving", "points": 60},
            {"name": "启发性", "name_en": "Insight", "points": 40},
        ],
        sort_order=1,
    )

    # Each region's office nominates; the demo's Jiangsu admin nominates Jiangsu's.
    offices = dict.fromkeys(regions)
    for code, region in regions.items():
        office = RegionalAdministrator.objects.filter(region=region).select_related("user").first()
        offices[code] = office.user if office else coordinator
    by_region = {
        code: [school for school in schools if school.region_id == region.pk] for code, region in regions.items()
    }
    index = 0
    for code, region in regions.items():
        for category in (primary, secondary):
            for n in range(3):
                index += 1
                teacher = _person(
                    f"contest-{code}-{category.sort_order}{n}@yingzi.example",
                    _name(index),
                    region,
                    by_region[code][n % len(by_region[code])],
                )
                entrant_nominate(category=category, person=teacher, acting_user=offices[code])
    judges = [
        _person(f"judge-{code}-{n}@yingzi.example", f"{_name(40 + index + n * 5)}（评委）", region, by_region[code][n])
        for index, (code, region) in enumerate(regions.items())
        for n in range(3)
    ]
    for item in preliminary.items.all():
        judges_seat(item=item, judges=judges, acting_user=coordinator)
    round_assign(round_=preliminary, acting_user=coordinator)
    rng = random.Random(18)  # noqa: S311 - demo data, not secrets
    comments = [
        "设计完整，学生主体地位突出。",
        "主题贴近实际，可再细化评价环节。",
        "结构清晰，表达流畅。",
        "案例真实，反思深入。",
    ]
    for assignment in Assignment.objects.filter(item__round=preliminary).select_related("item", "judge", "entrant"):
        base = 70 + (assignment.entrant_id * 7) % 20
        points = {
            str(i): min(c["points"], round(c["points"] * (base + rng.randint(-6, 6)) / 100))
            for i, c in enumerate(assignment.item.rubric)
        }
        score_submit(
            item=assignment.item,
            entrant_id=assignment.entrant_id,
            judge=assignment.judge,
            value="",
            criteria=points,
            comment=rng.choice(comments),
        )
    round_freeze(round_=preliminary, acting_user=coordinator)
    preliminary = round_publish(round_=preliminary, acting_user=coordinator)
    if preliminary.status == RoundStatus.MODERATION and page is not None:
        # The demo's moderator approves the revision; publishing the page makes the results public.
        task_state = page.specific.current_workflow_task_state
        if task_state is not None:
            task_state.approve(user=users["admin"])
    preliminary.refresh_from_db()
    if preliminary.status != RoundStatus.PUBLISHED:
        results_go_public(round_=preliminary, acting_user=users["admin"])

    # The final: those who advanced, judged on site by a panel with the demo mentor on it.
    final_judges = [users["mentor"], *judges]
    for item in final.items.all():
        judges_seat(item=item, judges=final_judges, acting_user=coordinator)
    round_assign(round_=final, acting_user=coordinator)
    return contest


def seed_student_contest(*, users: dict, regions: dict):
    from accounts.models import RegionalAdministrator
    from contests.models import Category, Contest, ContestCoordinator, Item, ItemAsks
    from contests.services import entrant_nominate, student_sign_up

    if Contest.objects.filter(name=STUDENTS).exists():
        return Contest.objects.get(name=STUDENTS)
    now = timezone.now()
    contest = Contest.objects.create(
        name=STUDENTS,
        name_en="Yangtze River Delta Student Teachers' Teaching Skills Contest",
        participation_hours=Decimal("4"),
    )
    ContestCoordinator.objects.get_or_create(contest=contest, user=users["coordinator"], region=None)
    category = Category.objects.create(
        contest=contest, name="师范生组", name_en="Student teachers", for_student_teachers=True, quota_per_region=3
    )
    preliminary = _round(contest, deadline=now + datetime.timedelta(days=30), judges_per_entrant=3)
    Item.objects.create(
        round=preliminary, name="教学设计", name_en="Lesson design", asks_for=ItemAsks.FILE, weight=Decimal("0.5")
    )
    Item.objects.create(
        round=preliminary,
        name="说课视频",
        name_en="Lesson talk video",
        asks_for=ItemAsks.LINK,
        weight=Decimal("0.5"),
        sort_order=1,
    )
    _round(contest, deadline=now + datetime.timedelta(days=75), judges_per_entrant=3, place="南京师范大学")
    index = 60
    for code, region in regions.items():
        for n, university in enumerate(UNIVERSITIES[code]):
            index += 1
            student = _person(f"student-{code}-{n}@yingzi.example", _name(index), region)
            student_sign_up(category=category, acting_user=student, university=university, region=region)
        office = RegionalAdministrator.objects.filter(region=region).select_related("user").first()
        if office is not None:
            # Jiangsu's office has nominated its first student teacher; the others wait in the list.
            entrant_nominate(category=category, person=student_for(code, 0), acting_user=office.user)
    return contest


def student_for(code: str, n: int):
    from accounts.models import User

    return User.objects.get(email=f"student-{code}-{n}@yingzi.example")


LARGE_DOMAIN = "contest-scale.yingzi.example"


def build_large_contest(
    *, entrants: int, judges: int, tag: str, per_entrant: int = 5, items: int = 2, coordinator=None, judge=None
):
    """A contest of `entrants` in one category from 40 schools of four regions and `judges` more judges, in bulk.

    Its preliminary round has `items` items with every judge seated, nothing assigned yet; ties are broken by the
    first item. `coordinator` runs it
    (a new person when None); `judge`, an existing person, is seated first. Returns (round, coordinator, a judge).
    """
    from accounts.models import Profile, Region, School, User
    from contests.models import Category, Contest, ContestCoordinator, Entrant, Item, JudgeSeat, RoundEntry

    regions = list(Region.objects.order_by("sort_order", "pk")[:4])
    if len(regions) < 4:
        regions = [
            Region.objects.get_or_create(code=f"b{n}", defaults={"name": f"测试省{n}", "sort_order": n})[0]
            for n in range(4)
        ]
    schools = School.objects.bulk_create(
        [School(name=f"大赛测试学校 {tag}-{n}", region=regions[n % 4], stage="primary") for n in range(40)]
    )
    people = User.objects.bulk_create(
        [User(email=f"entrant{n}.{tag}@{LARGE_DOMAIN}", display_name=_name(n)) for n in range(entrants)]
        + [User(email=f"judge{n}.{tag}@{LARGE_DOMAIN}", display_name=f"{_name(n + 7)}（评委）") for n in range(judges)],
        batch_size=2000,
    )
    Profile.objects.bulk_create(
        [
            Profile(user=person, region=schools[n % 40].region, school=schools[n % 40])
            for n, person in enumerate(people)
        ],
        batch_size=2000,
    )
    if coordinator is None:
        coordinator = User.objects.create(email=f"coordinator.{tag}@{LARGE_DOMAIN}", display_name="大赛协调员")
    panel = ([judge] if judge is not None else []) + people[entrants:]
    contest = Contest.objects.create(name=f"规模测试大赛 {tag}", trim_from_judges=5)
    ContestCoordinator.objects.create(contest=contest, user=coordinator)
    category = Category.objects.create(contest=contest, name="小学组", quota_per_region=entrants)
    round_ = _round(contest, deadline=timezone.now() + datetime.timedelta(days=7), judges_per_entrant=per_entrant)
    item_rows = [
        Item.objects.create(round=round_, name=f"项目{n}", weight=Decimal("1"), sort_order=n) for n in range(items)
    ]
    # Equal totals are broken by the first item, as the contest's tie rule declares.
    round_.tie_break_item = item_rows[0]
    round_.save(update_fields=["tie_break_item"])
    entrant_rows = Entrant.objects.bulk_create(
        [
            Entrant(category=category, person=person, region_id=schools[n % 40].region_id, school=schools[n % 40])
            for n, person in enumerate(people[:entrants])
        ],
        batch_size=2000,
    )
    RoundEntry.objects.bulk_create(
        [RoundEntry(round=round_, entrant=entrant) for entrant in entrant_rows], batch_size=2000
    )
    JudgeSeat.objects.bulk_create(
        [JudgeSeat(item=item, judge=person) for item in item_rows for person in panel], batch_size=2000
    )
    return round_, coordinator, panel[0]


# How a contest's scores spread (out of 100): entrants differ most, each does better at some items
# than others, judges are stricter or more lenient, and each score has a little of the moment in it.
ABILITY_MEAN, ABILITY_SPREAD = 78, 6
ITEM_FORM_SPREAD = 3
JUDGE_SEVERITY_SPREAD = 2.5
MOMENT_SPREAD = 2.5


def _gauss(seed: str) -> float:
    return random.Random(seed).gauss(0, 1)  # noqa: S311 - demo data, not secrets


def realistic_scores(rows, *, seed: str = "contest") -> list[Decimal]:
    """A judge's score per (assignment pk, item pk, entrant pk, judge pk, lowest, highest) row: deterministic.

    An entrant's ability, their form on an item and a judge's severity are drawn from the entrant,
    item and judge (the same wherever they appear); the moment from one generator taking the rows
    in their order (by assignment). Scores are
    given to the half point within the item's scale, as judges give them: totals spread over
    hundreds of values, and equal totals happen (the tie rule has work to do) without whole
    swathes of a large category sharing one.
    """
    ability: dict[int, float] = {}
    form: dict[tuple[int, int], float] = {}
    severity: dict[int, float] = {}
    moments = random.Random(f"{seed}:moments")  # noqa: S311 - demo data, not secrets
    values = []
    for _pk, item_id, entrant_id, judge_id, low, high in rows:
        if entrant_id not in ability:
            ability[entrant_id] = ABILITY_MEAN + ABILITY_SPREAD * _gauss(f"{seed}:entrant:{entrant_id}")
        if (entrant_id, item_id) not in form:
            form[entrant_id, item_id] = ITEM_FORM_SPREAD * _gauss(f"{seed}:form:{entrant_id}:{item_id}")
        if judge_id not in severity:
            severity[judge_id] = JUDGE_SEVERITY_SPREAD * _gauss(f"{seed}:judge:{judge_id}")
        moment = MOMENT_SPREAD * moments.gauss(0, 1)
        out_of_100 = ability[entrant_id] + form[entrant_id, item_id] + severity[judge_id] + moment
        value = float(low) + (float(high) - float(low)) * out_of_100 / 100
        value = min(max(round(value * 2) / 2, float(low)), float(high))
        values.append(Decimal(str(value)))
    return values


def score_everyone(round_) -> int:
    """Every assignment of the round scored, in bulk (the judges' work, skipped), spread as in a real contest.

    See `realistic_scores`: deterministic, by entrant, item, judge and assignment.
    """
    from contests.freshness import items_renew
    from contests.models import Assignment, Score

    # Bulk inserts send no signals: the round's kept ranking and progress are renewed by hand.
    items_renew(round_.items.values_list("pk", flat=True))
    rows = list(
        Assignment.objects.filter(item__round=round_)
        .order_by("pk")
        .values_list("pk", "item_id", "entrant_id", "judge_id", "item__scale_min", "item__scale_max")
    )
    values = realistic_scores(rows)
    return len(
        Score.objects.bulk_create(
            (
                Score(assignment_id=pk, item_id=item_id, entrant_id=entrant_id, value=value, submitted_by_id=judge_id)
                for (pk, item_id, entrant_id, judge_id, _low, _high), value in zip(rows, values, strict=True)
            ),
            batch_size=5000,
        )
    )


def seed_scale_contest(*, scale: int) -> int:
    """A contest of 2 x `scale` entrants, `scale` / 5 judges and ten scores per entrant, its preliminary published.

    Run by the scaled cohort's coordinator, with the cohort's first mentor among the judges, so that the bench
    opens the judge's sheet, the coordinator's ranking and the contest's page with its results. Bulk inserts;
    a repeated run reuses the contest. Returns the number of scores.
    """
    from accounts.models import User
    from cms.models import EventIndexPage, EventPage
    from contests.models import Contest
    from contests.services import results_go_public, round_assign, round_freeze

    tag = f"s{scale}"
    if Contest.objects.filter(name=f"规模测试大赛 {tag}").exists():
        return 0
    coordinator = User.objects.get(email="coordinator@yingzi.example")
    mentor = User.objects.get(email=f"mentor0.s{scale}@scale.yingzi.example")
    round_, coordinator, _judge = build_large_contest(
        entrants=2 * scale, judges=max(10, scale // 5), tag=tag, coordinator=coordinator, judge=mentor
    )
    contest = round_.contest
    now = timezone.now()
    index = EventIndexPage.objects.live().filter(locale__language_code="zh-hans").first()
    if index is not None:
        page = EventPage(
            title=f"规模测试大赛 {scale}",
            slug=f"scale-contest-{scale}",
            kind="contest",
            starts_at=now - datetime.timedelta(days=30),
            ends_at=now - datetime.timedelta(days=29),
            capacity=0,
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        contest.page = page
    # Hours are credited one entrant at a time; the bench measures pages, not the ledger.
    contest.participation_hours = Decimal(0)
    contest.save(update_fields=["page", "participation_hours"])
    _round(contest, deadline=now + datetime.timedelta(days=30), judges_per_entrant=5, place="上海市教育会堂")
    round_assign(round_=round_, acting_user=coordinator)
    scores = score_everyone(round_)
    round_freeze(round_=round_, acting_user=coordinator)
    results_go_public(round_=round_, acting_user=coordinator)
    return scores
