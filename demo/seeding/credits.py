"""The credit bank's demo: four regions' rules, three years of history, a regional office full of figures.

Everything goes through the platform's own paths: past cohorts end in certificates
(the ledger behind them, then `records_from_certificates`, as training's signal does),
past summits and forums are checked in and credited to the ledger (the CMS's
describer makes the records), and the Jiangsu office decides part of its queue.
Idempotent: rules, cohorts, pages, certificates and records are found again by
their keys. `seed_scale_credits` adds five years of records for the scale people in bulk.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

# Each region's rules: (hours per credit by kind, yearly caps by category, kinds accepted automatically from).
RULES = {
    "sh": [
        (
            {"programme": "10", "event": "8"},
            {"exchange": "6"},
            {"programme": ["js", "zj", "ah"], "event": ["js", "zj"]},
        ),
        (
            {"programme": "10", "event": "6", "studio": "6", "contest": "8"},
            {"exchange": "8", "competition": "6"},
            {"programme": ["js", "zj", "ah"], "event": ["js", "zj", "ah"]},
        ),
    ],
    "js": [
        ({"programme": "12", "event": "8"}, {"exchange": "4"}, {"programme": ["sh", "zj"]}),
        (
            {"programme": "10", "event": "8", "studio": "6"},
            {"exchange": "5", "research": "6"},
            {"programme": ["sh", "zj", "ah"]},
        ),
    ],
    "zj": [
        ({"programme": "10", "event": "10"}, {}, {"programme": ["sh", "js"], "event": ["sh"]}),
        (
            {"programme": "10", "event": "8"},
            {"exchange": "6"},
            {"programme": ["sh", "js", "ah"], "event": ["sh", "js"]},
        ),
    ],
    "ah": [
        ({"programme": "8", "event": "8"}, {"training": "20"}, {"programme": ["sh"]}),
        ({"programme": "8", "event": "6"}, {"training": "24", "exchange": "6"}, {"programme": ["sh", "js", "zj"]}),
    ],
}

# Extra teachers who took part over the years: (e-mail, name, region, school index, title).
ALUMNI = [
    ("alumni-sh1@yingzi.example", "郑晓峰", "sh", 1, "教导主任"),
    ("alumni-sh2@yingzi.example", "蒋丽华", "sh", 2, "副校长"),
    ("alumni-js1@yingzi.example", "韩志明", "js", 3, "副校长"),
    ("alumni-js2@yingzi.example", "曹雅静", "js", 4, "教科室主任"),
    ("alumni-js3@yingzi.example", "彭建军", "js", 5, "实训处主任"),
    ("alumni-js4@yingzi.example", "沈佳怡", "js", 4, "语文教研组长"),
    ("alumni-zj1@yingzi.example", "潘国强", "zj", 6, "副校长"),
    ("alumni-zj2@yingzi.example", "叶小青", "zj", 7, "德育主任"),
    ("alumni-ah1@yingzi.example", "汪德胜", "ah", 9, "副校长"),
    ("alumni-ah2@yingzi.example", "程慧敏", "ah", 11, "教务主任"),
]

# Past summits and forums: (slug, title, English title, host region, kind, hours, months before today).
EVENTS = [
    (
        "summit-history-1",
        "第五届长三角校长发展峰会",
        "5th YRD school leaders' development summit",
        "sh",
        "summit",
        "12",
        30,
    ),
    (
        "forum-history-1",
        "长三角班主任基本功展示与德育创新论坛",
        "YRD homeroom teaching and moral education forum",
        "zj",
        "forum",
        "8",
        26,
    ),
    (
        "forum-history-2",
        "苏皖跨省远程互动教研论坛",
        "Jiangsu-Anhui remote teaching research forum",
        "ah",
        "forum",
        "6",
        20,
    ),
    (
        "summit-history-2",
        "第六届长三角校长发展峰会",
        "6th YRD school leaders' development summit",
        "js",
        "summit",
        "12",
        18,
    ),
    (
        "forum-history-3",
        "长三角名师工作室联盟年会",
        "YRD master-teacher studio alliance meeting",
        "sh",
        "forum",
        "6",
        9,
    ),
    ("forum-history-4", "长三角新课程教学改革论坛", "YRD new curriculum teaching reform forum", "zj", "forum", "8", 5),
]

REFUSAL = "该论坛未在江苏省教师继续教育平台备案，按本省规则不予认定学分。"


def seed_credits(*, regions: dict, schools: list, users: dict, programmes: dict) -> dict:
    """Rules, three years of cohorts and events, the records they make, and the Jiangsu office's decisions."""
    from training.models import Certificate

    admin = users["admin"]
    today = timezone.localdate()
    _rules(regions=regions, admin=admin, today=today)
    alumni = [
        demo_person(email=email, name=name, region=regions[code], school=schools[index], title=title)
        for email, name, code, index, title in ALUMNI
    ]
    from accounts.models import User

    demo_people = list(
        User.objects.filter(email__in=[f"trainee{n}@yingzi.example" for n in range(2, 8)]).order_by("email")
    )
    # The demo trainee and the graduate keep their one cohort and certificate each (the journeys walk
    # through them); the graduate also went to past forums, and the others have three years of history.
    people = [*demo_people, *alumni]
    certificates = []
    for years_ago in (3, 2, 1):
        certificates += _past_cohort(
            years_ago=years_ago,
            people=people,
            regions=regions,
            schools=schools,
            users=users,
            programme=programmes["teacher" if years_ago % 2 else "principal"],
            today=today,
        )
    demo_certificate = Certificate.objects.filter(code="DEMO-2025-AHSH").first()
    if demo_certificate:
        certificates.append(demo_certificate)
    from credits.services import records_from_certificates

    records_from_certificates(certificates=certificates)
    graduate = User.objects.filter(email="graduate@yingzi.example").first()
    # The demo trainee's own registrations stay those of this year's summit (the event journey takes hers).
    _past_events(people=[*people, *([graduate] if graduate else [])], regions=regions, admin=admin, today=today)
    decided = _office_decisions(regions=regions, office=users["regional_admin"])
    _joint_office(regions=regions)
    return {"certificates": len(certificates), "decided": decided}


