"""The API's lists are shaped by the database: the same names as the pages, every row once across pages."""

import pytest

from accounts.models import User
from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.mentorship import make_pairing, mentorship_world
from tests.factories.training import add_member

pytestmark = pytest.mark.django_db


def _pair(world, i, **trainee_name):
    names = {key: trainee_name.pop(key) for key in ("last_name", "first_name") if key in trainee_name}
    trainee = make_user(email=f"t{i}@example.com", region=world.region_b, **trainee_name)
    if names:
        User.objects.filter(pk=trainee.pk).update(**names)
    mentor = make_user(email=f"m{i}@example.com", region=world.region_a, school=SchoolFactory(region=world.region_a))
    add_member(world.cohort, trainee, "trainee")
    add_member(world.cohort, mentor, "mentor")
    return make_pairing(world.cohort, trainee, mentor, coordinator=world.coordinator)


def test_pairing_names_read_as_on_the_pages(token_for, world):
    # A display name, a family and given name without one, and neither: the pages show each differently.
    named = _pair(world, 1, display_name="王校长")
    family = _pair(world, 2, display_name="", last_name="李", first_name="明")
    bare = _pair(world, 3, display_name="")
    rows = token_for(world.coordinator).get(f"/api/v1/cohorts/{world.cohort.pk}/pairings/").json()["results"]
    by_id = {row["id"]: row for row in rows}
    for pairing in (named, family, bare):
        trainee = User.objects.get(pk=pairing.trainee_id)
        assert by_id[pairing.pk]["trainee_name"] == trainee.get_full_name()
        assert by_id[pairing.pk]["mentor_name"] == User.objects.get(pk=pairing.mentor_id).get_full_name()
    assert [by_id[p.pk]["trainee_name"] for p in (named, family, bare)] == ["王校长", "李明", "t3@example.com"]


def test_cohort_pairings_come_once_each_across_pages(token_for, world):
    mentorship_world(world)
    made = {_pair(world, i).pk for i in range(7)}
    api = token_for(world.coordinator)
    path = f"/api/v1/cohorts/{world.cohort.pk}/pairings/"
    seen, cursor = [], None
    while True:
        page = api.get(path, {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [row["id"] for row in page["results"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen))
    assert made <= set(seen)
    assert api.get(path, {"status": "ended"}).json()["results"] == []


def test_hours_rows_name_the_person_and_region(token_for, world):
    mentorship_world(world)
    rows = token_for(world.coordinator).get(f"/api/v1/cohorts/{world.cohort.pk}/hours/").json()["results"]
    mine = next(row for row in rows if row["user_id"] == world.trainee.pk)
    assert mine["name"] == world.trainee.get_full_name()
    assert mine["email"] == world.trainee.email
    assert mine["region"] == world.region_b.code
    assert mine["membership_id"]
