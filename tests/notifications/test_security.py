"""Security messages are wired to allauth, mandatory and sent at once."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail

from notifications.models import Notification
from tests.accounts.test_two_factor import current_code
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase"


@pytest.fixture
def signed_in(client):
    user = make_user(email="principal@example.com", password=PASSWORD, preferred_language="en")
    client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    return user


def test_changing_the_password_sends_a_security_email(client, signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": "another-long-passphrase", "password2": "another-long-passphrase"},
        )
    assert response.status_code == 302
    assert Notification.objects.get(recipient=signed_in).kind == "security.password_changed"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[影子 Yingzi] Your password was changed"
    assert "If it was not, change your password" in mail.outbox[0].body
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_turning_two_factor_on_and_off_sends_one_message_each(client, signed_in, django_capture_on_commit_callbacks):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    ask = client.get("/en/accounts/2fa/totp/activate/")
    client.post(ask["Location"], {"password": PASSWORD})
    client.get("/en/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert Authenticator.objects.filter(user=signed_in, type="totp").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    kinds = list(Notification.objects.filter(recipient=signed_in).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["security.two_factor_enabled", "security.two_factor_disabled"]
    assert [message.subject for message in mail.outbox] == [
        "[影子 Yingzi] Two-factor authentication is now on",
        "[影子 Yingzi] Two-factor authentication was turned off",
    ]


def test_adding_an_email_address_tells_the_current_one(client, signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/email/", {"action_add": "", "email": "second@example.com"})
    security = [message for message in mail.outbox if "new e-mail address" in message.subject]
    assert len(security) == 1
    assert security[0].to == ["principal@example.com"]
    assert "second@example.com" in security[0].body
