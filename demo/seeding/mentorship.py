"""Demo mentorship: the demo trainee shadows the demo mentor, with logs, reflections and a matching to review."""

import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Profile, Stage, Subject, User
from mentorship import services
from mentorship.models import (
    BatchStatus,
    HostProfile,
    HostWindow,
    MatchingBatch,
    MatchingPreference,
    Pairing,
    PairingStatus,
    SessionLog,
    SessionLogStatus,
)
from training.models import Cohort, CohortMembership, HoursEntry, HoursSource, MembershipRole, MembershipStatus

from .people import DEMO_PASSWORD

# Extra people so the coordinator's matching page has something to weigh.
# (e-mail, name, region, school index, title, subjects, role)
EXTRA_PEOPLE = [
    ("host.jiangsu@yingzi.example", "吴静怡", "js", 4, "校长", [Subject.LEADERSHIP, Subject.CHINESE], "mentor"),
    ("host.zhejiang@yingzi.example", "郑国华", "zj", 6, "校长", [Subject.LEADERSHIP, Subject.MATHEMATICS], "mentor"),
    ("shadow.jiangsu@yingzi.example", "许文博", "js", 3, "副校长", [Subject.LEADERSHIP], "trainee"),
    ("shadow.zhejiang@yingzi.example", "林雨桐", "zj", 8, "副校长", [Subject.LEADERSHIP, Subject.ENGLISH], "trainee"),
    ("shadow.anhui@yingzi.example", "方志远", "ah", 9, "副校长", [Subject.LEADERSHIP, Subject.MATHEMATICS], "trainee"),
]

# A trainee's focus areas and ranked wishes (hosts by e-mail).
EXTRA_WISHES = [
    ("shadow.jiangsu@yingzi.example", ["optimising_management", "adjusting_outside"], ["host.zhejiang@yingzi.example"]),
    (
        "shadow.zhejiang@yingzi.example",
        ["planning_development", "shaping_culture"],
        ["mentor@yingzi.example", "host.jiangsu@yingzi.example"],
    ),
    ("shadow.anhui@yingzi.example", ["leading_teaching"], ["mentor@yingzi.example", "host.jiangsu@yingzi.example"]),
]

LOGS = [
    (
        26,
        "8",
        "shadow_day",
        "跟随陈校长参加了行政例会和教研组长会议，观察会议如何围绕学校三年规划推进。",
        "会议节奏快，很多决策背景我还不了解。",
        "整理学校三年规划的关键节点，对照本校做一份差距分析。",
        "下次会前把规划文本发给学员预习。",
        ["planning_development"],
    ),
    (
        19,
        "3",
        "observation",
        "一起听了两节数学课并做了课后评议，学员对课堂观察量表的使用很快上手。",
        "评课时对青年教师的反馈还偏笼统。",
        "用“一优点一建议”的方式重写评课记录。",
        "分享本校青年教师培养方案。",
        ["leading_teaching", "guiding_teacher_growth"],
    ),
    (
        12,
        "2",
        "debrief",
        "复盘本周跟岗，讨论如何把“全员导师制”迁移到农村小学。",
        "本校教师少、兼课多，制度需要简化。",
        "起草一页纸的导师制试点方案。",
        "联系一所规模相近的学校供学员参观。",
        ["shaping_culture"],
    ),
]


def _person(email, name, region, school, title, subjects, role, cohort):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(email=email, display_name=name, password=make_password(DEMO_PASSWORD))
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "region": region,
            "school": school,
            "title": title,
            "subjects": [str(s) for s in subjects],
            "stages": [school.stage],
            "years_of_experience": 24 if role == "mentor" else 11,
        },
    )
    CohortMembership.objects.update_or_create(
        cohort=cohort, user=user, role=role, defaults={"status": MembershipStatus.ACTIVE, "region": region}
    )
    return user


