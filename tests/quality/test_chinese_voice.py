"""Every declared page read in Chinese as each role that may see it: one voice.

The catalogue test (tests/i18n/test_chinese_catalogue.py) checks each msgstr;
this one checks what templates assemble around them (a region's name and a
colon, a cohort's name and a full stop) and what reaches the page raw (an
audit action code), as a teacher reads it.
"""

import re

import pytest
from bs4 import BeautifulSoup

from .conftest import sign_in_as
from .url_access import MATRIX, PUBLIC

CJK = r"[\u3400-\u9fff]"
# ASCII punctuation right after Chinese, before more Chinese (or a figure):
# "上海市: 剩余 1 个名额", "影子校长班. 匹配会", "已参加必修活动: 2/4".
ASCII_IN_CHINESE = re.compile(rf"{CJK}\s*[,:;!?]\s*(?:{CJK}|\d)|{CJK}\.\s+{CJK}|{CJK}\s?\((?:{CJK})")
ACTION_CODE = re.compile(r"\b(?:training|credits|mentorship|regional|cms|accounts)\.[a-z_]+\.[a-z_]+\b")


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "noscript", "template"]):
        element.decompose()
    return soup.get_text(" ")


def offences(text: str) -> list[str]:
    found = [match.group() for match in ASCII_IN_CHINESE.finditer(text)]
    found += [match.group() for match in ACTION_CODE.finditer(text)]
    if "你" in text:
        found += [text[max(0, text.index("你") - 10) : text.index("你") + 10]]
    return found


def test_the_check_catches_what_the_issue_quotes():
    assert offences("上海市: 剩余 1 个名额")
    assert offences("已参加必修活动: 2/4")
    assert offences("2026年秋季影子校长班. 匹配会综合考虑")
    assert offences("邀请 · training.membership.invite")
    assert offences("已为你递补")
    assert not offences("上海市：剩余 1 个名额 · 每天 08:00 · Shadow Principals, 2026")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(name for name, access in MATRIX.items() if access.method == "get"))
def test_declared_pages_read_as_one_chinese_voice(client, declared_world, name):
    access = MATRIX[name]
    found = {}
    for role, status in access.expect.items():
        if status != 200:
            continue
        sign_in_as(client, declared_world, role)
        response = client.get(access.path(declared_world), HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        if bad := offences(visible_text(response.content.decode())):
            found[role] = bad
    assert found == {}, f"{name}: {found}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_read_as_one_chinese_voice(client, declared_world, name):
    path, status = PUBLIC[name]
    response = client.get(path(declared_world), HTTP_ACCEPT_LANGUAGE="zh-hans")
    if status != 200 or response.streaming or "html" not in response.get("Content-Type", ""):
        return
    assert offences(visible_text(response.content.decode())) == []
