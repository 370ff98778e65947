"""A visitor reads the home page in both languages, signs up, verifies the address and fills in a profile."""

import re

from django.core import mail

from accounts.models import Region, School, User

from .harness import BROWSER

pytestmark = BROWSER


def test_visitor_signs_up_verifies_the_address_and_completes_the_profile(journey, settings):
    # As in production: no sign-in until the address is confirmed.
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    visitor = journey("visitor-signs-up")
    page = visitor.page

    visitor.visit("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text() == "跟岗名校长，走进名师课堂"
    visitor.check("home in Chinese")

    page.locator(".language-switcher").get_by_role("link", name="English").click()
    page.wait_for_url(visitor.url("/en/"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Shadow a leading principal" in page.get_by_role("heading", level=1).inner_text()
    visitor.check("home in English")

    page.locator("main").get_by_role("link", name="Create an account").click()
    page.wait_for_url(re.compile(r"/en/accounts/signup/"))
    visitor.check("sign-up form")
    page.fill("input[name=email]", "new.principal@example.com")
    page.fill("input[name=display_name]", "赵一鸣")
    page.fill("input[name=password1]", "shadow-training-2026")
    page.fill("input[name=password2]", "shadow-training-2026")
    page.select_option("select[name=preferred_language]", "en")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    visitor.check("verification sent")

    # Not signed in before the address is confirmed.
    visitor.visit("/en/dashboard/")
    assert "/accounts/login/" in page.url

    [message] = [m for m in mail.outbox if "new.principal@example.com" in m.to]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    assert link.startswith(visitor.base_url)
    page.goto(link)
    visitor.check("confirm the address")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert User.objects.get(email="new.principal@example.com").emailaddress_set.get().verified

    visitor.visit("/en/account/profile/")
    visitor.check("empty profile")
    anhui = Region.objects.get(code="ah")
    school = School.objects.get(name_en="Huangshan Foothills Primary School")
    page.select_option("select[name=region]", str(anhui.pk))
    page.select_option("select[name=school]", str(school.pk))
    page.fill("input[name=title]", "Deputy head")
    page.locator("input[name=subjects][value=leadership]").check()
    page.locator("input[name=stages][value=primary]").check()
    page.fill("input[name=years_of_experience]", "9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message-success").is_visible()
    visitor.check("profile saved")

    page.get_by_role("link", name="My dashboard").first.click()
    page.wait_for_url(re.compile(r"/en/dashboard/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, 赵一鸣"
    dashboard = page.locator("main").inner_text()
    assert "Huangshan Foothills Primary School" in dashboard
    assert "Deputy head" in dashboard
    visitor.check("dashboard")
    visitor.finish()