def _joint_office(*, regions: dict) -> None:
    """陈立群 of the joint office (长三角联训办公室), who sees every region's figures."""
    from django.contrib.auth.models import Group

    from accounts.models import Profile
    from accounts.permissions import JOINT_OFFICE_GROUP

    person = demo_person(
        email="joint-office@yingzi.example",
        name="陈立群",
        region=regions["sh"],
        school=None,
        title="长三角联训办公室主任",
    )
    Profile.objects.filter(user=person).update(stages=[])
    person.groups.add(Group.objects.get_or_create(name=JOINT_OFFICE_GROUP)[0])


def demo_person(*, email, name, region, school, title):
    """A demo teacher with a profile and a verified address (the password of every demo account)."""
    from allauth.account.models import EmailAddress

    from accounts.models import Profile, User

    from .people import DEMO_PASSWORD

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "region": region,
            "school": school,
            "title": title,
            "stages": [str(school.stage)] if school else [],
            "subjects": [],
        },
    )
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def _rules(*, regions: dict, admin, today: datetime.date) -> None:
    from credits.models import RecognitionRule
    from credits.services import rule_create

    starts = [datetime.date(today.year - 3, 1, 1), datetime.date(today.year - 1, 1, 1)]
    for code, versions in RULES.items():
        region = regions[code]
        if RecognitionRule.objects.filter(region=region).exists():
            continue
        for start, (conversions, caps, accepts) in zip(starts, versions, strict=True):
            rule_create(
                acting_user=admin,
                region=region,
                effective_from=start,
                hours_per_credit=conversions,
                yearly_caps=caps,
                accepts=accepts,
                note=f"{region.name}继续教育学分认定办法（{start.year}年版）",
            )


