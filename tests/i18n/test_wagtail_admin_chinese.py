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


@pytest.mark.parametrize("path", ["/cms-admin/pages/{home}/", "/cms-admin/pages/{home}/edit/", "/cms-admin/images/"])
def test_the_explorer_and_the_editor_show_no_english_labels_wagtail_left_untranslated(client, world, home_page, path):
    client.force_login(world.editor)
    response = client.get(path.format(home=home_page.pk), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    for element in soup(["script", "style", "template", "noscript"]):
        element.decompose()
    text = soup.get_text(" ")
    english = [
        label
        for label in (
            "Date updated",
            "Edited by",
            "Has child pages",
            "Page type",
            "Usage count",
            "Autosave is paused",
            "Content metrics",
            "Reading time",
            "Anyone can edit this",
            "Available in",
        )
        if label in text
    ]
    assert english == []
