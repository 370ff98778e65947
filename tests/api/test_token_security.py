"""API tokens and account security (issue 14, item 2): who may make one, what undoes them, whose budget counts."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from api.models import ApiToken
from notifications.models import Notification
from tests.factories.accounts import PASSWORD

from .conftest import TokenClient, problem

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def test_creating_a_token_asks_for_the_password_again(login, world):
    client = login(world.coordinator)
    refused = client.post("/en/account/tokens/", {"name": "安徽学分银行", "scope": "write"})
    assert refused.status_code == 200
    assert "neither your password nor a current code" not in refused.content.decode()  # empty: "required"
    wrong = client.post("/en/account/tokens/", {"name": "安徽学分银行", "scope": "write", "confirm": "guess"})
    assert "neither your password nor a current code" in wrong.content.decode()
    assert not ApiToken.objects.filter(user=world.coordinator).exists()
    right = client.post("/en/account/tokens/", {"name": "安徽学分银行", "scope": "write", "confirm": PASSWORD})
    assert 'data-testid="new-token"' in right.content.decode()
    assert ApiToken.objects.filter(user=world.coordinator).count() == 1


def test_a_current_two_factor_code_confirms_too(login, world):
    secret = generate_totp_secret()
    TOTP.activate(world.coordinator, secret)
    client = login(world.coordinator)
    response = client.post(
        "/en/account/tokens/", {"name": "苏州系统", "scope": "read", "confirm": current_code(secret)}
    )
    assert 'data-testid="new-token"' in response.content.decode()


def test_a_new_token_sends_a_security_notice(login, world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(world.coordinator).post(
            "/en/account/tokens/", {"name": "安徽学分银行", "scope": "read", "confirm": PASSWORD}
        )
    notice = Notification.objects.get(recipient=world.coordinator, kind="security.api_token_created")
    assert notice.context["name"] == "安徽学分银行"
    sent = [message for message in mail.outbox if world.coordinator.email in message.to]
    assert sent, "the security notice is e-mailed at once"
    assert "安徽学分银行" in sent[-1].body


def test_changing_the_password_revokes_every_token(login, token_for, world):
    api = token_for(world.coordinator, scope="write")
    assert api.get("/api/v1/cohorts/").status_code == 200
    client = login(world.coordinator)
    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "a-brand-new-passphrase-42", "password2": "a-brand-new-passphrase-42"},
    )
    assert response.status_code == 302
    refused = api.get("/api/v1/cohorts/")
    assert refused.status_code == 401
    assert problem(refused)["type"].endswith("/bad-token/")
    assert not ApiToken.objects.filter(user=world.coordinator, revoked_at__isnull=True).exists()


@override_settings(YINGZI_API_RATE_TOKEN=(3, 60), YINGZI_API_RATE_IP=(1000, 60))
def test_made_up_secrets_with_a_tokens_prefix_do_not_spend_its_budget(token_for, world):
    api = token_for(world.coordinator)
    # The prefix is public (shown on the token page, in logs); the rest is guessed.
    forged = TokenClient(f"yz_{api.token.prefix}_guessed-secret-that-is-wrong")
    assert {forged.get("/api/v1/cohorts/").status_code for _ in range(5)} == {401}
    assert api.get("/api/v1/cohorts/").status_code == 200


@override_settings(YINGZI_REQUIRE_2FA=True, YINGZI_2FA_GRACE_DAYS=7)
def test_a_token_of_a_person_with_power_and_no_second_factor_stops_after_the_grace_period(token_for, world):
    api = token_for(world.coordinator)
    assert api.get("/api/v1/cohorts/").status_code == 200  # within the grace period
    world.coordinator.refresh_from_db()
    world.coordinator.two_factor_required_since = timezone.now() - datetime.timedelta(days=8)
    world.coordinator.save(update_fields=["two_factor_required_since"])
    refused = api.get("/api/v1/cohorts/")
    assert refused.status_code == 403
    assert problem(refused)["type"].endswith("/two-factor-required/")
    TOTP.activate(world.coordinator, generate_totp_secret())
    assert api.get("/api/v1/cohorts/").status_code == 200
    # A trainee's token is never asked.
    assert token_for(world.trainee).get("/api/v1/cohorts/").status_code == 200
