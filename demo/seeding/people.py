"""Regions, schools and the demo accounts."""

from django.contrib.auth.models import Group

from accounts.models import Profile, Region, RegionalAdministrator, School, SchoolType, Stage, Subject, User
from accounts.permissions import EDITOR_GROUP, MODERATOR_GROUP

DEMO_PASSWORD = "yingzi-demo-2026"  # noqa: S105 -- printed in README for the demo only

REGIONS = [
    ("sh", "上海市", "Shanghai", 1),
    ("js", "江苏省", "Jiangsu", 2),
    ("zj", "浙江省", "Zhejiang", 3),
    ("ah", "安徽省", "Anhui", 4),
]

# Fictional schools, three per region.
SCHOOLS = [
    ("sh", "浦江实验小学", "Pujiang Experimental Primary School", "浦东新区", Stage.PRIMARY, SchoolType.EXPERIMENTAL),
    ("sh", "黄浦江畔中学", "Huangpu Riverside High School", "黄浦区", Stage.SENIOR_SECONDARY, SchoolType.PUBLIC),
    ("sh", "松林九年一贯制学校", "Songlin Nine-Year School", "松江区", Stage.NINE_YEAR, SchoolType.PUBLIC),
    ("js", "秦淮初级中学", "Qinhuai Junior High School", "南京市", Stage.JUNIOR_SECONDARY, SchoolType.PUBLIC),
    ("js", "太湖之滨小学", "Taihu Shore Primary School", "苏州市", Stage.PRIMARY, SchoolType.PUBLIC),
    ("js", "运河职业技术学校", "Grand Canal Vocational School", "扬州市", Stage.VOCATIONAL, SchoolType.PUBLIC),
    ("zj", "西溪实验学校", "Xixi Experimental School", "杭州市", Stage.NINE_YEAR, SchoolType.EXPERIMENTAL),
    ("zj", "甬江高级中学", "Yongjiang Senior High School", "宁波市", Stage.SENIOR_SECONDARY, SchoolType.PUBLIC),
    ("zj", "楠溪江乡村小学", "Nanxi River Rural Primary School", "温州市", Stage.PRIMARY, SchoolType.RURAL),
    ("ah", "巢湖初级中学", "Chaohu Junior High School", "合肥市", Stage.JUNIOR_SECONDARY, SchoolType.PUBLIC),
    ("ah", "黄山脚下小学", "Huangshan Foothills Primary School", "黄山市", Stage.PRIMARY, SchoolType.RURAL),
    ("ah", "皖江高级中学", "Wanjiang Senior High School", "芜湖市", Stage.SENIOR_SECONDARY, SchoolType.PUBLIC),
]

# (e-mail, name, region, school index, title, subjects, stages, years, language)
ACCOUNTS = {
    "trainee": (
        "trainee@yingzi.example",
        "李晓雯",
        "ah",
        10,
        "副校长",
        [Subject.LEADERSHIP, Subject.CHINESE],
        [Stage.PRIMARY],
        12,
        "zh-hans",
    ),
    "mentor": (
        "mentor@yingzi.example",
        "陈建国",
        "sh",
        0,
        "校长",
        [Subject.LEADERSHIP, Subject.MATHEMATICS],
        [Stage.PRIMARY],
        26,
        "zh-hans",
    ),
    "coordinator": (
        "coordinator@yingzi.example",
        "周敏",
        "sh",
        None,
        "长三角联训办公室项目主管",
        [],
        [],
        15,
        "zh-hans",
    ),
    "editor": ("editor@yingzi.example", "Grace Wu", "zj", None, "Communications officer", [], [], 6, "en"),
    "admin": ("admin@yingzi.example", "王海", "sh", None, "平台管理员", [], [], 10, "zh-hans"),
    "regional_admin": ("region-admin@yingzi.example", "孙立", "js", None, "江苏省教育厅师资处", [], [], 18, "zh-hans"),
}


def seed_regions_and_schools() -> dict:
    regions = {}
    for code, name, name_en, order in REGIONS:
        regions[code], _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
    schools = []
    for region_code, name, name_en, city, stage, school_type in SCHOOLS:
        school, _ = School.objects.update_or_create(
            region=regions[region_code],
            name=name,
            defaults={"name_en": name_en, "city": city, "stage": stage, "school_type": school_type},
        )
        schools.append(school)
    return {"regions": regions, "schools": schools}


def seed_accounts(*, regions: dict, schools: list) -> dict:
    editors, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    Group.objects.get_or_create(name=MODERATOR_GROUP)
    users = {}
    for role, (email, name, region_code, school_index, title, subjects, stages, years, language) in ACCOUNTS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD)
        user.display_name = name
        user.preferred_language = language
        user.is_staff = role == "admin"
        user.is_superuser = role == "admin"
        user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "region": regions[region_code],
                "school": schools[school_index] if school_index is not None else None,
                "title": title,
                "subjects": [str(subject) for subject in subjects],
                "stages": [str(stage) for stage in stages],
                "years_of_experience": years,
            },
        )
        verify_email(user)
        users[role] = user
    users["editor"].groups.add(editors)
    RegionalAdministrator.objects.get_or_create(user=users["regional_admin"], region=regions["js"])
    return users


def verify_email(user: User) -> None:
    """Mark a demo person's address verified, so they can sign in at once."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
