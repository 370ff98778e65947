"""The page view of `cms.serving`: Wagtail's answer for every kind of path, without reading the Site, Locale or
home page from the database on each request."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import PageViewRestriction, Site

from cms import serving
from tests.factories import cms as pages
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


def _answer(view, rf, path, language="zh-hans"):
    """What a view answers an anonymous reader: 404, or the status, redirect target and <title>."""
    request = rf.get("/" + path)
    request.user = AnonymousUser()
    request.session = SessionStore()
    with translation.override(language):
        try:
            response = view(request, path)
        except Http404:
            return 404
        if hasattr(response, "render"):
            response.render()
    content = response.content.decode()
    title = content.split("<title>", 1)[1].split("</title>", 1)[0] if "<title>" in content else ""
    return response.status_code, response.get("Location"), title


def test_every_kind_of_path_is_answered_as_by_wagtails_own_page_view(rf, home_page, events):
    pages.event_page(events, n=1)
    pages.event_page(events, n=2).unpublish()
    about = pages.standard_page(home_page)
    pages.standard_page(about, title="联系我们", slug="contact")
    news = pages.news_page(pages.news_index(home_page), n=1)
    PageViewRestriction.objects.create(page=news, restriction_type="password", password="geheim")
    private = pages.news_page(news.get_parent(), n=2)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    cases = [
        ("", "zh-hans"),
        ("", "en"),  # the English home page, a translation of the site's root
        ("events/", "zh-hans"),
        ("events/summit-1/", "zh-hans"),
        ("events/summit-2/", "zh-hans"),  # withdrawn: 404
        ("events/summit-1/extra/", "zh-hans"),  # a sub-path of a page that routes none: 404
        ("about/contact/", "zh-hans"),
        ("news/news-1/", "zh-hans"),  # a password: Wagtail's form
        ("news/news-2/", "zh-hans"),  # signed-in readers only: to the sign-in page
        ("nowhere/", "zh-hans"),
    ]
    for path, language in cases:
        ours = _answer(serving.serve, rf, path, language)
        # Twice: the second answer comes from the cached Site and home page.
        assert _answer(serving.serve, rf, path, language) == ours, path
        assert ours == _answer(wagtail_views.serve, rf, path, language), (path, language)
    assert _answer(serving.serve, rf, "news/news-2/")[0] == 302
    assert _answer(serving.serve, rf, "events/summit-2/") == 404


def test_a_rendered_page_reads_no_site_locale_or_home_page_row_once_warm(client, home_page, events):
    event = pages.event_page(events, n=1)
    client.force_login(make_user())  # a signed-in reader's page is rendered on every visit
    for url in (home_page.url, event.url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        tables = " ".join(query["sql"] for query in queries.captured_queries)
        assert 'FROM "wagtailcore_site"' not in tables and 'FROM "wagtailcore_locale"' not in tables, url
        assert 'FROM "cms_homepage"' not in tables, url
    # The links on the page are those Wagtail's {% pageurl %} writes.
    assert f'href="{event.url}"' in client.get(home_page.url).content.decode()


def test_a_changed_site_is_followed_at_once(client, home_page):
    about = pages.standard_page(home_page, title="关于我们")
    assert client.get("/").status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = about
    site.save()
    response = client.get("/", HTTP_COOKIE="messages=x")  # rendered, not the stored copy
    assert "关于我们" in response.content.decode().split("</title>", 1)[0]


def test_a_programme_page_lists_its_studios_in_the_page_not_its_title(client, home_page):
    from tests.factories.accounts import RegionFactory
    from tests.factories.studios import make_studio
    from tests.factories.training import ProgrammeFactory

    programme_page = pages.programme_page(pages.programme_index(home_page), programme=ProgrammeFactory())
    studio_page = pages.studio_page(programme_page, studio=make_studio(region=RegionFactory(name="上海市")))
    html = client.get(programme_page.url).content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert studio_page.title not in title
    assert f'href="{studio_page.url}">{studio_page.title}</a>' in html.split("<main", 1)[1]


def _rendered_queries(client, url) -> int:
    client.get(url)  # warm: the first reader after a change computes what is kept
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_rendered_public_pages_cost_a_few_queries_however_many_studios_and_cohorts(client, home_page, events):
    """As the bench renders them: an anonymous reader with a flash message waiting (never the stored copy)."""
    from tests.factories.accounts import RegionFactory
    from tests.factories.studios import make_studio
    from tests.factories.training import CohortFactory, ProgrammeFactory

    client.cookies["messages"] = "bench"
    region = RegionFactory(name="上海市")
    programme = ProgrammeFactory()
    programme_page = pages.programme_page(pages.programme_index(home_page), programme=programme)
    CohortFactory(programme=programme, status="recruiting")
    pages.studio_page(programme_page, studio=make_studio(name="工作室1", region=region), n=1)
    event = pages.event_page(events, n=1)
    # The view restrictions (two, Wagtail's hook); below the home page, the page's id and its row.
    few = {"home": 2, "programme": 4, "event": 4}
    urls = {"home": home_page.url, "programme": programme_page.url, "event": event.url}
    assert {name: _rendered_queries(client, url) for name, url in urls.items()} == few
    for n in range(2, 4):
        pages.studio_page(programme_page, studio=make_studio(name=f"工作室{n}", region=region), n=n)
        CohortFactory(programme=programme, status="recruiting")
        pages.event_page(events, n=n)
    assert {name: _rendered_queries(client, url) for name, url in urls.items()} == few