def seed_mentorship(*, cohort: Cohort, users: dict, regions: dict, schools: list) -> Pairing:
    """Idempotent: a live pairing for the demo trainee and mentor, and a matching batch to review."""
    mentor, trainee, coordinator = users["mentor"], users["trainee"], users["coordinator"]
    HostProfile.objects.update_or_create(
        user=mentor,
        defaults={
            "school": mentor.profile.school,
            "focus_areas": ["planning_development", "shaping_culture", "guiding_teacher_growth"],
            "stages": [Stage.PRIMARY],
            "subjects": [Subject.LEADERSHIP, Subject.MATHEMATICS],
            "capacity": 3,
        },
    )
    extras = [
        _person(email, name, regions[code], schools[index], title, subjects, role, cohort)
        for email, name, code, index, title, subjects, role in EXTRA_PEOPLE
    ]
    for person in extras:
        if CohortMembership.objects.filter(cohort=cohort, user=person, role=MembershipRole.MENTOR).exists():
            HostProfile.objects.update_or_create(
                user=person,
                defaults={
                    "school": person.profile.school,
                    "focus_areas": ["leading_teaching", "optimising_management", "adjusting_outside"],
                    "stages": [person.profile.school.stage],
                    "subjects": person.profile.subjects,
                    "capacity": 2,
                },
            )
    for host in HostProfile.objects.filter(user__in=[mentor, *extras]).select_related("school"):
        HostWindow.objects.update_or_create(
            school=host.school,
            term=f"{cohort.starts_on.year}年秋季学期",
            defaults={"starts_on": cohort.starts_on, "ends_on": cohort.ends_on, "capacity": 4},
        )
    MatchingPreference.objects.update_or_create(
        cohort=cohort,
        trainee=trainee,
        defaults={"focus_areas": ["planning_development", "shaping_culture"], "wishes": [mentor.pk]},
    )

    hosts = {person.email: person for person in extras} | {mentor.email: mentor}
    for email, focus, wishes in EXTRA_WISHES:
        MatchingPreference.objects.update_or_create(
            cohort=cohort,
            trainee=_by_email(extras, email),
            defaults={"focus_areas": focus, "wishes": [hosts[wish].pk for wish in wishes]},
        )
    pairing = Pairing.objects.filter(cohort=cohort, trainee=trainee).first()
    if pairing is None:
        pairing = _live_pairing(cohort, trainee, mentor, coordinator)
    if not MatchingBatch.objects.filter(cohort=cohort).exclude(status=BatchStatus.FAILED).exists():
        batch = MatchingBatch.objects.create(cohort=cohort, created_by=coordinator)
        services.matching_batch_run(batch_id=batch.pk)
    return pairing


def _by_email(people, email):
    return next(person for person in people if person.email == email)