def _past_cohort(*, years_ago, people, regions, schools, users, programme, today) -> list:
    """A cohort of an earlier year, jointly run by all four regions, whose trainees finished (one withdrew)."""
    from accounts.models import Profile
    from mentorship.models import Pairing, PairingStatus
    from training.models import (
        Certificate,
        Cohort,
        CohortMembership,
        CohortRegion,
        CohortStatus,
        HoursSource,
        MembershipStatus,
    )

    from .ledger import summary_credit

    year = today.year - years_ago
    season = "春季" if years_ago != 2 else "秋季"
    cohort, _ = Cohort.objects.update_or_create(
        programme=programme,
        name=f"{year}年{season}{'影子教师' if programme.code == 'YRD-ST' else '影子校长'}联训班",
        defaults={
            "name_en": f"{'Spring' if years_ago != 2 else 'Autumn'} {year} joint {'shadow teacher' if programme.code == 'YRD-ST' else 'shadow principal'} cohort",
            "starts_on": datetime.date(year, 3 if years_ago != 2 else 9, 1),
            "ends_on": datetime.date(year, 6 if years_ago != 2 else 12, 20),
            "status": CohortStatus.COMPLETED,
            "capacity": 40,
        },
    )
    for region in regions.values():
        CohortRegion.objects.get_or_create(cohort=cohort, region=region, defaults={"quota": 10})
    CohortMembership.objects.update_or_create(
        cohort=cohort, user=users["coordinator"], role="coordinator", defaults={"status": MembershipStatus.COMPLETED}
    )
    rng = random.Random(year)  # noqa: S311 -- demo data
    taking_part = [person for index, person in enumerate(people) if (index + years_ago) % 3 != 0]
    homes = dict(Profile.objects.filter(user__in=taking_part).values_list("user_id", "region_id"))
    by_region = {}
    for school in schools:
        by_region.setdefault(school.region_id, []).append(school)
    certificates = []
    for index, person in enumerate(taking_part):
        home = homes.get(person.pk)
        withdrew = index == 4
        membership, _ = CohortMembership.objects.update_or_create(
            cohort=cohort,
            user=person,
            role="trainee",
            defaults={
                "status": MembershipStatus.WITHDRAWN if withdrew else MembershipStatus.COMPLETED,
                "region_id": home,
            },
        )
        # Hosted in another region, mostly; one in four stays at home.
        host_region_ids = [pk for pk in by_region if pk != home] if index % 4 else [home]
        host_school = by_region[rng.choice(host_region_ids)][0] if host_region_ids and host_region_ids[0] else None
        if host_school is not None and not withdrew:
            Pairing.objects.get_or_create(
                cohort=cohort,
                trainee=person,
                defaults={
                    "mentor": users["mentor"],
                    "kind": programme.kind,
                    "host_school": host_school,
                    "starts_on": cohort.starts_on,
                    "ends_on": cohort.ends_on,
                    "status": PairingStatus.COMPLETED,
                },
            )
        if withdrew:
            continue
        hours = Decimal(rng.choice(["48", "56", "64", "72", "76", "80"]))
        for source, share, obj in (
            (HoursSource.ATTENDANCE, Decimal("0.5"), cohort),
            (HoursSource.MENTORING, Decimal("0.5"), membership),
        ):
            summary_credit(
                trainee=person,
                hours=hours * share,
                source=source,
                last_day=cohort.ends_on,
                source_object=obj,
                cohort=cohort,
                note="演示数据：往年学时（汇总）",
            )
        host = regions_by_pk(regions).get(host_school.region_id) if host_school else None
        code = f"DEMO-{year}-{index:02d}{years_ago}"
        certificate, _ = Certificate.objects.update_or_create(
            code=code,
            defaults={
                "membership": membership,
                "holder_name": person.get_full_name(),
                "programme_title": programme.title,
                "programme_title_en": programme.title_en,
                "cohort_name": cohort.name,
                "cohort_name_en": cohort.name_en,
                "starts_on": cohort.starts_on,
                "ends_on": cohort.ends_on,
                "hours": hours,
                "home_region": regions_by_pk(regions)[home].name if home else "",
                "home_region_en": regions_by_pk(regions)[home].name_en if home else "",
                "host_regions": [{"name": host.name, "name_en": host.name_en}] if host else [],
                "issuing_regions": [{"name": r.name, "name_en": r.name_en} for r in regions.values()],
                "issued_at": timezone.make_aware(datetime.datetime.combine(cohort.ends_on, datetime.time(10))),
                "issued_by": users["coordinator"],
            },
        )
        certificates.append(certificate)
    return certificates


def regions_by_pk(regions: dict) -> dict:
    return {region.pk: region for region in regions.values()}


