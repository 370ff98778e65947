"""Mentorship in a real browser: a mentor logs a session on a phone, the trainee confirms, the coordinator matches."""

import re

from mentorship.models import MatchingBatch, Pairing, SessionLog, SessionLogStatus

from .harness import BROWSER, DEMO

pytestmark = BROWSER


def test_mentor_logs_a_session_on_a_phone_and_the_trainee_confirms_it(journey):
    pairing = Pairing.objects.get(trainee__email=DEMO["trainee"])
    mentor = journey("mentor-logs-a-session")
    mentor.page.set_viewport_size({"width": 360, "height": 780})
    mentor.sign_in(DEMO["mentor"])
    panel = mentor.page.locator("section[aria-labelledby=my-trainees-title]")
    assert "李晓雯" in panel.inner_text()
    mentor.check("dashboard with my trainees")
    panel.get_by_role("link", name="记录带教活动").first.click()
    mentor.page.wait_for_url(mentor.url(f"/mentorship/pairings/{pairing.pk}/log/"))
    mentor.check("log form")
    # Date, hours and kind come filled in: one line of text and the log is saved.
    mentor.page.set_viewport_size({"width": 360, "height": 780})
    mentor.page.fill("textarea[name=went_well]", "听了两节语文课，课后一起梳理了评课要点。")
    mentor.page.get_by_label("领导课程教学").check()
    mentor.page.locator("main form button[type=submit]").click()
    mentor.page.wait_for_url(mentor.url(f"/mentorship/pairings/{pairing.pk}/") + "**")
    assert "听了两节语文课" in mentor.page.inner_text("#logs")
    mentor.check("pairing with the new log")
    mentor.finish()

    log = SessionLog.objects.filter(pairing=pairing, went_well__startswith="听了两节语文课").get()
    trainee = journey("trainee-confirms-a-session")
    trainee.sign_in(DEMO["trainee"])
    waiting = trainee.page.locator("section[aria-labelledby=to-confirm-title]")
    assert "陈建国" in waiting.inner_text()
    mentor_panel = trainee.page.locator(f"section[aria-labelledby=my-mentor-{pairing.pk}]")
    assert "陈建国" in mentor_panel.inner_text()
    trainee.check("dashboard with my mentor")
    hours_before = _mentoring_hours(trainee.page)
    trainee.visit(f"/mentorship/pairings/{pairing.pk}/#log-{log.pk}")
    trainee.check("pairing page")
    trainee.page.locator(f"#log-{log.pk}").get_by_role("button", name="确认").click()
    trainee.page.wait_for_load_state()
    assert SessionLog.objects.get(pk=log.pk).status == SessionLogStatus.CONFIRMED
    trainee.check("log confirmed")
    trainee.visit("/dashboard/")
    assert _mentoring_hours(trainee.page) == hours_before + float(log.hours)  # progress moved
    trainee.check("dashboard after confirming")
    trainee.finish()


def _mentoring_hours(page) -> float:
    """The confirmed mentoring hours the trainee's progress card shows ("6 / 40h")."""
    rule = page.locator(".progress-rules li", has_text="已确认带教学时").first
    return float(re.match(r"\s*([\d.]+)", rule.locator(".progress-figure").inner_text()).group(1))


def test_coordinator_runs_the_matching_reviews_it_and_publishes_it(journey):
    cohort_id = MatchingBatch.objects.get(status="pending").cohort_id
    coordinator = journey("coordinator-publishes-matching")
    coordinator.sign_in(DEMO["coordinator"])
    coordinator.page.get_by_role("link", name="结对匹配").first.click()
    coordinator.page.wait_for_url(coordinator.url(f"/mentorship/cohorts/{cohort_id}/matching/"))
    coordinator.check("matching")
    coordinator.page.get_by_role("button", name="运行匹配").click()  # the task runs inline in tests
    coordinator.page.wait_for_url(coordinator.url("/mentorship/batches/") + "**")
    batch = MatchingBatch.objects.get(status="pending")
    assert coordinator.page.url.endswith(f"/mentorship/batches/{batch.pk}/")
    assert batch.proposals.exists()
    coordinator.page.reload()
    assert "推荐理由" in coordinator.page.inner_text("main")
    coordinator.page.locator("details.reasons").first.locator("summary").click()
    coordinator.check("batch review")
    coordinator.page.get_by_role("button", name="发布：向双方提出这些结对").click()
    coordinator.page.wait_for_url(coordinator.url(f"/mentorship/cohorts/{cohort_id}/pairings/"))
    assert Pairing.objects.filter(cohort_id=cohort_id, status="proposed").count() == batch.proposals.count()
    coordinator.check("pairings")
    coordinator.visit(f"/mentorship/cohorts/{cohort_id}/evaluations/")
    coordinator.check("evaluations")
    coordinator.page.get_by_role("link", name="带教证书").click()
    coordinator.page.wait_for_url(coordinator.url(f"/mentorship/cohorts/{cohort_id}/host-certificates/"))
    assert "带教证书" in coordinator.page.inner_text("h1")
    coordinator.check("host certificates")
    coordinator.finish()
