"""The public site: a home page in Chinese and English."""

from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from cms.site_host import configured_host, site_follow_configured_host

HOME_ZH = {
    "title": "影子 · 长三角校长教师联训平台",
    "hero_title": "跟岗名校长，走进名师课堂",
    "hero_text": "沪苏浙皖四地联合培养影子校长与影子教师：结对跟岗、按计划研修、记录每一次成长。",
    "body": "<p>在这里，学员查看研修计划与进度，导师记录带教过程，项目办统筹结对、日程与证书。</p>",
}
HOME_EN = {
    "title": "Yingzi · Joint training of principals and teachers",
    "hero_title": "Shadow a leading principal. Step into a master teacher's classroom.",
    "hero_text": "Shanghai, Jiangsu, Zhejiang and Anhui train shadow principals and shadow teachers together: "
    "paired with a host, following a plan, logging every step.",
    "body": "<p>Trainees follow their plan and progress here, mentors log their sessions, and the programme "
    "office runs pairings, schedules and certificates.</p>",
}


def seed_home_page() -> HomePage:
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    home = HomePage.objects.filter(locale=zh).first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's placeholder "Welcome" page (and the site pointing at it) make way for ours.
        for placeholder in root.get_children().filter(slug="home").exact_type(Page):
            placeholder.delete()
        home = HomePage(slug="home", locale=zh, **HOME_ZH)
        root.add_child(instance=home)
        home.save_revision().publish()
        hostname, port = configured_host()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": hostname, "port": port, "root_page": home, "site_name": "影子 Yingzi"},
        )
    if not HomePage.objects.filter(locale=en, translation_key=home.translation_key).exists():
        english = home.copy_for_translation(en)
        for field, value in HOME_EN.items():
            setattr(english, field, value)
        english.save_revision().publish()
    # A demo seeded before the Site followed the configured host (localhost:80) is corrected too.
    site_follow_configured_host()
    return home


# --- The rest of the public site ---------------------------------------------------------
# Each page is found by its slug under its parent, so running seed_demo again changes nothing.


# What the privacy page promises is what the platform does (issue 14, item 3): Account → My data.
PAGE_BODIES = {
    "privacy": (
        [
            "我们只收集培训所需的个人信息（姓名、电子邮箱、学校、职务、任教学科与学段），"
            "仅向您所在研修班的协调员、导师和您所在地区的教育部门展示。",
            "导出您的数据：登录后进入“账户 → 我的数据”，点击“生成我的数据包”。平台在后台生成一个 ZIP 压缩包，"
            "包含您的个人资料、所在研修班、跟岗记录与反思、提交的作业及其文件、学时、证书、学分记录、通知、"
            "活动报名以及与您有关的审计记录（JSON 和 CSV 两种格式）。下载链接仅限您本人使用，七天后失效。",
            "删除您的个人信息：在同一页面点击“申请删除”，平台管理员确认后，您的姓名、电子邮箱、职务、通知、"
            "令牌和您撰写的内容将被删除，账户无法再登录。学时、学分和证书以不含姓名的形式保留，"
            "以保证研修班合计和他人记录准确；您的证书仍可查验为已颁发，但不显示姓名。",
            "协调员、编辑和管理员每次导出含个人信息的名单（研修班概览、学时、活动报名名单及接口）都会记入审计日志，"
            "记录导出人和时间。",
        ],
        [
            "We collect only the personal data training needs (name, e-mail address, school, title, subjects "
            "and stages) and show it only to the coordinators and mentors of your cohorts and to your "
            "region's education office.",
            "Export your data: sign in, open Account → My data and choose “Prepare my archive”. The platform "
            "builds a ZIP archive in the background with your profile, memberships, session logs and "
            "reflections, submissions and their files, hours, certificates, credit records, notifications, "
            "event registrations and the audit entries about you, in JSON and CSV. Its download link works "
            "for you only and expires after seven days.",
            "Erase your personal data: on the same page choose “Ask for erasure”. Once a platform "
            "administrator confirms, your name, e-mail address, title, notifications, tokens and what you "
            "wrote are removed and the account can no longer sign in. Hours, credits and certificates stay "
            "without your name, so that cohorts' totals and other people's records remain true; your "
            "certificate still verifies as issued, without your name.",
            "Every export of personal data by a coordinator, editor or administrator (cohort overview, hours, "
            "event registrants and the API) is recorded in the audit log with who exported it and when.",
        ],
    ),
}


