import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def staff_with_totp():
    user = make_user(email="staff@example.com", password="a-long-enough-passphrase", is_staff=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def test_a_person_with_totp_must_enter_a_code_to_sign_in(client, staff_with_totp):
    user, secret = staff_with_totp
    response = client.post(LOGIN, {"login": user.email, "password": "a-long-enough-passphrase"})
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session

    wrong = client.post(response["Location"], {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    right = client.post(response["Location"], {"code": current_code(secret)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_staff_without_two_factor_are_sent_to_set_it_up_before_the_admin(client, settings):
    settings.YINGZI_STAFF_REQUIRE_2FA = True
    staff = make_user(email="admin@example.com", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/cms-admin/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate/" in response["Location"]


def test_staff_with_two_factor_reach_the_admin(client, settings, staff_with_totp):
    settings.YINGZI_STAFF_REQUIRE_2FA = True
    user, _ = staff_with_totp
    user.is_superuser = True
    user.save()
    client.force_login(user)
    assert client.get("/cms-admin/").status_code == 200
    assert Authenticator.objects.filter(user=user, type="totp").exists()


def test_people_can_turn_on_totp_from_their_account(client):
    user = make_user(email="teacher@example.com", password="a-long-enough-passphrase")
    client.post(LOGIN, {"login": user.email, "password": "a-long-enough-passphrase"})
    # Changing a security setting asks for the password again first.
    ask = client.get("/en/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in ask["Location"]
    client.post(ask["Location"], {"password": "a-long-enough-passphrase"})
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
