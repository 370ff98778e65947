"""Dates follow each language's format: never the US 12/01/2026 on English pages."""

import datetime

from django.template import Context, Template
from django.utils import translation


def render(language: str, fmt: str) -> str:
    with translation.override(language):
        return Template(f'{{{{ day|date:"{fmt}" }}}}').render(Context({"day": datetime.date(2026, 12, 1)}))


def test_english_dates_are_never_american():
    assert render("en", "SHORT_DATE_FORMAT") == "2026-12-01"
    assert render("en", "DATE_FORMAT") == "1 December 2026"


def test_chinese_dates_read_as_chinese():
    assert render("zh-hans", "SHORT_DATE_FORMAT") == "2026-12-01"
    assert render("zh-hans", "DATE_FORMAT") == "2026年12月1日"
