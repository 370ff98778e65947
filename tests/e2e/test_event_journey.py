"""A teacher opens the summit page, signs in, registers and sees the check-in QR code; the desk checks them in."""

import re

from cms.models import EventRegistration

from .harness import BROWSER, DEMO

pytestmark = BROWSER


def test_teacher_registers_for_the_summit_and_sees_the_qr_code(journey):
    teacher = journey("teacher-registers-for-the-summit", width="phone")
    page = teacher.page

    teacher.visit("/events/")
    teacher.check("events")
    page.get_by_role("link", name="长三角中小学校长高峰论坛").click()
    page.wait_for_url(re.compile(r"/events/principals-summit/$"))
    assert "一所好学校的课程整体设计" in page.locator(".agenda").inner_text()
    assert "陈静怡" in page.locator("main").inner_text()
    teacher.check("summit page")

    page.get_by_role("link", name="登录后报名").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    teacher.sign_in(DEMO["trainee"], next_path="/events/principals-summit/")
    page.get_by_role("button", name="报名").click()
    page.wait_for_url(re.compile(r"/site/registrations/\d+/$"))
    assert page.locator("svg.qr-code").is_visible()
    registration = EventRegistration.objects.get(user__email=DEMO["trainee"])
    assert page.locator(".registration-code").inner_text() == registration.code
    teacher.check("registration with QR code")

    teacher.visit("/events/principals-summit/")
    assert page.get_by_role("link", name="我的报名与签到码").is_visible()
    teacher.finish()

    desk = journey("event-desk-checks-in")
    desk.sign_in(DEMO["admin"], next_path=f"/site/events/{registration.event_id}/check-in/")
    desk.page.fill("#id_code", registration.code.lower())
    desk.page.get_by_role("button", name="签到").click()
    desk.page.wait_for_load_state()
    assert desk.page.locator(".check-in-result").is_visible()
    desk.check("checked in")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    desk.finish()
