"""Pages share well in WeChat: og tags on the real host, a generated card, the feed linked in <head>."""

import io

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from cms.site_host import site_follow_configured_host
from tests.factories import cms as pages
from tests.factories.training import training_world as tw

pytestmark = pytest.mark.django_db


def head_of(response) -> dict:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    tags = {tag["property"]: tag["content"] for tag in soup.select("meta[property]")}
    feed = soup.select_one('link[rel="alternate"][type="application/rss+xml"]')
    tags["feed"] = feed["href"] if feed else None
    return tags


@pytest.fixture
def public_host(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://yingzi.example.cn"


def test_an_event_page_shares_its_own_card_on_the_real_host(client, home_page, public_host):
    site_follow_configured_host()
    event = pages.event_page(pages.event_index(home_page), n=1, capacity=5)
    tags = head_of(client.get(event.url))
    assert tags["og:title"] == event.title
    assert tags["og:description"]
    assert tags["og:url"].startswith("https://yingzi.example.cn/")
    assert tags["og:image"] == f"https://yingzi.example.cn/site/share/{event.pk}.png"
    assert tags["feed"] == "https://yingzi.example.cn/site/news.rss"
    card = client.get(f"/site/share/{event.pk}.png")
    assert card["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(card.content)).size == (1200, 630)


def test_the_site_follows_the_configured_host_so_full_urls_and_the_sitemap_are_right(client, home_page, public_host):
    from wagtail.models import Site

    site_follow_configured_host()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("yingzi.example.cn", 443)
    assert home_page.full_url.startswith("https://yingzi.example.cn")
    assert "http://localhost" not in client.get("/sitemap.xml").content.decode()


def test_a_page_without_its_own_card_or_description_gets_the_sites(client, world, home_page):
    client.force_login(world.trainee)
    tags = head_of(client.get("/dashboard/"))
    assert tags["og:image"].endswith("/static/img/share-card.png")
    assert tags["og:title"] and tags["og:description"]
    assert tags["feed"].endswith("/site/news.rss")


def test_a_certificate_check_shares_a_card_without_the_holders_name(client, world):
    certificate = tw(world).certificate
    tags = head_of(client.get(f"/verify/{certificate.code}/"))
    assert tags["og:image"].endswith(f"/verify/{certificate.code}/card.png")
    assert client.get(f"/verify/{certificate.code}/card.png")["Content-Type"] == "image/png"
    assert client.get("/verify/NOPE-NOPE/card.png").status_code == 404


def test_a_private_or_missing_page_has_no_card(client, home_page):
    from wagtail.models import PageViewRestriction

    event = pages.event_page(pages.event_index(home_page), n=1, capacity=5)
    PageViewRestriction.objects.create(page=event, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/site/share/{event.pk}.png").status_code == 404
    assert client.get("/site/share/999999.png").status_code == 404


def test_a_card_with_an_empty_or_very_long_title_still_renders():
    from training.share_cards import render_share_card

    for title in ("", "影" * 500):
        assert Image.open(io.BytesIO(render_share_card(title=title, subtitle="x" * 500))).size == (1200, 630)


def test_an_editor_downloads_an_a4_qr_poster_from_the_events_admin_page(client, world, home_page, public_host):
    site_follow_configured_host()
    event = pages.event_page(pages.event_index(home_page), n=1, capacity=5)
    client.force_login(world.editor)
    edit_page = client.get(f"/cms-admin/pages/{event.pk}/edit/").content.decode()
    assert f"/cms-admin/posters/{event.pk}.pdf" in edit_page
    response = client.get(f"/cms-admin/posters/{event.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in response.content  # one A4 page
    assert response.content.count(b"/Type /Page\n") + response.content.count(b"/Type /Page ") >= 1


def test_a_poster_is_only_for_events_and_programmes_and_for_editors(client, world, home_page):
    event = pages.event_page(pages.event_index(home_page), n=1, capacity=5)
    client.force_login(world.editor)
    assert client.get(f"/cms-admin/posters/{home_page.pk}.pdf").status_code == 404
    client.force_login(world.trainee)
    assert client.get(f"/cms-admin/posters/{event.pk}.pdf").status_code in (302, 403)
