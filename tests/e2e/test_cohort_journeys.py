"""People of a cohort sign in and find it on their dashboard."""

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
        person.page.get_by_role("link", name="通知").first.click()
        person.page.wait_for_url(person.url("/notifications/"))
        person.check("notifications")
        person.finish()
