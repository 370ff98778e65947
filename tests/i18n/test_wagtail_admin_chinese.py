"""The Wagtail admin's dashboard reads in Chinese: the strings Wagtail's zh-hans catalogue lacks are ours."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def test_the_editors_dashboard_counts_pages_and_searches_in_chinese(client, world, home_page):
    client.force_login(world.editor)
    response = client.get("/cms-admin/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    summary = soup.get_text(" ")
    assert "个页面" in summary
    assert " Pages" not in summary and " Page " not in summary
    placeholders = [field.get("placeholder", "") for field in soup.select("input[placeholder]")]
    assert "搜索全部页面……" in placeholders, placeholders
