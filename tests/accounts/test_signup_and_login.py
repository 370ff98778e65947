import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import Profile, User
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db

SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"


def signup_data(**overrides):
    data = {
        "email": "new.teacher@example.com",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
        "display_name": "新老师",
        "preferred_language": "en",
    }
    data.update(overrides)
    return data


def test_signup_creates_a_person_with_a_profile_and_sends_a_verification_email(client):
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@example.com")
    assert user.display_name == "新老师"
    assert user.preferred_language == "en"
    assert Profile.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    assert "new.teacher@example.com" in mail.outbox[0].to


def test_closing_signup_in_the_settings_refuses_new_accounts(client, settings):
    settings.YINGZI_SIGNUP_OPEN = False
    client.post(SIGNUP, signup_data())
    assert not User.objects.filter(email="new.teacher@example.com").exists()
    assert len(mail.outbox) == 0


def test_the_verification_link_marks_the_address_verified(client):
    client.post(SIGNUP, signup_data())
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    client.post(path)
    assert EmailAddress.objects.get(email="new.teacher@example.com").verified


def test_mandatory_verification_keeps_an_unverified_person_out(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    make_user(email="unverified@example.com", password="a-long-enough-passphrase")
    EmailAddress.objects.create(
        user=User.objects.get(email="unverified@example.com"),
        email="unverified@example.com",
        verified=False,
        primary=True,
    )
    response = client.post(LOGIN, {"login": "unverified@example.com", "password": "a-long-enough-passphrase"})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "This password is too short"),
        ({"password2": "something-else-entirely"}, "password2", "You must type the same password each time."),
        ({"display_name": ""}, "display_name", "This field is required."),
    ],
)
def test_bad_signup_input_gets_a_clear_message_and_creates_nobody(client, overrides, field, message):
    response = client.post(SIGNUP, signup_data(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert not User.objects.filter(email=signup_data(**overrides)["email"]).exists()


def test_signup_with_an_address_already_used_creates_no_second_account(client):
    make_user(email="taken@example.com")
    response = client.post(SIGNUP, signup_data(email="Taken@Example.com"))
    # allauth prevents enumeration: the answer looks like success, but an
    # e-mail to the owner says so, and no second account exists.
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert response.status_code in (200, 302)


def test_signup_errors_are_translated_into_chinese(client):
    response = client.post("/accounts/signup/", signup_data(email="not-an-email"))
    assert "有效的 Email 地址" in " ".join(response.context["form"].errors["email"])


def test_login_with_email_and_password_lands_on_the_dashboard_in_the_preferred_language(client):
    make_user(email="teacher@example.com", password="a-long-enough-passphrase", preferred_language="en")
    response = client.post(LOGIN, {"login": "TEACHER@example.com", "password": "a-long-enough-passphrase"})
    assert response.status_code == 302
    assert response["Location"] == "/en/dashboard/"


def test_login_is_rate_limited_after_repeated_failures(client):
    make_user(email="target@example.com", password="a-long-enough-passphrase")
    for _ in range(5):
        response = client.post(LOGIN, {"login": "target@example.com", "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"login": "target@example.com", "password": "a-long-enough-passphrase"})
    # Even the right password is refused until the window passes.
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert b"Too many failed login attempts" in response.content or response.status_code == 429


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    make_user(email="known@example.com")
    known = client.post("/en/accounts/password/reset/", {"email": "known@example.com"})
    unknown = client.post("/en/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_wagtail_admin_login_goes_through_allauth(client):
    response = client.get("/cms-admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = client.get("/cms-admin/")
    assert response["Location"].startswith(reverse("account_login"))


def test_django_admin_login_goes_through_allauth(client):
    response = client.get("/django-admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
