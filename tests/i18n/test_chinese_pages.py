"""Pages a teacher reads in Chinese: actions in words, headings that do not collide."""

import re

import pytest
from bs4 import BeautifulSoup

from training.services import invitation_create

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_membership_history_names_the_action_in_words(client, world):
    invitation = invitation_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        email="new.person@example.com",
        display_name="新学员",
        role="trainee",
        region=world.region_b,
    )
    client.force_login(world.coordinator)
    page = soup_of(
        client.get(f"/cohorts/{world.cohort.pk}/members/{invitation.membership_id}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    )
    text = page.get_text(" ")
    assert "training.membership.invite" not in text
    assert "已邀请加入研修班" in text


def test_dashboard_headings_and_empty_states_do_not_repeat_each_other(client, world):
    client.force_login(world.trainee)
    page = soup_of(client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    headings = [h.get_text(" ", strip=True) for h in page.select("main h2")]
    assert "近期日程" in headings and "待完成的作业" in headings
    assert len(headings) == len(set(headings)), headings
    due = page.find(id="due-title").find_parent("section").get_text(" ", strip=True)
    # The empty state speaks of assignments, not of the schedule next to it.
    assert "暂无待完成的作业" in due
    assert not re.search("待办", page.get_text(" "))


def test_wagtails_default_workflow_and_task_are_named_in_chinese():
    """Moderation e-mails and the admin show these names; they were "Moderators approval"."""
    from wagtail.models import Task, Workflow

    names = list(Workflow.objects.values_list("name", flat=True)) + list(Task.objects.values_list("name", flat=True))
    assert names, "Wagtail's migrations create a default workflow"
    assert "Moderators approval" not in names
    assert "审核员审批" in names
