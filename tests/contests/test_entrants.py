"""Nominations within a region's quota, student teachers' sign-up, and hand-ins before the deadline."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from contests.models import ContestCoordinator, Entrant, EntrantStatus, RoundEntry, Submission
from contests.services import entrant_nominate, student_sign_up, submission_save
from tests.contests.builders import build_contest
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


def test_regional_admin_nominates_own_region_into_the_first_round():
    world = build_contest()
    teacher = world.teachers["js"][0]
    entrant = entrant_nominate(category=world.category, person=teacher, acting_user=world.regional_admins["js"])
    assert entrant.status == EntrantStatus.NOMINATED
    assert entrant.region.code == "js"
    assert RoundEntry.objects.filter(round=world.preliminary, entrant=entrant).exists()


def test_nomination_over_quota_is_refused_in_the_users_language_and_changes_nothing():
    world = build_contest(quota=2)
    admin = world.regional_admins["zj"]
    for teacher in world.teachers["zj"][:2]:
        entrant_nominate(category=world.category, person=teacher, acting_user=admin)
    for language, words in (("zh-hans", "名额"), ("en", "quota")):
        with translation.override(language), pytest.raises(ValidationError) as error:
            entrant_nominate(category=world.category, person=world.teachers["zj"][2], acting_user=admin)
        assert words in error.value.messages[0]
    assert Entrant.objects.filter(category=world.category, region__code="zj").count() == 2


def test_another_regions_office_cannot_nominate():
    world = build_contest()
    with pytest.raises(PermissionDenied):
        entrant_nominate(
            category=world.category, person=world.teachers["js"][0], acting_user=world.regional_admins["ah"]
        )
    assert not Entrant.objects.exists()


def test_regions_contest_coordinator_nominates_only_their_region():
    world = build_contest()
    local = make_user(email="local@example.com", region=world.regions[1])
    ContestCoordinator.objects.create(contest=world.contest, user=local, region=world.regions[1])
    entrant_nominate(category=world.category, person=world.teachers["js"][0], acting_user=local)
    with pytest.raises(PermissionDenied):
        entrant_nominate(category=world.category, person=world.teachers["sh"][0], acting_user=local)


def test_student_teacher_signs_up_with_university_then_is_nominated():
    world = build_contest()
    student = make_user(email="student@example.com", display_name="师范生", region=world.regions[3])
    entrant = student_sign_up(
        category=world.student_category, acting_user=student, university="安徽师范大学", region=world.regions[3]
    )
    assert entrant.status == EntrantStatus.SIGNED_UP
    assert not RoundEntry.objects.filter(entrant=entrant).exists()
    entrant = entrant_nominate(category=world.student_category, person=student, acting_user=world.regional_admins["ah"])
    assert entrant.status == EntrantStatus.NOMINATED and entrant.university == "安徽师范大学"
    assert RoundEntry.objects.filter(round=world.preliminary, entrant=entrant).exists()


def test_teachers_category_takes_no_sign_ups():
    world = build_contest()
    with pytest.raises(ValidationError):
        student_sign_up(
            category=world.category, acting_user=world.teachers["sh"][0], university="某大学", region=world.regions[0]
        )


def test_submission_before_deadline_then_late_one_refused_and_nothing_changed():
    world = build_contest()
    teacher = world.teachers["sh"][0]
    entrant_nominate(category=world.category, person=teacher, acting_user=world.regional_admins["sh"])
    item = world.items[0]
    submission_save(item=item, acting_user=teacher, file=SimpleUploadedFile("设计.pdf", b"%PDF-1.4 plan"))
    late = world.preliminary.submission_deadline + datetime.timedelta(minutes=1)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        submission_save(item=item, acting_user=teacher, link="https://example.com/late", now=late)
    assert "deadline" in error.value.messages[0]
    submission = Submission.objects.get()
    assert submission.link == "" and submission.file.name.endswith(".pdf")


def test_someone_not_entered_cannot_hand_in():
    world = build_contest()
    with pytest.raises(PermissionDenied):
        submission_save(item=world.items[1], acting_user=world.teachers["sh"][0], link="https://example.com/x")


def test_link_item_needs_a_link():
    world = build_contest()
    teacher = world.teachers["sh"][0]
    entrant_nominate(category=world.category, person=teacher, acting_user=world.regional_admins["sh"])
    with pytest.raises(ValidationError):
        submission_save(item=world.items[1], acting_user=teacher, now=timezone.now())
    assert not Submission.objects.exists()
