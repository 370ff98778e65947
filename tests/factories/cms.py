"""Pages for CMS tests, added under the seeded home page through Wagtail's tree API."""

import datetime

from django.utils import timezone

from cms.models import (
    EventIndexPage,
    EventPage,
    NewsIndexPage,
    NewsPage,
    ProgrammeIndexPage,
    ProgrammePage,
    StandardPage,
    StudioPage,
)


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def event_index(home, **fields):
    return _publish(
        home, EventIndexPage(title=fields.pop("title", "活动"), slug=fields.pop("slug", "events"), **fields)
    )


def event_page(parent, *, n=1, capacity=2, **fields):
    now = timezone.now().replace(second=0, microsecond=0)
    defaults = {
        "title": f"长三角中小学校长高峰论坛{n}",
        "slug": f"summit-{n}",
        "kind": "summit",
        "starts_at": now + datetime.timedelta(days=10),
        "ends_at": now + datetime.timedelta(days=10, hours=8),
        "venue": "上海国际会议中心",
        "capacity": capacity,
        "registration_opens_at": now - datetime.timedelta(days=1),
        "registration_closes_at": now + datetime.timedelta(days=9),
        "summary": "三省一市校长共话教育家精神",
    }
    defaults.update(fields)
    return _publish(parent, EventPage(**defaults))


def programme_index(home):
    return _publish(home, ProgrammeIndexPage(title="培训项目", slug="programmes"))


def programme_page(parent, *, programme, n=1, **fields):
    defaults = {"title": f"影子校长项目{n}", "slug": f"programme-{n}", "summary": "跟岗名校长", "programme": programme}
    defaults.update(fields)
    return _publish(parent, ProgrammePage(**defaults))


def news_index(home):
    return _publish(home, NewsIndexPage(title="新闻", slug="news"))


def news_page(parent, *, n=1, **fields):
    defaults = {"title": f"新闻{n}", "slug": f"news-{n}", "summary": "联训动态"}
    defaults.update(fields)
    return _publish(parent, NewsPage(**defaults))


def standard_page(home, **fields):
    defaults = {"title": "关于我们", "slug": "about", "summary": "关于影子平台"}
    defaults.update(fields)
    return _publish(home, StandardPage(**defaults))


def studio_page(parent, *, studio, n=1, **fields):
    defaults = {"title": f"{studio.name}", "slug": f"studio-{n}", "summary": "跨省共研", "studio": studio}
    defaults.update(fields)
    return _publish(parent, StudioPage(**defaults))