def _para(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def _ensure(parent, model, slug: str, zh: dict, en: dict):
    from wagtail.models import Locale

    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **zh)
        parent.add_child(instance=page)
        page.save_revision().publish()
    english_locale = Locale.objects.get(language_code="en")
    if not model.objects.filter(locale=english_locale, translation_key=page.translation_key).exists():
        english = page.copy_for_translation(english_locale)
        for field, value in en.items():
            setattr(english, field, value)
        english.save_revision().publish()
    return page


def _link_cohort_forums(summit) -> None:
    """The cohorts' summit forum on their schedules is this event: checking in at the door is their attendance."""
    from django.utils import timezone

    from cms.models import EventScheduleLink
    from training.models import ScheduleItem, ScheduleItemKind

    forums = ScheduleItem.objects.filter(
        kind=ScheduleItemKind.FORUM, starts_at__date=timezone.localtime(summit.starts_at).date()
    ).filter(location=summit.venue)
    for item in forums:
        EventScheduleLink.objects.get_or_create(page=summit, schedule_item=item)


def _speaker(name, name_en, affiliation, affiliation_en, bio, bio_en):
    from cms.models import Speaker

    speaker, _ = Speaker.objects.get_or_create(
        name=name,
        defaults={
            "name_en": name_en,
            "affiliation": affiliation,
            "affiliation_en": affiliation_en,
            "bio": bio,
            "bio_en": bio_en,
        },
    )
    return speaker


