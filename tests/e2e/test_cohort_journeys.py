"""People of a cohort sign in and find it on their dashboard and its schedule; a coordinator invites someone new."""

import re
from urllib.parse import urlsplit

from training.models import Cohort

from .harness import BROWSER, DEMO

pytestmark = BROWSER


def test_coordinator_and_trainee_sign_in_and_see_their_cohort(journey):
    cohort = Cohort.objects.get(memberships__user__email=DEMO["trainee"], memberships__role="trainee")
    for role, role_label in [("coordinator", "项目协调员"), ("trainee", "学员")]:
        person = journey(f"{role}-sees-cohort")
        person.sign_in(DEMO[role])
        cohorts = person.page.locator("section[aria-labelledby=memberships-title]")
        assert cohort.name in cohorts.inner_text()
        assert role_label in cohorts.inner_text()
        person.check("dashboard")
        # The schedule shows past, coming and cancelled items, each in its own colours.
        person.visit(f"/cohorts/{cohort.pk}/schedule/")
        assert person.page.locator(".timeline-item.is-past").count() > 0
        person.check("cohort schedule")
        person.page.get_by_role("link", name="通知").first.click()
        person.page.wait_for_url(person.url("/notifications/"))
        person.check("notifications")
        person.finish()


def test_coordinator_invites_a_trainee_who_accepts_from_the_e_mail(journey, mailoutbox):
    cohort = Cohort.objects.get(memberships__user__email=DEMO["trainee"], memberships__role="trainee")
    coordinator = journey("coordinator-invites-a-trainee")
    coordinator.sign_in(DEMO["coordinator"])
    coordinator.visit(f"/cohorts/{cohort.pk}/members/")
    coordinator.page.get_by_role("link", name="邀请", exact=True).click()
    coordinator.page.wait_for_url(coordinator.url(f"/cohorts/{cohort.pk}/invite/"))
    coordinator.page.fill("input[name=display_name]", "周新苗")
    coordinator.page.fill("input[name=email]", "zhou.xinmiao@example.com")
    coordinator.page.select_option("select[name=role]", "trainee")
    coordinator.page.select_option("select[name=region]", index=1)
    coordinator.check("invitation form")
    coordinator.page.get_by_role("button", name="发送邀请").click()
    coordinator.page.wait_for_load_state()
    assert "zhou.xinmiao@example.com" in coordinator.page.inner_text("body")  # "an invitation has been sent to …"
    coordinator.finish()

    [message] = [m for m in mailoutbox if "zhou.xinmiao@example.com" in m.to]
    link = re.search(r"https?://[^\s]+/invitations/[^\s/]+/", message.body).group(0)
    invitee = journey("trainee-accepts-the-invitation", width="phone")
    invitee.visit(urlsplit(link).path)
    assert cohort.name in invitee.page.inner_text("h1")
    invitee.check("invitation")
    invitee.page.fill("input[name=password1]", "Shadow-2026-xinmiao")
    invitee.page.fill("input[name=password2]", "Shadow-2026-xinmiao")
    invitee.page.get_by_role("button", name="接受邀请并创建账户").click()
    # A new account has no school or region yet: the profile comes first, with a message saying why.
    invitee.page.wait_for_url(invitee.url("/account/profile/") + "**")
    assert invitee.page.locator(".message").first.is_visible()
    invitee.check("profile asked for after joining")
    invitee.visit("/dashboard/")
    assert cohort.name in invitee.page.locator("section[aria-labelledby=memberships-title]").inner_text()
    invitee.check("dashboard of the new trainee")
    invitee.finish()
    # The cohort is under way, so accepting makes the new trainee active at once.
    assert cohort.memberships.get(user__email="zhou.xinmiao@example.com").status == "active"
