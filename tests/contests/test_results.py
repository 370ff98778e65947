"""Freezing, publishing (through the page's moderation), advancing, award certificates and credited hours."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contests.models import Assignment, RoundEntry, RoundStatus, Score
from contests.services import round_assign, round_freeze, round_publish, round_reopen
from tests.contests.builders import assigned_contest, score_everything
from training.models import Certificate, CertificateKind, HoursEntry, HoursSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(db):
    return assigned_contest()


def test_publishing_with_missing_scores_is_refused_and_nothing_changes(scored):
    world, _entrants = scored
    first = Assignment.objects.filter(item__round=world.preliminary).first()
    score_everything(world.preliminary)
    Score.objects.filter(assignment=first).delete()
    round_freeze(round_=world.preliminary, acting_user=world.coordinator)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        round_publish(round_=world.preliminary, acting_user=world.coordinator)
    assert "1 scores are still missing" in error.value.messages[0]
    world.preliminary.refresh_from_db()
    assert world.preliminary.status == RoundStatus.FROZEN
    assert not RoundEntry.objects.filter(round=world.final).exists()
    assert not HoursEntry.objects.exists()
    round_reopen(round_=world.preliminary, acting_user=world.coordinator)
    world.preliminary.refresh_from_db()
    assert world.preliminary.status == RoundStatus.OPEN


def test_scores_cannot_change_once_frozen(scored):
    from contests.services import score_submit

    world, _entrants = scored
    round_freeze(round_=world.preliminary, acting_user=world.coordinator)
    assignment = Assignment.objects.filter(item__round=world.preliminary).select_related("item__round").first()
    with pytest.raises(ValidationError):
        score_submit(item=assignment.item, entrant_id=assignment.entrant_id, judge=assignment.judge, value=80)


def test_publish_advances_the_best_per_category_and_credits_hours_once(scored):
    world, entrants = scored
    score_everything(world.preliminary)
    round_freeze(round_=world.preliminary, acting_user=world.coordinator)
    round_publish(round_=world.preliminary, acting_user=world.coordinator)
    world.preliminary.refresh_from_db()
    assert world.preliminary.status == RoundStatus.PUBLISHED
    ranked = list(RoundEntry.objects.filter(round=world.preliminary).order_by("rank"))
    assert [entry.advanced for entry in ranked] == [True, True] + [False] * 6  # advance_value 2
    assert set(RoundEntry.objects.filter(round=world.final).values_list("entrant_id", flat=True)) == {
        entry.entrant_id for entry in ranked[:2]
    }
    hours = HoursEntry.objects.filter(source=HoursSource.CONTEST)
    assert hours.count() == len(entrants)
    assert {entry.hours for entry in hours} == {world.contest.participation_hours}


def test_final_awards_by_shares_produce_verifiable_award_certificates(scored):
    from contests.services import judges_seat

    world, entrants = scored
    # Everyone goes to the final directly: ten entrants in the category, shares 10 / 20 / 30 %.
    RoundEntry.objects.bulk_create(RoundEntry(round=world.final, entrant=entrant) for entrant in entrants)
    final_item = world.final.items.get()
    judges_seat(item=final_item, judges=world.judges, acting_user=world.coordinator)
    round_assign(round_=world.final, acting_user=world.coordinator)
    score_everything(world.final, value_of=lambda a: Decimal(100 - a.entrant_id % 50))
    round_freeze(round_=world.final, acting_user=world.coordinator)
    round_publish(round_=world.final, acting_user=world.coordinator)
    awards = dict(RoundEntry.objects.filter(round=world.final).values_list("rank", "award"))
    # Eight entrants: 10 % -> 1 first prize, 30 % -> 2 up to second, 60 % -> 5 up to third.
    assert awards == {1: "first", 2: "second", 3: "third", 4: "third", 5: "third", 6: "", 7: "", 8: ""}
    certificates = Certificate.objects.filter(kind=CertificateKind.AWARD)
    assert sorted(certificates.values_list("distinction", flat=True)) == sorted(
        ["一等奖", "二等奖", "三等奖", "三等奖", "三等奖"]
    )
    winner = RoundEntry.objects.get(round=world.final, rank=1).entrant
    certificate = certificates.get(distinction="一等奖")
    assert certificate.holder == winner.person and certificate.membership is None
    assert certificate.programme_title == world.contest.name and certificate.distinction_en == "First prize"
    assert certificate.is_valid and certificate.code


def test_with_a_moderation_workflow_results_wait_for_the_moderators(scored):
    from wagtail.models import Page, Workflow, WorkflowPage

    world, _entrants = scored
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="大赛", slug="contest-page"))
    workflow = Workflow.objects.get_or_create(name="Moderators approval")[0]
    if not workflow.workflow_tasks.exists():
        from wagtail.models import GroupApprovalTask, WorkflowTask

        task = GroupApprovalTask.objects.create(name="Moderators approve")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    world.contest.page = page
    world.contest.save()
    score_everything(world.preliminary)
    round_freeze(round_=world.preliminary, acting_user=world.coordinator)
    round_publish(round_=world.preliminary, acting_user=world.coordinator)
    world.preliminary.refresh_from_db()
    assert world.preliminary.status == RoundStatus.MODERATION
    page.refresh_from_db()
    assert page.workflow_in_progress
    assert not HoursEntry.objects.exists()
    page.get_latest_revision().publish()
    world.preliminary.refresh_from_db()
    assert world.preliminary.status == RoundStatus.PUBLISHED
    assert HoursEntry.objects.filter(source=HoursSource.CONTEST).exists()