def seed_site(*, programmes: dict, regions: dict) -> None:
    """Programme, event and news sections, a summit with agenda and speakers, and the about pages, in both languages."""
    import datetime

    from django.utils import timezone

    from cms.models import (
        EventIndexPage,
        EventPage,
        EventSpeaker,
        NewsIndexPage,
        NewsPage,
        ProgrammeIndexPage,
        ProgrammePage,
        StandardPage,
    )

    home = seed_home_page()
    programme_index = _ensure(
        home,
        ProgrammeIndexPage,
        "programmes",
        {"title": "培训项目", "intro": "四地联合设计的研修项目：到另一个省市的名校，跟在名校长、名师身边学。"},
        {
            "title": "Programmes",
            "intro": "Programmes designed by four regions together: learn beside a leading "
            "principal or master teacher in another province.",
        },
    )
    principal = _ensure(
        programme_index,
        ProgrammePage,
        "shadow-principal",
        {
            "title": "影子校长研修项目",
            "programme": programmes["principal"],
            "summary": "副校长和后备干部到外省市名校跟岗，观察一位名校长如何治校。",
            "audience": "任职三年以上的中小学副校长、校长助理及后备干部",
            "school_stages": "小学、初中、高中",
            "duration": "一学期（含两周驻校跟岗）",
            "aims": "<ul><li>看懂一所好学校的课程与管理体系</li><li>形成本校的改进方案并在导师指导下试行</li></ul>",
            "structure": [
                {
                    "type": "phase",
                    "value": {
                        "title": "集中研修",
                        "duration": "5 天",
                        "description": "专题讲座、案例研讨与学校诊断方法。",
                    },
                },
                {
                    "type": "phase",
                    "value": {
                        "title": "驻校跟岗",
                        "duration": "2 周",
                        "description": "跟随导师参加行政会、听评课和家校活动，每天记录跟岗日志。",
                    },
                },
                {
                    "type": "phase",
                    "value": {
                        "title": "返岗实践",
                        "duration": "3 个月",
                        "description": "在本校实施改进方案，导师远程指导。",
                    },
                },
                {
                    "type": "phase",
                    "value": {
                        "title": "成果展示",
                        "duration": "1 天",
                        "description": "在校长高峰论坛分组交流，通过后获得学分证书。",
                    },
                },
            ],
        },
        {
            "title": "Shadow principal programme",
            "summary": "Deputy heads spend time in a leading school in another region and watch how a renowned "
            "principal runs it.",
            "audience": "Deputy heads, assistant principals and future school leaders with three years in post",
            "school_stages": "Primary, lower and upper secondary",
            "duration": "One term (two weeks on site)",
        },
    )
    principal.partner_regions.set(regions.values())
    teacher = _ensure(
        programme_index,
        ProgrammePage,
        "shadow-teacher",
        {
            "title": "影子教师研修项目",
            "programme": programmes["teacher"],
            "summary": "青年骨干教师走进名师工作室，听课、磨课、上公开课。",
            "audience": "教龄五年以上的学科骨干教师和班主任",
            "school_stages": "小学、初中",
            "duration": "一学期（含一周驻校跟岗）",
            "aims": "<ul><li>在名师课堂里学习教学设计与课堂组织</li><li>完成一节公开课和一份教学反思</li></ul>",
            "structure": [
                {
                    "type": "phase",
                    "value": {
                        "title": "线上研修",
                        "duration": "4 周",
                        "description": "远程互动教研，每周一次同课异构。",
                    },
                },
                {
                    "type": "phase",
                    "value": {"title": "工作室跟岗", "duration": "1 周", "description": "在名师工作室听课、磨课。"},
                },
                {
                    "type": "phase",
                    "value": {
                        "title": "公开课展示",
                        "duration": "1 天",
                        "description": "回到本校上一节公开课，导师点评。",
                    },
                },
            ],
        },
        {
            "title": "Shadow teacher programme",
            "summary": "Young lead teachers join a master teacher's studio: observe, rehearse and teach an open lesson.",
            "audience": "Subject lead teachers and homeroom teachers with five years' experience",
            "school_stages": "Primary and lower secondary",
            "duration": "One term (one week on site)",
        },
    )
    teacher.partner_regions.set(regions.values())

    event_index = _ensure(
        home,
        EventIndexPage,
        "events",
        {"title": "论坛与活动", "intro": "校长高峰论坛、德育论坛、班主任基本功大赛：登录后即可报名。"},
        {
            "title": "Forums and events",
            "intro": "The principals' summit, the moral-education forum and the "
            "homeroom-teacher skills contest: sign in to register.",
        },
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    summit_day = timezone.localtime(now + datetime.timedelta(days=30)).replace(hour=9)
    chen = _speaker(
        "陈静怡",
        "Chen Jingyi",
        "上海市某实验学校校长、特级校长",
        "Principal, a Shanghai experimental school",
        "从教三十年，带教影子校长二十余名，关注学校课程整体设计。",
        "Thirty years in schools; has hosted more than twenty shadow principals; works on whole-school curriculum.",
    )
    zhou = _speaker(
        "周文斌",
        "Zhou Wenbin",
        "浙江省某教育学院教授",
        "Professor, a Zhejiang college of education",
        "研究校长专业标准与跨区域教师培训评价。",
        "Researches professional standards for principals and the evaluation of cross-region training.",
    )
    li = _speaker(
        "李晓雯",
        "Li Xiaowen",
        "安徽省某中学副校长、首期影子校长",
        "Deputy head, an Anhui secondary school",
        "首期影子校长学员，返岗后牵头推进本校作业改革。",
        "A first-cohort shadow principal who led homework reform at her own school afterwards.",
    )
    summit = _ensure(
        event_index,
        EventPage,
        "principals-summit",
        {
            "title": "长三角中小学校长高峰论坛",
            "kind": "summit",
            "starts_at": summit_day,
            "ends_at": summit_day + datetime.timedelta(hours=8),
            "venue": "上海市教育会堂",
            "online_url": "https://live.yingzi.example/summit",
            "host_region": regions["sh"],
            "summary": "三省一市的校长们一起谈教育家精神与学校治理，首期影子校长分享返岗实践。",
            "capacity": 300,
            "registration_opens_at": now - datetime.timedelta(days=1),
            "registration_closes_at": summit_day - datetime.timedelta(days=2),
            "credit_hours": 6,
            "speaker_links": [
                EventSpeaker(speaker=chen, role="主旨报告", sort_order=0),
                EventSpeaker(speaker=zhou, role="主旨报告", sort_order=1),
                EventSpeaker(speaker=li, role="分组研讨", sort_order=2),
            ],
            "body": [_para("论坛每年由一地轮值承办，今年在上海举行。上午主旨报告，下午分组研讨，全程提供线上直播。")],
            "agenda": [
                {"type": "heading", "value": "上午 · 主旨报告"},
                {
                    "type": "item",
                    "value": {
                        "day": None,
                        "starts": "09:00",
                        "ends": "09:30",
                        "title": "开幕致辞",
                        "speakers": [],
                        "room": "一号厅",
                    },
                },
                {
                    "type": "item",
                    "value": {
                        "day": None,
                        "starts": "09:30",
                        "ends": "10:30",
                        "title": "一所好学校的课程整体设计",
                        "speakers": [chen.pk],
                        "room": "一号厅",
                    },
                },
                {
                    "type": "item",
                    "value": {
                        "day": None,
                        "starts": "10:45",
                        "ends": "11:45",
                        "title": "校长专业标准与跨区域培训评价",
                        "speakers": [zhou.pk],
                        "room": "一号厅",
                    },
                },
                {"type": "heading", "value": "下午 · 分组研讨"},
                {
                    "type": "item",
                    "value": {
                        "day": None,
                        "starts": "13:30",
                        "ends": "15:00",
                        "title": "影子校长返岗实践分享",
                        "speakers": [li.pk],
                        "room": "二号厅",
                    },
                },
                {
                    "type": "item",
                    "value": {
                        "day": None,
                        "starts": "15:15",
                        "ends": "16:30",
                        "title": "圆桌：学分互认怎么落地",
                        "speakers": [chen.pk, zhou.pk],
                        "room": "一号厅",
                    },
                },
            ],
        },
        {
            "title": "Yangtze River Delta Principals' Summit Forum",
            "summary": "Principals from the three provinces and Shanghai discuss school leadership; first-cohort "
            "shadow principals report on their work back home.",
            "body": [
                _para(
                    "The forum moves between the four regions each year; this year it is in Shanghai. "
                    "Keynotes in the morning, workshops in the afternoon, streamed online throughout."
                )
            ],
        },
    )
    _link_cohort_forums(summit)
    forum_day = timezone.localtime(now + datetime.timedelta(days=45)).replace(hour=13, minute=30)
    _ensure(
        event_index,
        EventPage,
        "moral-education-forum",
        {
            "title": "长三角德育论坛：家校社协同育人",
            "kind": "forum",
            "starts_at": forum_day,
            "ends_at": forum_day + datetime.timedelta(hours=4),
            "venue": "杭州市某中学报告厅",
            "host_region": regions["zj"],
            "summary": "班主任、德育主任和家长代表一起讨论学校、家庭、社区如何分工合作。",
            "capacity": 120,
            "registration_opens_at": now - datetime.timedelta(days=1),
            "registration_closes_at": forum_day - datetime.timedelta(days=3),
            "credit_hours": 3,
            "agenda": [
                {
                    "type": "item",
                    "value": {
                        "day": None,
                        "starts": "13:30",
                        "ends": "14:30",
                        "title": "主题报告：协同育人的边界",
                        "speakers": [zhou.pk],
                        "room": "报告厅",
                    },
                },
                {
                    "type": "item",
                    "value": {
                        "day": None,
                        "starts": "14:45",
                        "ends": "17:00",
                        "title": "案例工作坊",
                        "speakers": [],
                        "room": "三楼研讨室",
                    },
                },
            ],
        },
        {
            "title": "Yangtze River Delta Moral-Education Forum: schools, families and communities",
            "summary": "Homeroom teachers, heads of pastoral care and parents discuss who does what.",
        },
    )
    contest_day = timezone.localtime(now + datetime.timedelta(days=60)).replace(hour=8, minute=30)
    _ensure(
        event_index,
        EventPage,
        "homeroom-teacher-contest",
        {
            "title": "长三角班主任基本功大赛",
            "kind": "contest",
            "starts_at": contest_day,
            "ends_at": contest_day + datetime.timedelta(hours=9),
            "venue": "合肥市某小学",
            "host_region": regions["ah"],
            "summary": "情景答辩、主题班会设计与带班育人方略展示，欢迎观摩。",
            "capacity": 80,
            "registration_opens_at": now - datetime.timedelta(days=1),
            "registration_closes_at": contest_day - datetime.timedelta(days=5),
            "credit_hours": 4,
        },
        {
            "title": "Yangtze River Delta Homeroom-Teacher Skills Contest",
            "summary": "Scenario questions, class-meeting design and class-leadership presentations; observers welcome.",
        },
    )

    news_index = _ensure(
        home,
        NewsIndexPage,
        "news",
        {"title": "新闻动态", "intro": "联训办公室的最新消息。"},
        {"title": "News", "intro": "The latest from the joint training office."},
    )
    today = timezone.localdate()
    for days, slug, zh_title, zh_text, en_title, en_text in [
        (
            3,
            "first-cohort-graduates",
            "首期影子校长结业，学分四地互认",
            "首期学员完成驻校跟岗和返岗实践，结业证书可在平台在线核验。",
            "First shadow principals graduate; credits recognised in all four regions",
            "The first cohort finished their placements; certificates can be verified online.",
        ),
        (
            10,
            "teacher-cohort-recruiting",
            "影子教师项目第二期开始招募",
            "各地按名额推荐，申请人可在项目页面在线申请。",
            "Shadow teacher programme opens its second cohort",
            "Each region nominates within its quota; applicants apply online from the programme page.",
        ),
        (
            21,
            "remote-research-platform",
            "远程互动教研平台上线",
            "四地名师工作室每周开展同课异构，学员可在线观摩并提交反思。",
            "Remote teaching-research sessions start",
            "Master-teacher studios in the four regions teach the same lesson weekly; trainees watch and reflect online.",
        ),
    ]:
        _ensure(
            news_index,
            NewsPage,
            slug,
            {
                "title": zh_title,
                "date": today - datetime.timedelta(days=days),
                "summary": zh_text,
                "body": [_para(zh_text)],
            },
            {"title": en_title, "summary": en_text, "body": [_para(en_text)]},
        )

    for slug, zh_title, zh_text, en_title, en_text in [
        (
            "about",
            "关于我们",
            "影子平台由沪苏浙皖四地教育部门共同建设，服务跨省市的校长和教师联合培养。",
            "About us",
            "Yingzi is built by the education departments of Shanghai, Jiangsu, Zhejiang and Anhui "
            "for the joint training of principals and teachers across the region.",
        ),
        (
            "contact",
            "联系我们",
            "长三角教师联训办公室 · 电子邮箱 office@yingzi.example · 工作日 9:00–17:00。",
            "Contact",
            "Yangtze River Delta joint training office · office@yingzi.example · weekdays 9:00–17:00.",
        ),
        (
            "privacy",
            "隐私政策",
            "我们只收集培训所需的个人信息，仅向需要的人展示；您可以随时导出自己的数据，或申请删除个人信息。",
            "Privacy policy",
            "We collect only the personal data training needs and show it only to those who need "
            "it; you may export your own data at any time, or ask for your personal data to be erased.",
        ),
    ]:
        zh_body, en_body = PAGE_BODIES.get(slug, ([zh_text], [en_text]))
        _ensure(
            home,
            StandardPage,
            slug,
            {"title": zh_title, "summary": zh_text, "body": [_para(text) for text in zh_body]},
            {"title": en_title, "summary": en_text, "body": [_para(text) for text in en_body]},
        )
