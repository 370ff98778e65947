import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Region
from cms.page_cache import public_pages_changed

pytestmark = pytest.mark.django_db


def test_the_home_page_serves_chinese_content_at_the_root(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "跟岗名校长" in page


def test_the_english_home_page_is_served_under_en(client, home_page):
    response = client.get("/en/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Shadow a leading principal" in page


def test_the_language_switcher_goes_to_the_other_language(client, home_page):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    assert response["Location"] == "/en/dashboard/"


def test_the_home_page_query_count_does_not_grow_with_regions(client, home_page):
    for code in ["a1", "a2"]:
        Region.objects.create(code=code, name=code)
    client.get("/")
    public_pages_changed()  # measure the rendering, not the stored copy
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for index in range(20):
        Region.objects.create(code=f"b{index}", name=f"省{index}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")  # a new region starts a new generation of the page cache
    assert "省19" in response.content.decode()
    assert len(few) == len(many)
