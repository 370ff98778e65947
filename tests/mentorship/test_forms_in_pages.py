"""Every form on the mentorship pages, posted as a person would, and what it changes."""

import pytest
from django.utils import timezone

from mentorship.models import (
    ActionPlan,
    CheckIn,
    DoNotMatch,
    Evaluation,
    HostProfile,
    HostWindow,
    MatchingBatch,
    MatchingPreference,
    Pairing,
    PairingPin,
    PairingStatus,
    ReflectionComment,
)
from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.mentorship import make_host, make_pairing, make_window, mentorship_world, pending_batch
from tests.factories.training import add_member

pytestmark = pytest.mark.django_db


def post(client, user, path, data):
    client.force_login(user)
    return client.post(path, data)


def test_a_mentor_saves_their_host_profile(client, world):
    response = post(
        client,
        world.mentor,
        "/en/mentorship/host-profile/",
        {
            "school": world.mentor.profile.school_id,
            "focus_areas": ["planning_development", "shaping_culture"],
            "stages": ["primary"],
            "subjects": ["leadership"],
            "capacity": "3",
        },
    )
    assert response.status_code == 302
    host = HostProfile.objects.get(user=world.mentor)
    assert host.capacity == 3 and host.focus_areas == ["planning_development", "shaping_culture"]


def test_a_host_cannot_take_more_than_twelve_at_once(client, world):
    response = post(
        client,
        world.mentor,
        "/en/mentorship/host-profile/",
        {"school": world.mentor.profile.school_id, "capacity": "40"},
    )
    assert response.status_code == 200 and not HostProfile.objects.exists()


def test_a_trainee_names_ranked_wishes_among_the_cohorts_mentors_only(client, world):
    path = f"/en/mentorship/cohorts/{world.cohort.pk}/preferences/"
    response = post(client, world.trainee, path, {"focus_areas": ["shaping_culture"], "wish_1": str(world.mentor.pk)})
    assert response.status_code == 302
    assert MatchingPreference.objects.get(trainee=world.trainee).wishes == [world.mentor.pk]
    response = post(client, world.trainee, path, {"wish_1": str(world.other_mentor.pk)})
    assert response.status_code == 200
    assert MatchingPreference.objects.get(trainee=world.trainee).wishes == [world.mentor.pk]


def test_the_agreement_is_written_on_a_proposed_pairing(client, world):
    make_host(world.mentor)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.PROPOSED)
    response = post(
        client,
        world.trainee,
        f"/en/mentorship/pairings/{pairing.pk}/agreement/",
        {"focus_areas": ["planning_development"], "visit_days": "每周三", "expectations": "每周一篇反思"},
    )
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.agreement_visit_days == "每周三" and pairing.agreement_focus_areas == ["planning_development"]
    approve = post(client, world.trainee, f"/en/mentorship/pairings/{pairing.pk}/approve/", {})
    assert approve.status_code == 302 and pairing.approvals.count() == 1


def test_evaluations_action_plan_and_check_ins_through_the_pages(client, world):
    m = mentorship_world(world)
    base = f"/en/mentorship/pairings/{m.pairing.pk}"
    client.force_login(world.trainee)
    form = client.get(f"{base}/evaluations/final/self/")
    assert "Planning school development" in form.content.decode()
    ratings = dict.fromkeys(["planning_development", "shaping_culture", "leading_teaching"], "3")
    ratings |= {"guiding_teacher_growth": "2", "optimising_management": "4", "adjusting_outside": "1"}
    assert post(client, world.trainee, f"{base}/evaluations/final/self/", ratings).status_code == 302
    assert Evaluation.objects.get(pairing=m.pairing, kind="self").ratings["adjusting_outside"] == 1
    # Missing items re-render the form; nothing is saved.
    assert post(client, world.mentor, f"{base}/evaluations/final/mentor_rates_trainee/", {}).status_code == 200
    assert not Evaluation.objects.filter(kind="mentor_rates_trainee").exists()
    assert post(client, world.trainee, f"{base}/action-plan/", {"goals": "目标", "actions": "行动"}).status_code == 302
    assert ActionPlan.objects.get(pairing=m.pairing).goals == "目标"
    today = timezone.localdate().isoformat()
    post(client, world.mentor, f"/en/mentorship/check-ins/{m.check_in.pk}/", {"held_on": today, "progress": "顺利"})
    assert CheckIn.objects.get(pk=m.check_in.pk).progress == "顺利"


