"""A small homeroom-teacher contest: four regions, two schools each, judges from every region."""

import datetime
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from accounts.models import RegionalAdministrator
from contests.models import Category, Contest, ContestCoordinator, Item, ItemAsks, Round, RoundKind
from tests.factories.accounts import RegionFactory, SchoolFactory, make_user


@dataclass
class ContestWorld:
    contest: Contest
    category: Category
    student_category: Category
    preliminary: Round
    final: Round
    items: list[Item]
    regions: list
    schools: dict
    coordinator: object
    regional_admins: dict
    judges: list = field(default_factory=list)
    teachers: dict = field(default_factory=dict)


def build_contest(*, quota: int = 3, judges_per_region: int = 2, per_entrant: int = 3) -> ContestWorld:
    regions = [
        RegionFactory(code=code, name=name, name_en=name_en, sort_order=index)
        for index, (code, name, name_en) in enumerate(
            [
                ("sh", "上海市", "Shanghai"),
                ("js", "江苏省", "Jiangsu"),
                ("zj", "浙江省", "Zhejiang"),
                ("ah", "安徽省", "Anhui"),
            ]
        )
    ]
    schools = {region.pk: [SchoolFactory(region=region), SchoolFactory(region=region)] for region in regions}
    contest = Contest.objects.create(
        name="长三角班主任基本功大赛", name_en="Homeroom Teachers' Skills Contest", trim_from_judges=5
    )
    category = Category.objects.create(contest=contest, name="小学组", name_en="Primary", quota_per_region=quota)
    student_category = Category.objects.create(
        contest=contest,
        name="师范生组",
        name_en="Student teachers",
        for_student_teachers=True,
        quota_per_region=quota,
        sort_order=1,
    )
    now = timezone.now()
    preliminary = Round.objects.create(
        contest=contest,
        name="初赛",
        name_en="Preliminary",
        kind=RoundKind.PRELIMINARY,
        sequence=1,
        submission_deadline=now + datetime.timedelta(days=7),
        judges_per_entrant=per_entrant,
        advance_value=Decimal("2"),
    )
    final = Round.objects.create(
        contest=contest,
        name="决赛",
        name_en="Final",
        kind=RoundKind.FINAL,
        sequence=2,
        online=False,
        place="上海市教育会堂",
        submission_deadline=now + datetime.timedelta(days=30),
        judges_per_entrant=per_entrant,
    )
    items = [
        Item.objects.create(
            round=preliminary,
            name="主题班会设计",
            name_en="Class meeting design",
            asks_for=ItemAsks.FILE_OR_LINK,
            weight=Decimal("0.6"),
            rubric=[
                {"name": "主题明确", "name_en": "Clear theme", "points": 40},
                {"name": "过程完整", "name_en": "Complete process", "points": 60},
            ],
        ),
        Item.objects.create(
            round=preliminary,
            name="育人故事",
            name_en="Educational story",
            asks_for=ItemAsks.LINK,
            weight=Decimal("0.4"),
            sort_order=1,
        ),
    ]
    preliminary.tie_break_item = items[0]
    preliminary.save(update_fields=["tie_break_item"])
    Item.objects.create(round=final, name="情景答辩", name_en="Scenario answering", asks_for=ItemAsks.NOTHING)
    coordinator = make_user(email="contest-coordinator@example.com", display_name="大赛协调员", region=regions[0])
    ContestCoordinator.objects.create(contest=contest, user=coordinator)
    admins = {}
    for region in regions:
        admin = make_user(email=f"admin-{region.code}@example.com", display_name=f"{region.name}教育厅", region=region)
        RegionalAdministrator.objects.create(user=admin, region=region)
        admins[region.code] = admin
    world = ContestWorld(
        contest, category, student_category, preliminary, final, items, regions, schools, coordinator, admins
    )
    for region in regions:
        for n in range(judges_per_region):
            world.judges.append(
                make_user(
                    email=f"judge-{region.code}-{n}@example.com",
                    display_name=f"{region.name}评委{n}",
                    region=region,
                    school=schools[region.pk][n % 2],
                )
            )
        world.teachers[region.code] = [
            make_user(
                email=f"teacher-{region.code}-{n}@example.com",
                display_name=f"{region.name}班主任{n}",
                region=region,
                school=schools[region.pk][n % 2],
            )
            for n in range(quota + 1)
        ]
    return world


def nominate_all(world: ContestWorld, per_region: int = 2) -> list:
    from contests.services import entrant_nominate

    return [
        entrant_nominate(category=world.category, person=teacher, acting_user=world.regional_admins[region.code])
        for region in world.regions
        for teacher in world.teachers[region.code][:per_region]
    ]


def seat_judges(world: ContestWorld, round_=None) -> None:
    from contests.services import judges_seat

    for item in (round_ or world.preliminary).items.all():
        judges_seat(item=item, judges=world.judges, acting_user=world.coordinator)


def assigned_contest(
    *, quota: int = 3, judges_per_region: int = 2, per_entrant: int = 3, per_region: int = 2
) -> tuple[ContestWorld, list]:
    """A contest with `per_region` entrants nominated per region and its preliminary's judges seated and assigned."""
    from contests.services import round_assign

    world = build_contest(quota=quota, judges_per_region=judges_per_region, per_entrant=per_entrant)
    entrants = nominate_all(world, per_region=per_region)
    seat_judges(world)
    round_assign(round_=world.preliminary, acting_user=world.coordinator)
    return world, entrants


def score_everything(round_, value_of=lambda a: Decimal(60 + a.entrant_id % 40)) -> None:
    """Every assignment of the round scored in bulk (what the judges' work leaves), `value_of(assignment)` each."""
    from contests.freshness import items_renew
    from contests.models import Assignment, Score

    items_renew(round_.items.values_list("pk", flat=True))  # bulk inserts send no signals
    Score.objects.bulk_create(
        Score(assignment=a, item_id=a.item_id, entrant_id=a.entrant_id, value=value_of(a), submitted_by_id=a.judge_id)
        for a in Assignment.objects.filter(item__round=round_)
    )


def contests_cache_calls(client, url) -> list[tuple[str, str]]:
    """The cache calls a view of `url` makes about contests (the session and the site's chrome left out)."""
    from django.core.cache import cache

    calls, depth = [], []
    names = ("get", "get_many", "set", "set_many", "add", "get_or_set", "delete", "delete_many", "incr", "touch")
    originals = {name: getattr(cache, name) for name in names}

    def counting(name):
        def call(*args, **kwargs):
            if not depth:  # a backend's get_many may call its own get: one call is one round trip
                calls.append((name, repr(args[0]) if args else ""))
            depth.append(name)
            try:
                return originals[name](*args, **kwargs)
            finally:
                depth.pop()

        return call

    with ExitStack() as stack:
        for name in names:
            stack.enter_context(mock.patch.object(cache, name, counting(name)))
        assert client.get(url).status_code == 200
    return [(name, keys) for name, keys in calls if "contests" in keys]
