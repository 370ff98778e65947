"""Personal API tokens: shown once, stored hashed, scoped, revocable, never more than their owner."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create

from .conftest import problem

pytestmark = pytest.mark.django_db


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(login, world):
    client = login(world.coordinator)
    response = client.post(
        "/account/tokens/", {"name": "安徽学分银行", "scope": "read", "confirm": "correct-horse-battery-staple"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.coordinator)
    page = response.content.decode()
    secret = page.split('data-testid="new-token">')[1].split("<")[0]
    assert secret.startswith("yz_")
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.digest, token.prefix, token.name}
    # Shown once: the list shows the prefix, never the secret again.
    again = client.get("/account/tokens/").content.decode()
    assert secret not in again
    assert f"yz_{token.prefix}" in again
    assert "安徽学分银行" in again


def test_a_token_reads_as_its_owner(token_for, world):
    api = token_for(world.coordinator)
    response = api.get("/api/v1/cohorts/")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [world.cohort.pk]


def test_a_token_never_sees_more_than_its_owner(token_for, world):
    api = token_for(world.coordinator, scope="write")
    assert api.get(f"/api/v1/cohorts/{world.other_cohort.pk}/").status_code == 404
    assert api.get(f"/api/v1/cohorts/{world.other_cohort.pk}/memberships/").status_code == 404


def test_last_use_is_recorded(token_for, world):
    api = token_for(world.trainee)
    assert api.token.last_used_at is None
    api.get("/api/v1/cohorts/")
    api.token.refresh_from_db()
    assert api.token.last_used_at is not None


def test_a_revoked_token_is_refused(login, token_for, world):
    api = token_for(world.trainee)
    assert api.get("/api/v1/cohorts/").status_code == 200
    response = login(world.trainee).post(f"/account/tokens/{api.token.pk}/revoke/")
    assert response.status_code == 302
    refused = api.get("/api/v1/cohorts/")
    assert refused.status_code == 401
    assert problem(refused)["type"].endswith("/bad-token/")


def test_an_expired_token_is_refused(token_for, world):
    api = token_for(world.trainee)
    ApiToken.objects.filter(pk=api.token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api.get("/api/v1/cohorts/").status_code == 401


def test_a_made_up_token_is_refused(world):
    response = Client().get("/api/v1/cohorts/", HTTP_AUTHORIZATION="Bearer yz_00000000_nothing")
    assert problem(response)["status"] == 401


def test_a_token_of_a_deactivated_person_is_refused(token_for, world):
    api = token_for(world.trainee)
    world.trainee.is_active = False
    world.trainee.save()
    assert api.get("/api/v1/cohorts/").status_code == 401


def test_nobody_revokes_someone_elses_token(login, world):
    token = api_token_create(acting_user=world.trainee, name="x").token
    assert login(world.coordinator).post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    "method,path,data",
    [
        ("post", "/api/v1/notifications/{notification}/read/", None),
        ("post", "/api/v1/session-logs/{log}/confirm/", None),
        ("patch", "/api/v1/session-logs/{log}/", {"hours": "0.5"}),
        (
            "post",
            "/api/v1/cohorts/{cohort}/memberships/",
            {"rows": [{"name": "甲", "email": "a@example.com", "role": "trainee", "region": "sh"}]},
        ),
        ("patch", "/api/v1/memberships/{membership}/", {"status": "withdrawn"}),
        ("post", "/api/v1/memberships/{membership}/withdraw/", None),
    ],
)
def test_a_read_only_token_may_not_write(token_for, world, method, path, data):
    from notifications.models import Notification
    from notifications.services import notification_send
    from tests.factories.mentorship import mentorship_world
    from training.models import CohortMembership

    notification = notification_send(recipient=world.trainee, kind="announcement", context={"title": "t"})
    log = mentorship_world(world).log
    before = CohortMembership.objects.count()
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    for person in (world.trainee, world.mentor, world.coordinator):
        api = token_for(person, scope="read")
        url = path.format(notification=notification.pk, log=log.pk, cohort=world.cohort.pk, membership=membership.pk)
        response = getattr(api, method)(url, data)
        assert response.status_code == 403
        assert problem(response)["type"].endswith("/read-only-token/")
    notification.refresh_from_db()
    log.refresh_from_db()
    assert notification.read_at is None
    assert (log.status, log.hours) == ("awaiting", Decimal("2.0"))
    assert CohortMembership.objects.count() == before
    assert CohortMembership.objects.get(pk=membership.pk).status == "active"
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_the_session_needs_the_csrf_token_to_write(world):
    from notifications.services import notification_send

    notification = notification_send(recipient=world.trainee, kind="announcement", context={"title": "t"})
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.trainee)
    response = client.post(f"/api/v1/notifications/{notification.pk}/read/")
    assert response.status_code == 403
    assert problem(response)["type"].endswith("/csrf/")
    # Reading needs no CSRF token.
    assert client.get("/api/v1/notifications/").status_code == 200
