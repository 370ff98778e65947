"""The public site: a home page in Chinese and English."""

from wagtail.models import Locale, Page, Site

from cms.models import HomePage

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
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "影子 Yingzi"},
        )
    if not HomePage.objects.filter(locale=en, translation_key=home.translation_key).exists():
        english = home.copy_for_translation(en)
        for field, value in HOME_EN.items():
            setattr(english, field, value)
        english.save_revision().publish()
    return home
