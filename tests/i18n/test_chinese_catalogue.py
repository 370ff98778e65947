"""One voice in the Chinese catalogue: 您, full-width punctuation, nothing left in English.

The rules are those of docs/chinese-style.md; these tests read every msgstr
of locale/zh_Hans/LC_MESSAGES/django.po, so a new string that breaks them
fails here before a teacher reads it.
"""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
ZH = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"

CJK = re.compile(r"[\u3400-\u9fff]")
# Placeholders, markup, addresses and quoted technical text keep their ASCII.
NOT_PROSE = re.compile(
    r"%\([^)]*\)[sdfr]|%[sdf]|\{[^}]*\}|<[^>]+>|https?://\S+|[\w.+-]+@[\w.-]+|&\w+;"
    r"|“[\x20-\x7e]*(?:<[^>]*>[\x20-\x7e]*)*”|\d+:\d+"
)
ASCII_PUNCTUATION = re.compile(r"[,;:!?()]|\.(?=\s|$)")
# Strings that are arguments to a template filter, not prose.
FILTER_ARGUMENTS = {"Required,Optional"}
# Words that stay in Latin letters in Chinese too.
LATIN_TERMS = {"PDF", "{title}"}


def chinese_strings():
    for entry in polib.pofile(str(ZH)):
        if entry.obsolete:
            continue
        values = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for value in values:
            yield entry.msgid, value


def test_ascii_punctuation_inside_chinese_is_found():
    """The check itself: the sentences the issue quotes are caught, the allowed forms are not."""
    assert ASCII_PUNCTUATION.search(NOT_PROSE.sub("X", "上海市: 剩余 1 个名额"))
    assert ASCII_PUNCTUATION.search(NOT_PROSE.sub("X", "2026年秋季影子校长班. 匹配会综合考虑"))
    assert not ASCII_PUNCTUATION.search(NOT_PROSE.sub("X", "每天 08:00 发送，请以“Authorization: Bearer <令牌>”发送。"))
    assert not ASCII_PUNCTUATION.search(NOT_PROSE.sub("X", "%(name)s（%(when)s）已签到。"))


def test_chinese_msgstrs_use_full_width_punctuation():
    offending = [
        (msgid, value)
        for msgid, value in chinese_strings()
        if msgid not in FILTER_ARGUMENTS and CJK.search(value) and ASCII_PUNCTUATION.search(NOT_PROSE.sub("X", value))
    ]
    assert offending == [], f"ASCII punctuation in Chinese: {offending[:10]}"


def test_chinese_msgstrs_address_the_reader_as_nin():
    offending = [(msgid, value) for msgid, value in chinese_strings() if "你" in value]
    assert offending == [], f"Use 您, not 你: {offending[:10]}"


@pytest.mark.parametrize("check", ["empty", "english"])
def test_every_msgid_is_shown_in_chinese(check):
    """Nothing empty, fuzzy, or copied over in English (a msgstr with Latin words and no Chinese)."""
    catalogue = polib.pofile(str(ZH))
    if check == "empty":
        gaps = [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    else:
        gaps = [
            msgid
            for msgid, value in chinese_strings()
            if value not in LATIN_TERMS
            and not CJK.search(value)
            and re.search(r"[A-Za-z]{3}", NOT_PROSE.sub("", value))
        ]
    assert gaps == [], f"Shown in English on Chinese pages: {gaps[:10]}"
