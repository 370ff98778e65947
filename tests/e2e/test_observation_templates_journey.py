"""A coordinator makes a platform observation sheet for a cohort's cycle; a studio's leader copies it, on a phone."""

import re

from studios.models import Cycle, ObservationTemplate, Studio
from training.models import Cohort

from .harness import BROWSER, DEMO

pytestmark = BROWSER


def test_coordinator_makes_a_platform_sheet_and_a_leader_copies_it_on_a_phone(journey):
    cohort = Cohort.objects.filter(memberships__user__email=DEMO["coordinator"], memberships__role="coordinator")[0]
    coordinator = journey("coordinator-makes-a-platform-observation-sheet")
    page = coordinator.page
    coordinator.sign_in(DEMO["coordinator"])
    coordinator.visit(f"/studios/cohorts/{cohort.pk}/cycles/")
    page.get_by_role("link", name="平台观察量表：为本周期创建或修改量表").click()
    page.wait_for_url(coordinator.url("/studios/observation-sheets/"))
    coordinator.check("platform sheets")
    page.fill("input[name=name]", "跨省同课异构课堂观察表")
    page.fill("input[name=scale_min]", "1")
    page.fill("input[name=scale_max]", "4")
    page.fill("input[name=notes_prompt]", "您最想借鉴的一个做法")
    page.get_by_role("button", name="创建").click()
    page.wait_for_url(re.compile(r"/studios/observation-sheets/\d+/$"))
    page.fill("input[name=items-0-dimension]", "教学目标")
    page.fill("input[name=items-0-text]", "目标清晰、可检测")
    page.fill("input[name=items-1-dimension]", "学生学习")
    page.fill("input[name=items-1-text]", "学生主动提出问题")
    with page.expect_navigation():
        page.get_by_role("button", name="保存条目").click()
    with page.expect_navigation():
        page.get_by_role("button", name="条目 2 上移").click()
    template = ObservationTemplate.objects.get(name="跨省同课异构课堂观察表")
    assert [item.text for item in template.items.order_by("position")] == ["学生主动提出问题", "目标清晰、可检测"]
    coordinator.check("platform sheet with its items")
    coordinator.visit(f"/studios/cohorts/{cohort.pk}/cycles/")
    page.fill("input[name=topic]", "跨省同课异构：分数的意义")
    page.select_option("select[name=template]", str(template.pk))
    page.get_by_role("button", name="开始", exact=True).click()
    page.wait_for_url(re.compile(r"/studios/cycles/\d+/$"))
    assert Cycle.objects.get(topic="跨省同课异构：分数的意义").template == template
    coordinator.finish()

    studio = Studio.objects.get(leader__email=DEMO["mentor"])
    leader = journey("studio-leader-copies-a-platform-sheet", width="phone")
    page = leader.page
    leader.sign_in(DEMO["mentor"])
    leader.visit(f"/studios/{studio.pk}/")
    page.get_by_role("link", name="工作室的观察量表").click()
    page.wait_for_url(leader.url(f"/studios/{studio.pk}/observation-sheets/"))
    leader.check("studio sheets")
    page.locator("li.card", has_text="跨省同课异构课堂观察表").get_by_role("button", name="复制到本工作室").click()
    page.wait_for_url(re.compile(r"/studios/observation-sheets/\d+/$"))
    copy = ObservationTemplate.objects.get(studio=studio, name="跨省同课异构课堂观察表（副本）")
    assert copy.items.count() == 2
    leader.check("the studio's copy")
    leader.finish()