def _past_events(*, people, regions, admin, today) -> None:
    """Summits and forums of the last three years, hosted by each region, with the demo people checked in."""
    from wagtail.models import Locale

    from cms.models import EventIndexPage, EventPage, EventRegistration, RegistrationStatus
    from training.models import HoursSource
    from training.services import hours_credit

    index = EventIndexPage.objects.filter(locale__language_code="zh-hans").first()
    if index is None:
        return
    english = Locale.objects.filter(language_code="en").first()
    for number, (slug, title, title_en, code, kind, hours, months) in enumerate(EVENTS):
        starts = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=30 * months), datetime.time(9))
        )
        event = EventPage.objects.child_of(index).filter(slug=slug).first()
        if event is None:
            event = EventPage(
                slug=slug,
                title=title,
                kind=kind,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=8),
                host_region=regions[code],
                capacity=300,
                credit_hours=Decimal(hours),
                summary="往届活动：材料已发布。",
                registration_opens_at=starts - datetime.timedelta(days=30),
                registration_closes_at=starts,
            )
            index.add_child(instance=event)
            event.save_revision().publish()
            if english and not EventPage.objects.filter(locale=english, translation_key=event.translation_key).exists():
                translation = event.copy_for_translation(english)
                translation.title = title_en
                translation.save_revision().publish()
        for offset, person in enumerate(people):
            if (offset + number) % 2:
                continue
            registration, _ = EventRegistration.objects.get_or_create(
                event=event,
                user=person,
                status=RegistrationStatus.CONFIRMED,
                defaults={"created_at": starts - datetime.timedelta(days=10)},
            )
            if registration.checked_in_at is None:
                registration.checked_in_at = starts
                registration.checked_in_by = admin
                registration.save(update_fields=["checked_in_at", "checked_in_by"])
            hours_credit(
                trainee=person,
                hours=event.credit_hours,
                source=HoursSource.EVENT,
                occurred_on=timezone.localdate(event.starts_at),
                source_object=registration,
                credited_by=admin,
                note=event.title[:200],
            )