def _live_pairing(cohort, trainee, mentor, coordinator) -> Pairing:
    window = HostWindow.objects.get(school=mentor.host_profile.school, term=f"{cohort.starts_on.year}年秋季学期")
    pairing = Pairing.objects.create(
        cohort=cohort,
        trainee=trainee,
        mentor=mentor,
        kind=cohort.programme.kind,
        host_school=window.school,
        window=window,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        score=Decimal("86.00"),
        reasons=[
            {"code": "focus_areas", "points": 4000, "items": ["planning_development", "shaping_culture"]},
            {"code": "wish", "points": 3000, "rank": 1},
            {"code": "same_stage", "points": 700},
            {"code": "spread", "points": 1500, "demand": 1},
        ],
        agreement_focus_areas=["planning_development", "shaping_culture"],
        agreement_visit_days="每月第二周周一至周五到校跟岗；其余时间每两周一次线上研讨",
        agreement_expectations="学员全程参与学校管理例会与教研活动，每周提交一篇反思；导师每两周给出书面反馈。",
    )
    for person in (trainee, mentor, coordinator):
        pairing = services.pairing_approve(acting_user=person, pairing=pairing)
    pairing = services.pairing_start(acting_user=mentor, pairing=pairing)
    today = timezone.localdate()
    for days_ago, hours, kind, went_well, challenges, trainee_next, mentor_next, tags in LOGS:
        author = trainee if kind == "shadow_day" else mentor
        log = services.session_log_create(
            acting_user=author,
            pairing=pairing,
            occurred_on=today - datetime.timedelta(days=days_ago),
            hours=Decimal(hours),
            kind=kind,
            went_well=went_well,
            challenges=challenges,
            trainee_next_steps=trainee_next,
            mentor_next_steps=mentor_next,
            tags=tags,
        )
        services.session_log_confirm(acting_user=pairing.other_party(author), session_log=log)
    services.session_log_create(
        acting_user=mentor,
        pairing=pairing,
        occurred_on=today - datetime.timedelta(days=3),
        hours=Decimal("2.5"),
        kind="co_planning",
        went_well="共同设计了下学期教师读书会的方案，学员提出了很好的分层阅读思路。",
        challenges="时间安排与学员本校的期中考试冲突。",
        trainee_next_steps="完成读书会第一期的书目与分组。",
        mentor_next_steps="推荐两位读书会领读教师与学员线上交流。",
        next_meeting=timezone.now() + datetime.timedelta(days=5),
        tags=["guiding_teacher_growth"],
    )
    services.session_log_create(
        acting_user=trainee,
        pairing=pairing,
        occurred_on=today - datetime.timedelta(days=1),
        hours=Decimal("7.5"),
        kind="shadow_day",
        went_well="全天跟岗：晨会、校园巡视、家长接待日，体会到校长时间管理的细致。",
        challenges="家长接待中的突发情况处理还需要多看多学。",
        trainee_next_steps="梳理本校家长接待流程，下周与导师讨论。",
        tags=["adjusting_outside"],
    )
    first = services.reflection_create(
        acting_user=trainee,
        pairing=pairing,
        title="跟岗第一周：规划如何落到每一天",
        body="<p>过去我以为学校规划是写在文件里的目标，这一周看到陈校长把三年规划拆解到每月的例会议题中。</p>"
        "<p>回到本校，我想先把规划中的三项重点变成每月可检查的小目标。</p>",
    )
    services.reflection_comment_add(
        acting_user=mentor,
        reflection=first,
        body="观察得很准确。建议你挑一项最急需的重点先试行一个月，再根据教师反馈调整。",
    )
    services.reflection_create(
        acting_user=trainee,
        pairing=pairing,
        title="农村小学能否推行全员导师制",
        body="<p>本校只有二十几位教师，照搬需要精简。我准备先在高年级试点。</p>",
    )
    items = [code for code, _label in services.rubric_items(pairing=pairing, kind="mentor_rates_trainee")]
    services.evaluation_submit(
        acting_user=mentor,
        pairing=pairing,
        stage="midpoint",
        kind="mentor_rates_trainee",
        ratings=dict(zip(items, [3, 3, 2, 3, 2, 2], strict=True)),
        comment="规划意识强，外部沟通还需加强。",
    )
    return pairing


