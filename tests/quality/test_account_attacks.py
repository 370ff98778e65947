"""Guessing passwords is rate-limited on every sign-in door; password reset and sign-up do not reveal who has an account."""

import re

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
SIGN_IN_DOORS = ["/cms-admin/login/", "/django-admin/login/", "/_util/login/"]


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_address_even_for_the_right_one(client, world, password):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": world.trainee.email, "password": "not-the-password"})
        assert response.status_code == 200 and not signed_in(client)
    response = client.post("/accounts/login/", {"login": world.trainee.email, "password": password})
    assert not signed_in(client)
    assert response.status_code in (200, 429)
    # Another address from the same place is not locked by this one.
    client.post("/accounts/login/", {"login": world.mentor.email, "password": password})
    assert signed_in(client)


def test_ten_failures_a_minute_from_one_address_lock_out_every_account(client, world, password):
    for index in range(10):
        client.post("/accounts/login/", {"login": f"guess{index}@example.com", "password": "not-the-password"})
    client.post("/accounts/login/", {"login": world.mentor.email, "password": password})
    assert not signed_in(client)


@pytest.mark.parametrize("door", SIGN_IN_DOORS)
def test_the_admin_sign_in_forms_send_everyone_through_the_rate_limited_one(client, world, password, door):
    world.staff.set_password(password)
    world.staff.save()
    response = client.post(door, {"username": world.staff.email, "login": world.staff.email, "password": password})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not signed_in(client)


def test_a_locked_address_cannot_sign_in_to_the_wagtail_admin_either(client, world, password):
    for _ in range(5):
        client.post("/accounts/login/", {"login": world.editor.email, "password": "not-the-password"})
    client.post("/accounts/login/?next=/cms-admin/", {"login": world.editor.email, "password": password})
    assert not signed_in(client)
    assert client.get("/cms-admin/").status_code == 302


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, world):
    answers = []
    for email in [world.trainee.email, "nobody-here@example.com"]:
        response = client.post("/accounts/password/reset/", {"email": email})
        follow = client.get(response["Location"]) if response.status_code == 302 else response
        page = CSRF_VALUE.sub(b"", follow.content)  # the masked token differs on every page
        answers.append((response.status_code, response.get("Location"), follow.status_code, page))
    assert answers[0] == answers[1]
    # Only the real account receives a reset link.
    links = [m for m in mail.outbox if "/accounts/password/reset/key/" in m.body]
    assert [m.to for m in links] == [[world.trainee.email]]


def test_signing_up_with_a_taken_address_looks_like_any_other_sign_up(client, world, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    answers = []
    for email in [world.trainee.email, "brand-new@example.com"]:
        response = client.post(
            "/accounts/signup/",
            {
                "email": email,
                "password1": "a-long-enough-passphrase",
                "password2": "a-long-enough-passphrase",
                "display_name": "新人",
                "preferred_language": "zh-hans",
            },
        )
        answers.append((response.status_code, response.get("Location")))
        client.logout()
    assert answers[0] == answers[1] == (302, "/accounts/confirm-email/")