def test_the_mentor_comments_on_a_reflection(client, world):
    m = mentorship_world(world)
    path = f"/en/mentorship/reflections/{m.reflection.pk}/"
    assert post(client, world.mentor, path, {"body": "很有启发<script>x</script>"}).status_code == 302
    assert ReflectionComment.objects.get().body == "很有启发"
    assert post(client, world.trainee, path, {"body": "自己评论"}).status_code == 403


def test_the_coordinator_ends_a_pairing_and_marks_the_pair_apart(client, world):
    m = mentorship_world(world)
    response = post(
        client,
        world.coordinator,
        f"/en/mentorship/pairings/{m.pairing.pk}/status/",
        {"action": "end", "reason": "学员调岗", "do_not_match": "on"},
    )
    assert response.status_code == 302
    assert Pairing.objects.get(pk=m.pairing.pk).status == PairingStatus.ENDED
    assert DoNotMatch.objects.filter(trainee=world.trainee, mentor=world.mentor).exists()


def test_the_coordinator_adds_windows_and_pins_pairs_on_the_matching_page(client, world):
    make_host(world.mentor)
    path = f"/en/mentorship/cohorts/{world.cohort.pk}/matching/"
    window = {
        "action": "window",
        "school": world.mentor.profile.school_id,
        "term": "2026秋",
        "starts_on": world.cohort.starts_on.isoformat(),
        "ends_on": world.cohort.ends_on.isoformat(),
        "capacity": "3",
    }
    assert post(client, world.coordinator, path, window).status_code == 302
    assert HostWindow.objects.filter(term="2026秋").exists()
    bad = window | {"term": "2027春", "ends_on": "2000-01-01"}
    assert post(client, world.coordinator, path, bad).status_code == 200
    assert not HostWindow.objects.filter(term="2027春").exists()
    pin = {"action": "pin", "trainee": world.trainee.pk, "mentor": world.mentor.pk}
    assert post(client, world.coordinator, path, pin).status_code == 302
    assert PairingPin.objects.filter(trainee=world.trainee, mentor=world.mentor).exists()


def test_pinning_a_pair_that_breaks_a_rule_is_refused(client, world):
    same_school = make_user(region=world.region_b, school=world.trainee.profile.school)
    add_member(world.cohort, same_school, "mentor")
    make_host(same_school)
    path = f"/en/mentorship/cohorts/{world.cohort.pk}/matching/"
    response = post(
        client, world.coordinator, path, {"action": "pin", "trainee": world.trainee.pk, "mentor": same_school.pk}
    )
    assert response.status_code == 200
    assert "same school" in response.content.decode()
    assert not PairingPin.objects.exists()


def test_the_coordinator_swaps_and_removes_proposals(client, world):
    for _ in range(2):
        trainee = make_user(region=world.region_b, school=SchoolFactory(region=world.region_b))
        mentor = make_user(region=world.region_a, school=SchoolFactory(region=world.region_a))
        add_member(world.cohort, trainee, "trainee")
        add_member(world.cohort, mentor, "mentor")
        make_window(make_host(mentor, capacity=1).school, world.cohort)
    batch = pending_batch(world.cohort, world.coordinator)
    first, second = batch.proposals.order_by("pk")[:2]
    path = f"/en/mentorship/batches/{batch.pk}/"
    before = (first.mentor_id, second.mentor_id)
    post(client, world.coordinator, path, {"action": "swap", "proposal": first.pk, "second": second.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.mentor_id, first.mentor_id) == before
    post(client, world.coordinator, path, {"action": "remove", "proposal": first.pk})
    batch = MatchingBatch.objects.get(pk=batch.pk)
    assert batch.unplaced[str(first.trainee_id)] == "removed"
    assert "Removed from the proposals by the coordinator." in client.get(path).content.decode()
