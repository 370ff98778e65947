"""Public pages as readers and shared caches meet them: cache headers, language links, menu, search."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from wagtail.models import Locale

from tests.factories import cms as pages
from tests.factories.accounts import make_user
from tests.factories.training import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(home_page, events):
    programmes = pages.programme_index(home_page)
    news = pages.news_index(home_page)
    return {
        "home": home_page,
        "programme": pages.programme_page(programmes, programme=ProgrammeFactory()),
        "event": pages.event_page(events),
        "news": pages.news_page(news),
        "indexes": {"programmes": programmes, "events": events, "news": news},
    }


def _translate(page, **fields):
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    for field, value in fields.items():
        setattr(english, field, value)
    english.save_revision().publish()
    english.refresh_from_db()
    return english


def _language_link(html: str, language: str) -> str:
    """Where the header's link to a language finally leads (the `next` of the switch view)."""
    href = re.search(rf'<a href="([^"]+)" lang="{language}"', html).group(1).replace("&amp;", "&")
    parts = urlsplit(href)
    assert parts.path.endswith(f"/site/language/{language}/")
    return parse_qs(parts.query)["next"][0]


@pytest.mark.parametrize("name", ["home", "programme", "event", "news"])
def test_an_anonymous_reader_gets_a_page_shared_caches_may_keep(client, site, name):
    response = client.get(site[name].url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


@pytest.mark.parametrize("name", ["home", "event"])
def test_a_signed_in_reader_gets_a_private_uncached_page(client, site, name):
    client.force_login(make_user())
    response = client.get(site[name].url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_a_password_protected_page_is_never_public_even_after_the_password(client, site):
    from wagtail.models import PageViewRestriction

    news = site["news"]
    restriction = PageViewRestriction.objects.create(page=news, restriction_type="password", password="geheim")
    assert "public" not in client.get(news.url).get("Cache-Control", "")
    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{news.pk}/",
        {"password": "geheim", "return_url": news.url},
    )
    assert response.status_code == 302
    response = client.get(news.url)
    assert response.status_code == 200 and "新闻1" in response.content.decode()
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_page_that_shows_someone_a_message_is_not_shared(client, site):
    client.force_login(make_user())
    client.post("/accounts/logout/")
    response = client.get(site["home"].url)
    assert 'class="message message-' in response.content.decode()
    assert "public" not in response["Cache-Control"]
    again = client.get(site["home"].url)
    assert 'class="message message-' not in again.content.decode()
    assert again["Cache-Control"] == "public, max-age=0, s-maxage=300"


def test_registering_from_a_cached_event_page_works_with_csrf_enforced(site):
    client = Client(enforce_csrf_checks=True)
    person = make_user()
    client.force_login(person)
    html = client.get(site["event"].url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(f"/site/events/{site['event'].pk}/register/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert site["event"].registrations.filter(user=person, status="confirmed").exists()


def test_the_language_links_lead_to_the_translated_page_both_ways(client, site):
    english_event = _translate(site["event"], title="Yangtze Delta Principals' Summit", slug="summit-1")
    html = client.get(site["event"].url).content.decode()
    assert _language_link(html, "en") == english_event.url == "/en/events/summit-1/"
    html = client.get(english_event.url).content.decode()
    assert _language_link(html, "zh-hans") == site["event"].url


def test_a_page_without_translation_links_to_the_other_languages_home(client, site):
    html = client.get(site["news"].url).content.decode()
    assert _language_link(html, "en") == "/en/"


def test_the_language_link_follows_a_translation_as_soon_as_it_is_published(client, site):
    client.force_login(make_user())  # a signed-in reader: the page is rendered, its links come from the cache
    assert _language_link(client.get(site["event"].url).content.decode(), "en") == "/en/"
    english_event = _translate(site["event"], title="Yangtze Delta Principals' Summit", slug="summit-1")
    assert _language_link(client.get(site["event"].url).content.decode(), "en") == english_event.url
    english_event.unpublish()
    assert _language_link(client.get(site["event"].url).content.decode(), "en") == "/en/"


def test_other_urls_link_to_the_same_path_under_the_other_prefix(client, site):
    assert _language_link(client.get("/verify/").content.decode(), "en") == "/en/verify/"
    assert _language_link(client.get("/en/verify/").content.decode(), "zh-hans") == "/verify/"


def test_following_a_language_link_remembers_the_choice_without_caching(client, site):
    response = client.get("/site/language/en/?next=/en/")
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert response.cookies["django_language"].value == "en"
    assert "no-cache" in response["Cache-Control"]


def test_the_language_switch_refuses_to_send_readers_elsewhere(client, site):
    response = client.get("/site/language/en/?next=https://evil.example/")
    assert response["Location"] == "/en/"
    assert client.get("/site/language/fr/?next=/").status_code == 404


def test_the_main_menu_links_the_public_sections_in_the_readers_language(client, site, world):
    for index in site["indexes"].values():
        _translate(index, title=f"{index.title} (EN)")
    html = client.get("/verify/").content.decode()
    menu = html[html.index('class="nav-list"') : html.index("</ul>", html.index('class="nav-list"'))]
    for path, title in [("/programmes/", "培训项目"), ("/events/", "活动"), ("/news/", "新闻")]:
        assert f'<a href="{path}">{title}</a>' in menu
    client.force_login(world.trainee)
    html = client.get("/en/events/").content.decode()
    menu = html[html.index('class="nav-list"') : html.index("</ul>", html.index('class="nav-list"'))]
    assert '<a href="/en/events/" aria-current="page">活动 (EN)</a>' in menu
    assert '<a href="/en/programmes/">培训项目 (EN)</a>' in menu


def test_search_finds_chinese_and_english_titles_among_live_public_pages(client, site):
    pages.news_page(site["indexes"]["news"], n=2, title="皖南研学活动圆满结束", summary="黄山脚下的影子教师")
    draft = pages.news_page(site["indexes"]["news"], n=3, title="研学草稿")
    draft.unpublish()
    english = _translate(site["event"], title="Delta Summit on Rural Schools", slug="summit-1")

    html = client.get("/site/search/", {"q": "研学"}).content.decode()
    assert "皖南研学活动圆满结束" in html and "研学草稿" not in html
    html = client.get("/site/search/", {"q": "影子教师"}).content.decode()
    assert "皖南研学活动圆满结束" in html  # found by its summary

    response = client.get("/en/site/search/", {"q": "rural schools"})
    html = response.content.decode()
    assert english.title in html and f'href="{english.url}"' in html
    assert "1 result" in html
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=300"


def test_search_leaves_out_private_pages(client, site):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=site["news"], restriction_type="password", password="geheim")
    html = client.get("/site/search/", {"q": "新闻1"}).content.decode()
    assert "新闻1</a>" not in html


def test_event_materials_appear_only_once_the_event_has_ended(client, site, monkeypatch):
    import datetime

    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from cms.models import EventMaterial

    event = site["event"]
    slides = Document.objects.create(title="slides", file=ContentFile(b"%PDF-1.4", name="slides.pdf"))
    EventMaterial.objects.create(page=event, document=slides, title="校长论坛主旨报告课件")

    def clock_at(moment):
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    clock_at(event.ends_at - datetime.timedelta(minutes=1))
    html = client.get(event.url).content.decode()
    assert "校长论坛主旨报告课件" not in html and slides.url not in html
    assert "资料将在活动结束后发布" in html

    clock_at(event.ends_at + datetime.timedelta(minutes=1))
    html = client.get(event.url).content.decode()
    assert "校长论坛主旨报告课件" in html and slides.url in html
    assert "资料将在活动结束后发布" not in html


def test_an_event_without_materials_promises_none(client, site):
    assert "资料将在活动结束后发布" not in client.get(site["event"].url).content.decode()


def test_search_queries_do_not_grow_with_results(client, site, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    news = site["indexes"]["news"]
    for n in range(2, 4):
        pages.news_page(news, n=n, title=f"研学简报{n}")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/site/search/", {"q": "研学简报"}).content.decode().count("研学简报") >= 2
    for n in range(4, 22):
        pages.news_page(news, n=n, title=f"研学简报{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/site/search/", {"q": "研学简报"}).content.decode()
    assert html.count('class="card search-result"') == 20
