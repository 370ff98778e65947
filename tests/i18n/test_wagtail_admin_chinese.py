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


def test_wagtails_pages_menu_is_not_our_pagination_label(rf):
    """Our pagination's "Pages" (分页) had overridden Wagtail's menu item "Pages" (页面) for every editor."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Pages") == "页面"
        page = Paginator(range(30), 10).page(2)
        rendered = render_to_string("includes/pagination.html", {"page": page}, request=rf.get("/"))
    assert 'aria-label="分页"' in rendered


def test_the_page_editor_addresses_the_editor_as_nin_with_chinese_quotes(client, world, home_page):
    """Wagtail's zh-hans says 你 and uses ASCII quotes ("查看'首页'的子页面"); the project catalogue corrects it."""
    client.force_login(world.editor)
    edit = client.get(f"/cms-admin/pages/{home_page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "您想让公众看到的页面标题" in edit
    assert "你" not in BeautifulSoup(edit, "html.parser").get_text(" ")
    explorer = client.get(f"/cms-admin/pages/{home_page.get_parent().pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = BeautifulSoup(explorer.content.decode(), "html.parser").get_text(" ")
    assert "全部站点" in text and "Root" not in text  # Wagtail's root page, named in Chinese
    assert "Exploring" not in text and "浏览" in text