def seed_scale_pairings(*, scale: int) -> int:
    """Bulk pairings and session logs for the scale cohort: rows written by COPY, no per-row services or signals."""
    from .bulk import copy_rows, reserve_ids

    cohort = Cohort.objects.filter(name=f"规模测试班 {scale}").select_related("programme").first()
    if cohort is None or Pairing.objects.filter(cohort=cohort).exists():
        return 0
    people = list(
        CohortMembership.objects.filter(cohort=cohort, role__in=[MembershipRole.TRAINEE, MembershipRole.MENTOR])
        .order_by("pk")
        .values_list("role", "user_id", "user__profile__school_id", "user__profile__stages", "user__profile__subjects")
    )
    trainees = [(user_id, school_id) for role, user_id, school_id, _, _ in people if role == MembershipRole.TRAINEE]
    mentors = [row[1:] for row in people if row[0] == MembershipRole.MENTOR]
    if not mentors:
        return 0
    term = f"规模测试 {scale}"
    school_ids = {school_id for _, school_id, _, _ in mentors}
    HostWindow.objects.bulk_create(
        [
            HostWindow(school_id=school_id, term=term, starts_on=cohort.starts_on, ends_on=cohort.ends_on, capacity=50)
            for school_id in school_ids
        ],
        ignore_conflicts=True,
    )
    windows = dict(HostWindow.objects.filter(term=term).values_list("school_id", "pk"))
    hosting = set(HostProfile.objects.filter(user_id__in=[m[0] for m in mentors]).values_list("user_id", flat=True))
    copy_rows(
        HostProfile,
        ["user", "school", "focus_areas", "stages", "subjects", "capacity"],
        (
            (
                user_id,
                school_id,
                ["planning_development", "leading_teaching"],
                stages,
                [*subjects, Subject.LEADERSHIP.value],
                4,
            )
            for user_id, school_id, stages, subjects in mentors
            if user_id not in hosting
        ),
    )
    pairings = []
    for index, (trainee_id, school_id) in enumerate(trainees):
        mentor_id, host_id, _, _ = mentors[index % len(mentors)]
        if host_id == school_id:
            mentor_id, host_id, _, _ = mentors[(index + 1) % len(mentors)]
        if host_id == school_id:
            continue
        pairings.append((trainee_id, mentor_id, host_id))
    pairing_ids = reserve_ids(Pairing, len(pairings))
    copy_rows(
        Pairing,
        ["id", "cohort", "trainee", "mentor", "kind", "host_school", "window", "starts_on", "ends_on", "status"],
        (
            (
                pk,
                cohort.pk,
                trainee_id,
                mentor_id,
                cohort.programme.kind,
                host_id,
                windows[host_id],
                cohort.starts_on,
                cohort.ends_on,
                PairingStatus.ACTIVE,
            )
            for pk, (trainee_id, mentor_id, host_id) in zip(pairing_ids, pairings, strict=True)
        ),
    )
    today = timezone.localdate()
    now = timezone.now()
    sessions = [
        (pk, trainee_id, mentor_id, days_ago, status)
        for pk, (trainee_id, mentor_id, _) in zip(pairing_ids, pairings, strict=True)
        for days_ago, status in ((14, SessionLogStatus.CONFIRMED), (3, SessionLogStatus.AWAITING))
    ]
    log_ids = reserve_ids(SessionLog, len(sessions))
    copy_rows(
        SessionLog,
        [
            "id",
            "pairing",
            "author",
            "occurred_on",
            "hours",
            "kind",
            "went_well",
            "status",
            "reviewed_by",
            "reviewed_at",
        ],
        (
            (
                log_id,
                pk,
                mentor_id,
                today - datetime.timedelta(days=days_ago),
                Decimal("3.0"),
                "observation",
                "听课评课",
                status,
                trainee_id if status == SessionLogStatus.CONFIRMED else None,
                now if status == SessionLogStatus.CONFIRMED else None,
            )
            for log_id, (pk, trainee_id, mentor_id, days_ago, status) in zip(log_ids, sessions, strict=True)
        ),
    )
    log_type = ContentType.objects.get_for_model(SessionLog)
    copy_rows(
        HoursEntry,
        ["trainee", "cohort", "source", "hours", "occurred_on", "source_type", "source_id"],
        (
            (
                trainee_id,
                cohort.pk,
                HoursSource.MENTORING,
                Decimal("3.0"),
                today - datetime.timedelta(days=days_ago),
                log_type.pk,
                log_id,
            )
            for log_id, (_, trainee_id, _, days_ago, status) in zip(log_ids, sessions, strict=True)
            if status == SessionLogStatus.CONFIRMED
        ),
    )
    return len(pairings)