def _office_decisions(*, regions: dict, office) -> int:
    """The Jiangsu office recognises most of its queue and refuses one forum, with its reason; the rest waits."""
    from credits.models import Recognition, RecognitionStatus
    from credits.services import recognition_decide

    jiangsu = regions["js"]
    if Recognition.objects.filter(region=jiangsu, status=RecognitionStatus.REFUSED).exists():
        return 0
    waiting = list(
        Recognition.objects.filter(region=jiangsu, status=RecognitionStatus.PENDING, record__corrects__isnull=True)
        .select_related("record")
        .order_by("record__occurred_on", "pk")
    )
    if not waiting:
        return 0
    refuse = next((r for r in waiting if r.record.kind == "event"), waiting[0])
    recognition_decide(acting_user=office, recognition_ids=[refuse.pk], recognise=False, reason=REFUSAL)
    rest = [r for r in waiting if r.pk != refuse.pk]
    # The older half is recognised; the newer half stays in the queue for the demo.
    older = rest[: len(rest) // 2]
    if older:
        recognition_decide(acting_user=office, recognition_ids=[r.pk for r in older], recognise=True)
    return 1 + len(older)


SCALE_YEARS = 5
SCALE_RECORDS_PER_YEAR = 2
SCALE_CHUNK = 5000


def seed_scale_credits(*, scale: int, regions: dict) -> int:
    """Five years of records for every scale person (trainees and mentors), in bulk: a ledger line, its record,
    and each region's decision.

    The same arithmetic as the services (`credits.arithmetic`, the rules in force on each
    date, caps counted per person, region, year and category), computed while the rows are
    made and written by COPY (`demo.seeding.bulk`) in chunks; repeated runs add nothing.
    """
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import Profile
    from credits.arithmetic import convert, grant
    from credits.models import (
        DEFAULT_HOURS_PER_CREDIT,
        CreditRecord,
        Recognition,
        RecognitionRule,
        RecognitionStatus,
    )
    from training.models import HoursEntry, HoursSource

    from .bulk import copy_rows, reserve_ids

    suffix = f".s{scale}@scale.yingzi.example"
    people = list(
        Profile.objects.filter(user__email__endswith=suffix, region__isnull=False)
        .order_by("user_id")
        .values_list("user_id", "region_id")
    )
    if not people or CreditRecord.objects.filter(person_id=people[0][0]).exists():
        return 0
    rng = random.Random(scale * 7)  # noqa: S311 -- demo data
    region_list = list(regions.values())
    codes = {region.pk: region.code for region in region_list}
    rules = {}
    for rule in RecognitionRule.objects.all():
        rules.setdefault(rule.region_id, []).append(rule)

    def rule_on(region_id, day):
        for rule in rules.get(region_id, ()):
            if rule.effective_from <= day and (rule.effective_to is None or day <= rule.effective_to):
                return rule
        return None

    entry_type = ContentType.objects.get_for_model(HoursEntry)
    counted_statuses = set(RecognitionStatus.counted())
    today = timezone.localdate()
    counted = {}
    made = 0
    for start in range(0, len(people), SCALE_CHUNK):
        chunk = people[start : start + SCALE_CHUNK]
        plans = []
        for person_id, home in chunk:
            for years_ago in range(SCALE_YEARS):
                for _ in range(SCALE_RECORDS_PER_YEAR):
                    start_of_year = today.replace(year=today.year - years_ago, month=1, day=1)
                    day = min(start_of_year + datetime.timedelta(days=rng.randrange(330)), today)
                    slug, title, title_en, code, kind, hours, _months = rng.choice(EVENTS)
                    issuer = regions[code].pk if rng.random() < 0.7 else home
                    plans.append((person_id, home, day, title, title_en, issuer, Decimal(hours)))
        # Keys taken beforehand: each record names its ledger line, each recognition its record.
        entry_ids = reserve_ids(HoursEntry, len(plans))
        record_ids = reserve_ids(CreditRecord, len(plans))
        copy_rows(
            HoursEntry,
            ["id", "trainee", "source", "hours", "occurred_on", "note"],
            (
                (entry_id, p, HoursSource.EVENT, h, d, t[:200])
                for entry_id, (p, _home, d, t, _en, _issuer, h) in zip(entry_ids, plans, strict=True)
            ),
        )
        records = []
        for entry_id, record_id, (person_id, home, day, title, title_en, issuer, hours) in zip(
            entry_ids, record_ids, plans, strict=True
        ):
            rule = rule_on(issuer, day)
            converted = convert(hours, rule.conversion("event") if rule else DEFAULT_HOURS_PER_CREDIT)
            records.append(
                (record_id, person_id, title, title_en, hours, converted, day, issuer, home, entry_type.pk, entry_id)
            )
        copy_rows(
            CreditRecord,
            [
                "id",
                "person",
                "kind",
                "category",
                "title",
                "title_en",
                "hours",
                "credits",
                "occurred_on",
                "issuing_region",
                "home_region",
                "source_type",
                "source_id",
            ],
            ((*row[:2], "event", "exchange", *row[2:]) for row in records),
        )
        recognitions = []
        for record_id, person_id, _title, _en, hours, _credits, day, issuer, home, _type, _entry in records:
            regions_deciding = [(issuer, RecognitionStatus.ISSUED)]
            if home != issuer:
                roll = rng.random()
                rule = rule_on(home, day)
                if rule and rule.accepts_automatically("event", codes[issuer]):
                    status = RecognitionStatus.RECOGNISED
                elif roll < 0.6:
                    status = RecognitionStatus.RECOGNISED
                elif roll < 0.95:
                    status = RecognitionStatus.PENDING
                else:
                    status = RecognitionStatus.REFUSED
                regions_deciding.append((home, status))
            for region_id, status in regions_deciding:
                rule = rule_on(region_id, day)
                rate = rule.conversion("event") if rule else DEFAULT_HOURS_PER_CREDIT
                credits = Decimal("0")
                converted = None
                counted_status = status in counted_statuses
                if counted_status:
                    key = (person_id, region_id, day.year, "exchange")
                    converted = convert(hours, rate)
                    credits = grant(
                        converted,
                        cap=rule.cap("exchange") if rule else None,
                        counted_this_year=counted.get(key, Decimal("0")),
                        counted_for_record=Decimal("0"),
                    )
                    counted[key] = counted.get(key, Decimal("0")) + credits
                recognitions.append(
                    (
                        record_id,
                        region_id,
                        status,
                        status != RecognitionStatus.PENDING,
                        rule.pk if rule and counted_status else None,
                        rate if converted is not None else None,
                        converted,
                        credits,
                        person_id,
                        day.year,
                        "exchange",
                        region_id == home,
                        "未在本省继续教育平台备案" if status == RecognitionStatus.REFUSED else "",
                    )
                )
        copy_rows(
            Recognition,
            [
                "record",
                "region",
                "status",
                "automatic",
                "rule",
                "hours_per_credit",
                "credits_converted",
                "credits",
                "person",
                "year",
                "category",
                "home",
                "reason",
            ],
            recognitions,
        )
        made += len(records)
    from django.db import connection

    from regional.indicators import indicators_invalidate

    if connection.vendor == "postgresql":
        # Fresh statistics after a bulk load, so that the planner joins memberships and pairings by hash.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE credits_creditrecord, credits_recognition, training_cohortmembership, "
                "mentorship_pairing, training_hoursentry, accounts_profile"
            )
    indicators_invalidate()
    return made
