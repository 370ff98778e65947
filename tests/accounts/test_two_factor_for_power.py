"""Everyone with power over other people's data needs two factors (issue 14, item 2)."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from accounts.permissions import JOINT_OFFICE_GROUP, MODERATOR_GROUP
from accounts.two_factor import powers_held
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db

SETUP = "/en/account/two-factor/"


@pytest.fixture
def enforced(settings):
    settings.YINGZI_REQUIRE_2FA = True
    settings.YINGZI_2FA_GRACE_DAYS = 7
    return settings


def overdue(user):
    user.two_factor_required_since = timezone.now() - datetime.timedelta(days=8)
    user.save(update_fields=["two_factor_required_since"])


@pytest.mark.parametrize("role", ["staff", "editor", "coordinator", "regional_admin"])
def test_a_person_with_power_and_no_second_factor_is_sent_to_set_it_up_after_the_grace_period(
    enforced, world, login, role
):
    person = world.person(role)
    overdue(person)
    response = login(person).get("/en/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == SETUP
    page = login(person).get(SETUP)
    assert page.status_code == 200
    text = page.content.decode()
    assert "a password alone is not enough" in text
    assert "/accounts/2fa/totp/activate/" in text


def test_moderators_and_the_joint_office_need_it_too(enforced, db):
    moderator = make_user(email="mod@example.com")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATOR_GROUP)[0])
    office = make_user(email="office@example.com")
    office.groups.add(Group.objects.get_or_create(name=JOINT_OFFICE_GROUP)[0])
    with translation.override("en"):
        assert [str(label) for label in powers_held(moderator)] == ["Moderator"]
        assert "Joint office" in [str(label) for label in powers_held(office)]
    # In the site's default language the setup page names the role in Chinese.
    assert [str(label) for label in powers_held(moderator)] == ["审核员"]


def test_the_setup_page_says_which_role_needs_it(enforced, world, login):
    overdue(world.coordinator)
    text = login(world.coordinator).get(SETUP).content.decode()
    assert "Coordinator" in text
    assert "your API tokens are closed to you" in text


def test_trainees_and_mentors_are_not_asked(enforced, world, login):
    for person in (world.trainee, world.mentor):
        assert login(person).get("/en/dashboard/").status_code == 200
        person.refresh_from_db()
        assert person.two_factor_required_since is None


def test_within_the_grace_period_they_keep_working_and_are_reminded_once(enforced, world, login):
    client = login(world.coordinator)
    first = client.get("/en/dashboard/")
    assert first.status_code == 200
    assert "needs two-factor authentication" in first.content.decode()
    world.coordinator.refresh_from_db()
    started = world.coordinator.two_factor_required_since
    assert started is not None
    # The grace period is counted from the first time, not from each request.
    second = client.get("/en/dashboard/")
    assert second.status_code == 200
    assert "needs two-factor authentication" not in second.content.decode()
    world.coordinator.refresh_from_db()
    assert world.coordinator.two_factor_required_since == started


def test_the_grace_period_is_a_setting(enforced, world, login):
    enforced.YINGZI_2FA_GRACE_DAYS = 0
    assert login(world.editor).get("/en/dashboard/")["Location"] == SETUP


def test_with_a_second_factor_they_work_as_before(enforced, world, login):
    overdue(world.coordinator)
    TOTP.activate(world.coordinator, generate_totp_secret())
    assert login(world.coordinator).get("/en/dashboard/").status_code == 200


def test_sign_out_and_the_set_up_pages_stay_open(enforced, world, login):
    overdue(world.staff)
    client = login(world.staff)
    assert client.get("/en/accounts/2fa/").status_code == 200
    assert client.get(SETUP).status_code == 200
    assert client.post("/en/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_off_unless_set_in_the_demo_and_local_settings(settings, world, login):
    settings.YINGZI_REQUIRE_2FA = False
    overdue(world.staff)
    assert login(world.staff).get("/en/dashboard/").status_code == 200


def test_production_turns_it_on():
    from pathlib import Path

    source = Path("config/settings/production.py").read_text()
    assert 'YINGZI_REQUIRE_2FA = env_bool("YINGZI_REQUIRE_2FA", True)' in source


def test_the_api_with_a_session_is_refused_too(enforced, world, login):
    overdue(world.coordinator)
    response = login(world.coordinator).get("/api/v1/cohorts/")
    assert response.status_code == 403
    assert response.json()["type"].endswith("/two-factor-required/")
