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


# --- A living cohort: more people, a schedule, attendance, assignments and hours ---------

# (e-mail, name, role, region code, school index, title)
COHORT_PEOPLE = [
    ("trainee2@yingzi.example", "王建华", "trainee", "js", 4, "副校长"),
    ("trainee3@yingzi.example", "刘海燕", "trainee", "zj", 8, "教学副校长"),
    ("trainee4@yingzi.example", "赵磊", "trainee", "zj", 6, "德育主任"),
    ("trainee5@yingzi.example", "黄文静", "trainee", "ah", 9, "副校长"),
    ("trainee6@yingzi.example", "徐志强", "trainee", "js", 3, "校长助理"),
    ("trainee7@yingzi.example", "Lin Mei 林梅", "trainee", "sh", 2, "副校长"),
    ("mentor2@yingzi.example", "吴国平", "mentor", "js", 3, "校长"),
    ("mentor3@yingzi.example", "杨丽娟", "mentor", "zj", 6, "校长"),
]
APPLICANT = ("applicant@yingzi.example", "孙悦", "js", 5, "教务主任")
INVITEE = ("invitee@yingzi.example", "何婷", "ah", 11, "副校长")
AT_RISK = "trainee4@yingzi.example"


def _person(*, email, name, region, school, title, language="zh-hans"):
    from accounts.models import Profile, User

    from .people import DEMO_PASSWORD, verify_email

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD)
    user.display_name = name
    user.preferred_language = language
    user.save(update_fields=["display_name", "preferred_language"])
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "region": region,
            "school": school,
            "title": title,
            "stages": [str(school.stage)],
            "subjects": ["leadership"],
        },
    )
    verify_email(user)
    return user


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed_cohort_life(*, cohort: Cohort, regions: dict, schools: list, users: dict) -> dict:
    """People, a schedule around today, attendance, assignments and hours, so every dashboard shows something."""
    from training import services
    from training.models import (
        Assignment,
        AssignmentKind,
        Audience,
        HoursSource,
        ReviewerRole,
        ScheduleItem,
        ScheduleItemKind,
        ScheduleItemStatus,
        Submission,
    )

    coordinator = users["coordinator"]
    people = {"trainee@yingzi.example": users["trainee"]}
    for email, name, role, region_code, school_index, title in COHORT_PEOPLE:
        user = _person(email=email, name=name, region=regions[region_code], school=schools[school_index], title=title)
        CohortMembership.objects.update_or_create(
            cohort=cohort,
            user=user,
            role=role,
            defaults={"status": CohortMembership.Status.ACTIVE, "region": regions[region_code]},
        )
        people[email] = user
    trainees = [user for email, user in people.items() if email.startswith("trainee")]

    today = timezone.localdate()
    plan = [
        # title, title_en, kind, start, end, required, hours/day, place, online, host school, audience
        (
            "开班式暨第一次集中研修",
            "Opening and first workshop",
            ScheduleItemKind.WORKSHOP,
            _at(today - datetime.timedelta(days=28), 9),
            _at(today - datetime.timedelta(days=28), 17),
            True,
            "6",
            "上海市教育会堂",
            "",
            None,
            Audience.COHORT,
        ),
        (
            "第一轮跟岗研修（浦江实验小学）",
            "First shadowing block (Pujiang Experimental Primary)",
            ScheduleItemKind.SHADOWING_BLOCK,
            _at(today - datetime.timedelta(days=14), 8),
            _at(today - datetime.timedelta(days=10), 17),
            True,
            "6",
            "浦江实验小学",
            "",
            schools[0],
            Audience.TRAINEES,
        ),
        (
            "远程互动教研：大单元教学设计",
            "Remote research lesson: unit design",
            ScheduleItemKind.REMOTE_LESSON,
            _at(today - datetime.timedelta(days=5), 14),
            _at(today - datetime.timedelta(days=5), 16),
            False,
            "2",
            "",
            "https://meeting.example.cn/yrd-unit-design",
            None,
            Audience.COHORT,
        ),
        (
            "校长领导力工作坊：学校发展规划",
            "Leadership workshop: school development planning",
            ScheduleItemKind.WORKSHOP,
            _at(today + datetime.timedelta(days=1), 9),
            _at(today + datetime.timedelta(days=1), 12),
            True,
            "3",
            "南京市秦淮区教师发展中心",
            "",
            None,
            Audience.COHORT,
        ),
        (
            "名校考察：西溪实验学校",
            "School visit: Xixi Experimental School",
            ScheduleItemKind.SCHOOL_VISIT,
            _at(today + datetime.timedelta(days=7), 9),
            _at(today + datetime.timedelta(days=7), 16),
            False,
            "4",
            "西溪实验学校",
            "",
            schools[6],
            Audience.COHORT,
        ),
        (
            "第二轮跟岗研修（秦淮初级中学）",
            "Second shadowing block (Qinhuai Junior High)",
            ScheduleItemKind.SHADOWING_BLOCK,
            _at(today + datetime.timedelta(days=10), 8),
            _at(today + datetime.timedelta(days=14), 17),
            True,
            "6",
            "秦淮初级中学",
            "",
            schools[3],
            Audience.TRAINEES,
        ),
        (
            # The summit on the public site is this item (linked from its event page in `cms.seed_site`):
            # the same day and place, so the door's check-in is the cohort's attendance.
            "长三角校长高峰论坛",
            "Yangtze River Delta principals' summit forum",
            ScheduleItemKind.FORUM,
            _at(today + datetime.timedelta(days=30), 9),
            _at(today + datetime.timedelta(days=30), 17),
            False,
            "6",
            "上海市教育会堂",
            "",
            None,
            Audience.COHORT,
        ),
    ]
    items = {}
    for title, title_en, kind, starts_at, ends_at, required, hours, place, online, host, audience in plan:
        item, _ = ScheduleItem.objects.update_or_create(
            cohort=cohort,
            title=title,
            defaults={
                "title_en": title_en,
                "kind": kind,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "required": required,
                "credit_hours": Decimal(hours),
                "location": place,
                "online_url": online,
                "host_school": host,
                "audience": audience,
                "created_by": coordinator,
                "description": "请提前十分钟到场签到。",
                "description_en": "Please arrive ten minutes early to check in.",
            },
        )
        items[title_en] = item
    visit = items["School visit: Xixi Experimental School"]
    if visit.status != ScheduleItemStatus.CANCELLED:
        services.schedule_item_cancel(
            item=visit, acting_user=coordinator, reason="接待学校临时承担市级活动，考察改期另行通知。"
        )

    at_risk = people[AT_RISK]
    for item in items.values():
        if item.is_cancelled or item.ends_at > timezone.now():
            continue
        for day in item.days:
            present = [
                trainee.pk
                for trainee in trainees
                if not (trainee == at_risk and (not item.is_multi_day or day > item.days[1]))
            ]
            services.attendance_mark(
                item=item, acting_user=coordinator, day=day, present_ids=present, trainee_ids=[t.pk for t in trainees]
            )

    assignments = {}
    for title, title_en, kind, due, reviewer, required, hours in [
        (
            "第一轮跟岗研修反思",
            "Reflection on the first shadowing block",
            AssignmentKind.REFLECTION,
            _at(today - datetime.timedelta(days=9), 23, 59),
            ReviewerRole.MENTOR,
            True,
            "4",
        ),
        (
            "学校发展行动计划",
            "School development action plan",
            AssignmentKind.ACTION_PLAN,
            _at(today + datetime.timedelta(days=5), 23, 59),
            ReviewerRole.COORDINATOR,
            True,
            "6",
        ),
        (
            "教学管理案例分析",
            "Case study in school management",
            AssignmentKind.CASE_STUDY,
            _at(today + datetime.timedelta(days=40), 23, 59),
            ReviewerRole.MENTOR,
            False,
            "2",
        ),
    ]:
        assignment, _ = Assignment.objects.update_or_create(
            cohort=cohort,
            title=title,
            defaults={
                "title_en": title_en,
                "kind": kind,
                "due_at": due,
                "reviewer": reviewer,
                "required": required,
                "credit_hours": Decimal(hours),
                "created_by": coordinator,
                "instructions": "结合跟岗所见所思，1500字以内。",
                "instructions_en": "Draw on what you saw while shadowing; up to 1,500 characters.",
            },
        )
        assignments[title_en] = assignment
    reflection = assignments["Reflection on the first shadowing block"]
    for trainee in trainees:
        if trainee == at_risk or Submission.objects.filter(assignment=reflection, trainee=trainee).exists():
            continue
        submission = services.submission_create(
            assignment=reflection,
            acting_user=trainee,
            text="跟岗期间我重点观察了学校的教研制度和课程领导方式，收获很大。",
        )
        services.submission_review(
            submission=submission, acting_user=coordinator, accept=True, comment="思考深入，请在行动计划中落实。"
        )

    # The demo trainee's mentoring hours come from real session logs (demo/seeding/mentorship.py);
    # the others get one summary entry so that their progress is realistic.
    for trainee in trainees:
        if trainee == users["trainee"]:
            continue
        membership = CohortMembership.objects.get(cohort=cohort, user=trainee, role="trainee")
        recent = trainee != at_risk
        services.hours_credit(
            trainee=trainee,
            hours=Decimal("16") if recent else Decimal("2"),
            source=HoursSource.MENTORING,
            occurred_on=today - datetime.timedelta(days=3 if recent else 30),
            source_object=membership,
            cohort=cohort,
            note="演示数据：已确认的带教学时（汇总）",
        )

    applicant = _person(
        email=APPLICANT[0],
        name=APPLICANT[1],
        region=regions[APPLICANT[2]],
        school=schools[APPLICANT[3]],
        title=APPLICANT[4],
    )
    CohortMembership.objects.get_or_create(
        cohort=cohort,
        user=applicant,
        role="trainee",
        defaults={
            "status": CohortMembership.Status.APPLIED,
            "region": regions[APPLICANT[2]],
            "statement": "希望在跟岗中学习优质学校的课程治理经验，带回本校推动教研改革。",
        },
    )
    if not CohortMembership.objects.filter(cohort=cohort, user__email=INVITEE[0]).exists():
        services.invitation_create(
            cohort=cohort,
            acting_user=coordinator,
            email=INVITEE[0],
            display_name=INVITEE[1],
            role="trainee",
            region=regions[INVITEE[2]],
            school=schools[INVITEE[3]],
        )
    return {"items": items, "assignments": assignments}


