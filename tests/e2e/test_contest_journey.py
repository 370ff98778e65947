"""A judge scores an entrant of the contest's final on a phone, item by item against the rubric."""

import re

from contests.models import Score

from .harness import BROWSER, DEMO

pytestmark = BROWSER


def test_judge_scores_on_a_phone(journey):
    judge = journey("judge-scores-on-a-phone", width="phone")
    page = judge.page
    judge.sign_in(DEMO["mentor"], next_path="/contests/")
    page.get_by_role("link", name="长三角班主任基本功大赛").click()
    page.wait_for_url(re.compile(r"/contests/\d+/$"))
    judge.check("contest page")
    page.get_by_role("link", name="为我的选手评分").click()
    page.wait_for_url(re.compile(r"/contests/rounds/\d+/judge/$"))
    assert "尚未评分" in page.locator("main").inner_text()
    judge.check("judge's sheet")
    page.locator(".judge-sheet a").first.click()
    page.wait_for_url(re.compile(r"/score/$"))
    assert "分析准确" in page.locator("main").inner_text()
    judge.check("score form")
    # Out of the rubric's scale first: a clear message, nothing saved.
    page.get_by_label(re.compile("分析准确")).fill("60")
    page.get_by_role("button", name="提交分数").click()
    assert Score.objects.filter(submitted_by__email=DEMO["mentor"]).count() == 0
    page.get_by_label(re.compile("分析准确")).fill("42")
    page.get_by_label(re.compile("对策得当")).fill("45")
    page.get_by_label("评语").fill("分析到位，对策可操作。")
    page.get_by_role("button", name="提交分数").click()
    page.wait_for_url(re.compile(r"/judge/$"))
    assert "分数已提交并锁定。" in page.locator("body").inner_text()
    score = Score.objects.get(submitted_by__email=DEMO["mentor"])
    assert str(score.value) == "87.0" and score.comment == "分析到位，对策可操作。"
    judge.check("sheet after scoring")
    judge.finish()
