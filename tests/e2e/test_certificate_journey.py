"""A trainee subscribes to their calendar; a graduate downloads their certificate and the public check confirms it."""

import re
from urllib.parse import urlsplit

from training.models import Certificate, ScheduleItem

from .harness import BROWSER, DEMO

pytestmark = BROWSER


def test_trainee_gets_a_calendar_address_that_serves_their_schedule(journey):
    trainee = journey("trainee-subscribes-to-the-calendar", width="phone")
    page = trainee.page
    trainee.sign_in(DEMO["trainee"])
    page.get_by_role("button", name="生成我的日历地址").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    address = page.locator("#feed-url").input_value()
    assert re.search(r"/calendar/[\w-]+\.ics$", address)
    trainee.check("calendar address")
    feed = page.request.get(trainee.url(urlsplit(address).path))
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    body = feed.text()
    assert body.startswith("BEGIN:VCALENDAR")
    upcoming = ScheduleItem.objects.filter(cohort__memberships__user__email=DEMO["trainee"]).order_by("-starts_at")
    assert f"UID:{upcoming.first().uid}" in body
    trainee.finish()


def test_graduate_downloads_the_certificate_and_the_public_check_confirms_it(journey):
    certificate = Certificate.objects.get(code="DEMO-2025-AHSH")
    graduate = journey("graduate-downloads-the-certificate")
    page = graduate.page
    graduate.sign_in(certificate.membership.user.email)
    card = page.locator("#certificates")
    assert certificate.code in card.inner_text()
    assert "我的进度" not in page.locator("main").inner_text()  # a finished cohort shows its certificate, not 0 %
    graduate.check("dashboard with the certificate")
    pdf_link = card.get_by_role("link", name=re.compile("PDF"))
    pdf = page.request.get(graduate.url(pdf_link.get_attribute("href")))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    card.get_by_role("link", name="公开查验").click()
    page.wait_for_url(re.compile(rf"/verify/{certificate.code}/$"))
    assert "该证书有效" in page.locator("main").inner_text()
    assert certificate.holder_name in page.locator("main").inner_text()
    graduate.check("public check")
    graduate.finish()