def seed_completed_cohort(*, programmes: dict, regions: dict, schools: list, users: dict) -> None:
    """Last year's cohort with a signed-off trainee, so /verify/DEMO-2025-AHSH/ shows a valid certificate."""
    from training.models import Certificate

    today = timezone.localdate()
    cohort, _ = Cohort.objects.update_or_create(
        programme=programmes["teacher"],
        name=f"{today.year - 1}年春季影子教师班",
        defaults={
            "name_en": f"Spring {today.year - 1} shadow teacher cohort",
            "starts_on": datetime.date(today.year - 1, 3, 1),
            "ends_on": datetime.date(today.year - 1, 6, 30),
            "status": CohortStatus.COMPLETED,
            "capacity": 30,
        },
    )
    for code in ("sh", "ah"):
        CohortRegion.objects.update_or_create(cohort=cohort, region=regions[code], defaults={"quota": 15})
    graduate = _person(
        email="graduate@yingzi.example", name="方雅琴", region=regions["ah"], school=schools[10], title="语文教研组长"
    )
    membership, _ = CohortMembership.objects.update_or_create(
        cohort=cohort,
        user=graduate,
        role="trainee",
        defaults={"status": CohortMembership.Status.COMPLETED, "region": regions["ah"]},
    )
    CohortMembership.objects.update_or_create(
        cohort=cohort,
        user=users["coordinator"],
        role="coordinator",
        defaults={"status": CohortMembership.Status.COMPLETED},
    )
    # The ledger behind the certificate's 76 hours, so that the cohort's hours export agrees with it.
    from training.models import HoursSource

    from .ledger import summary_credit

    for source, hours, source_object in (
        (HoursSource.ATTENDANCE, "36", cohort),
        (HoursSource.MENTORING, "30", membership),
        (HoursSource.ASSIGNMENT, "10", cohort.programme),
    ):
        summary_credit(
            trainee=graduate,
            hours=Decimal(hours),
            source=source,
            last_day=cohort.ends_on,
            source_object=source_object,
            cohort=cohort,
            note="演示数据：结业前的学时（汇总）",
        )
    Certificate.objects.update_or_create(
        code="DEMO-2025-AHSH",
        defaults={
            "membership": membership,
            "holder_name": graduate.display_name,
            "programme_title": cohort.programme.title,
            "programme_title_en": cohort.programme.title_en,
            "cohort_name": cohort.name,
            "cohort_name_en": cohort.name_en,
            "starts_on": cohort.starts_on,
            "ends_on": cohort.ends_on,
            "hours": Decimal("76"),
            "home_region": regions["ah"].name,
            "home_region_en": regions["ah"].name_en,
            "host_regions": [{"name": regions["sh"].name, "name_en": regions["sh"].name_en}],
            "issuing_regions": [{"name": regions[c].name, "name_en": regions[c].name_en} for c in ("sh", "ah")],
            "issued_at": _at(datetime.date(today.year - 1, 7, 5), 10),
            "issued_by": users["coordinator"],
        },
    )
