"""An observer opens the lesson from the notification, fills the sheet on a phone during the lesson (losing the
connection for a moment), and sees the summary afterwards."""

import datetime
import re

from django.utils import timezone

from studios import services
from studios.models import Cycle, LessonPlan, ObservationAnswer, ObservationSheet, PlanVersion, Studio

from .harness import BROWSER, DEMO

pytestmark = BROWSER


def _lesson_under_way():
    """A new cycle in the Anhui studio, its lesson started ten minutes ago; the leader's scheduling tells everyone."""
    studio = Studio.objects.get(name="徐静初中数学名师工作室")
    template = studio.observation_templates.get()
    cycle = Cycle.objects.create(
        studio=studio, topic="二元一次方程组（远程观课）", leader=studio.leader, template=template
    )
    plan = LessonPlan.objects.create(cycle=cycle, teacher=studio.leader)
    PlanVersion.objects.create(plan=plan, number=1, body="以“鸡兔同笼”导入。")
    starts = timezone.now() - datetime.timedelta(minutes=10)
    return services.lesson_schedule(
        acting_user=studio.leader,
        cycle=cycle,
        plan=plan,
        classroom="蜀山中学 初一（2）班",
        online_link="https://meeting.example.com/j/remote",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=45),
    )


def _answers(lesson, email):
    """The scores saved so far, by the item's place on the sheet."""
    return dict(
        ObservationAnswer.objects.filter(
            sheet__lesson=lesson, sheet__observer__email=email, item__kind="rating"
        ).values_list("item__position", "value")
    )


def test_observer_fills_the_sheet_on_a_phone_and_sees_the_summary(journey):
    from playwright.sync_api import expect

    lesson = _lesson_under_way()
    observer = journey("observer-fills-the-sheet-on-a-phone", width="phone")
    page = observer.page
    observer.sign_in(DEMO["trainee"], next_path="/notifications/")
    item = page.locator(".inbox-item", has_text="二元一次方程组")
    item.get_by_role("button", name="打开").click()
    page.wait_for_url(re.compile(rf"/studios/lessons/{lesson.pk}/$"))
    assert "蜀山中学 初一（2）班" in page.locator("main").inner_text()
    observer.check("lesson page")
    page.get_by_role("link", name="填写观察量表").click()
    page.wait_for_url(re.compile(r"/sheet/$"))
    observer.check("observation sheet")

    # Each score is saved as it is given, without pressing a button.
    status = page.locator("[data-sheet-status]")
    page.get_by_role("group", name="目标清晰，可观察、可检测").get_by_label("4").check()
    page.get_by_role("group", name="目标与课程标准和学情相符").get_by_label("5").check()
    expect(status).to_have_text("已保存。")
    assert _answers(lesson, DEMO["trainee"]) == {1: 4, 2: 5}

    # The connection drops: the answer waits on the phone and goes once it is back.
    page.context.set_offline(True)
    page.get_by_role("group", name="情境导入自然，指向核心问题").get_by_label("3").check()
    expect(status).to_contain_text("没有网络连接")
    assert 3 not in _answers(lesson, DEMO["trainee"])
    page.context.set_offline(False)
    expect(status).to_have_text("已保存。")
    assert _answers(lesson, DEMO["trainee"])[3] == 3
    # The browser logs the request that failed while offline; that one, and only that one, was expected.
    dropped = [error for error in observer.console_errors if "ERR_INTERNET_DISCONNECTED" in error]
    assert dropped
    observer.console_errors[:] = [error for error in observer.console_errors if error not in dropped]

    for text in ["问题链有层次", "学生参与面广", "学生能用方程表达", "课堂氛围民主"]:
        page.get_by_role("group", name=re.compile(text)).get_by_label("4").check()
    # A choice among the studio's options, and a note typed in its box: each saved as it is given too
    # (the note once the observer pauses typing).
    page.get_by_role("group", name="本节课的核心目标是否达成").get_by_label("基本达成").check()
    expect(status).to_have_text("已保存。")
    saved = ObservationAnswer.objects.filter(sheet__lesson=lesson, sheet__observer__email=DEMO["trainee"])
    note = lesson.cycle.template.items.get(text="最值得借鉴的一个做法")
    with page.expect_response(
        lambda response: "/sheet/answer/" in response.url and f"item={note.pk}&" in (response.request.post_data or "")
    ):
        page.get_by_label("最值得借鉴的一个做法").fill("让学生先估算再列方程。")
    expect(status).to_have_text("已保存。")
    assert saved.get(item__text="本节课的核心目标是否达成").value == 2
    assert saved.get(item__text="最值得借鉴的一个做法").text == "让学生先估算再列方程。"
    page.get_by_label("您对这节课的改进建议").fill("导入很快进入主题，建议多给学生讲思路的时间。")
    page.get_by_role("button", name="提交量表").click()
    page.wait_for_url(re.compile(r"/summary/$"))
    body = page.locator("body").inner_text()
    assert "您的观察量表已提交" in body and "已提交 1 份量表" in body
    assert "多给学生讲思路的时间" in body and "让学生先估算再列方程" in body and "基本达成 1 (100%)" in body
    sheet = ObservationSheet.objects.get(lesson=lesson, observer__email=DEMO["trainee"])
    assert sheet.submitted_at is not None and sheet.answers.count() == 9
    observer.check("summary after the lesson")
    observer.finish()
