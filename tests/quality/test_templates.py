"""One pagination for every list, keeping its filters; no admin address written into a template."""

import re
from pathlib import Path

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_page_links_keep_the_lists_filters_and_sort():
    request = RequestFactory().get("/cohorts/3/members/", {"role": "mentor", "q": "李", "sort": "name", "page": "2"})
    page = Paginator(range(120), 50).get_page(2)
    with translation.override("en"):
        html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    previous, following = re.findall(r'href="([^"]+)"', html)
    assert previous == "?role=mentor&amp;q=%E6%9D%8E&amp;sort=name&amp;page=1"
    assert following == "?role=mentor&amp;q=%E6%9D%8E&amp;sort=name&amp;page=3"
    assert "Page 2 of 3" in html


def test_a_single_page_shows_no_pagination():
    request = RequestFactory().get("/inbox/")
    assert (
        render_to_string(
            "includes/pagination.html", {"page": Paginator(range(3), 25).get_page(1)}, request=request
        ).strip()
        == ""
    )


def test_every_paginated_list_uses_the_one_pagination_include():
    written_by_hand = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "has_other_pages" in path.read_text(encoding="utf-8") and path != TEMPLATES / "includes" / "pagination.html"
    ]
    assert written_by_hand == []


def test_no_template_writes_an_admin_address_by_hand():
    hard_coded = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"""["'](/cms-admin/|/django-admin/)""", path.read_text(encoding="utf-8"))
    ]
    assert hard_coded == []


def test_every_included_template_exists():
    from django.template.loader import get_template

    names = {
        name
        for path in TEMPLATES.rglob("*.html")
        for name in re.findall(r"""\{%\s*include\s+["']([^"']+)["']""", path.read_text(encoding="utf-8"))
    }
    for name in sorted(names):
        get_template(name)
