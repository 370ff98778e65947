import pytest

from accounts.permissions import administered_region_ids, is_editor, is_moderator, is_regional_admin
from training import permissions as training_permissions
from training.models import Cohort, CohortMembership

pytestmark = pytest.mark.django_db


def test_cohort_roles_come_from_memberships(world):
    assert training_permissions.is_trainee(world.trainee, world.cohort)
    assert not training_permissions.is_trainee(world.trainee, world.other_cohort)
    assert training_permissions.is_mentor(world.mentor, world.cohort)
    assert training_permissions.is_coordinator(world.coordinator, world.cohort)
    assert not training_permissions.is_coordinator(world.coordinator, world.other_cohort)
    assert not training_permissions.is_coordinator(world.mentor, world.cohort)


def test_a_person_can_hold_different_roles_in_different_cohorts(world):
    from tests.factories.training import add_member

    add_member(world.other_cohort, world.mentor, "trainee")
    assert training_permissions.is_mentor(world.mentor, world.cohort)
    assert training_permissions.is_trainee(world.mentor, world.other_cohort)
    assert not training_permissions.is_mentor(world.mentor, world.other_cohort)


def test_invited_and_withdrawn_memberships_grant_nothing(world):
    membership = CohortMembership.objects.get(user=world.trainee, cohort=world.cohort)
    for status in ("invited", "applied", "withdrawn"):
        membership.status = status
        membership.save()
        fresh = type(world.trainee).objects.get(pk=world.trainee.pk)
        assert not training_permissions.can_view_cohort(fresh, world.cohort)
        assert world.cohort not in Cohort.objects.visible_to(fresh)


def test_staff_manage_every_cohort(world):
    assert training_permissions.can_manage_cohort(world.staff, world.cohort)
    assert training_permissions.can_manage_cohort(world.staff, world.other_cohort)


def test_visible_cohorts_are_only_ones_own(world):
    assert list(Cohort.objects.visible_to(world.trainee)) == [world.cohort]
    assert list(Cohort.objects.visible_to(world.other_coordinator)) == [world.other_cohort]
    assert list(Cohort.objects.visible_to(world.editor)) == []
    assert set(Cohort.objects.coordinated_by(world.coordinator)) == {world.cohort}


def test_regional_admin_sees_cohorts_of_their_region_and_only_their_people(world):
    assert is_regional_admin(world.regional_admin)
    assert is_regional_admin(world.regional_admin, world.region_b)
    assert not is_regional_admin(world.regional_admin, world.region_a)
    assert administered_region_ids(world.regional_admin) == {world.region_b.pk}
    assert training_permissions.can_view_cohort(world.regional_admin, world.cohort)
    assert not training_permissions.can_manage_cohort(world.regional_admin, world.cohort)
    assert training_permissions.can_view_person_in_cohort(world.regional_admin, world.cohort, world.region_b.pk)
    assert not training_permissions.can_view_person_in_cohort(world.regional_admin, world.cohort, world.region_a.pk)


def test_editors_are_a_wagtail_group_not_a_cohort_role(world):
    assert is_editor(world.editor)
    assert not is_moderator(world.editor)
    assert not is_editor(world.coordinator)
    assert is_editor(world.staff)
