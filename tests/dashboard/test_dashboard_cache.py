"""The dashboard is cached per person: every change a person should see shows on their next visit."""

import datetime
import re
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.permissions import EDITOR_GROUP
from accounts.services import profile_update
from dashboard.freshness import person_invalidate
from mentorship import services as mentorship
from mentorship.models import PairingStatus
from tests.factories.accounts import SchoolFactory
from tests.factories.mentorship import log_session, make_host, make_pairing
from tests.factories.training import CohortFactory, add_member, workshop
from training.models import Certificate
from training.services import invitation_create

pytestmark = pytest.mark.django_db


def dashboard(client, person) -> str:
    client.force_login(person)
    response = client.get("/en/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def without_csrf_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def what_is_next(page: str) -> str:
    return page.partition('id="next-title"')[2].partition("</section>")[0]


def test_a_second_visit_is_served_from_the_cache_in_three_queries(client, world):
    make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)
    first = dashboard(client, world.trainee)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/en/dashboard/").content.decode()
    # Person, the person's cohorts, the unread count in the header; the session comes from the cache
    # (SESSION_ENGINE cached_db), no longer from a query.
    assert len(queries) == 3
    assert without_csrf_tokens(again) == without_csrf_tokens(first)
    assert "导师甲" in again


def test_composing_a_dashboard_afresh_costs_the_same_queries_with_1_and_11_cohorts(client, world):
    dashboard(client, world.mentor)
    person_invalidate(world.mentor.pk)
    with CaptureQueriesContext(connection) as few:
        client.get("/en/dashboard/")
    for _ in range(10):
        add_member(CohortFactory(), world.mentor, "mentor")
    dashboard(client, world.mentor)
    person_invalidate(world.mentor.pk)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/en/dashboard/").content.decode()
    assert len(few) == len(many)
    assert len(set(re.findall(r'href="/en/cohorts/(\d+)/"', page))) == 11


def test_a_session_logged_by_the_mentor_waits_on_the_trainees_dashboard(client, world):
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)
    assert "Waiting for my confirmation" not in dashboard(client, world.trainee)
    log_session(pairing, world.mentor, hours="3.5")
    page = dashboard(client, world.trainee)
    assert "Waiting for my confirmation" in page
    assert "3.5 hours" in page


def test_a_disputed_log_shows_on_the_coordinators_dashboard(client, world):
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)
    log = log_session(pairing, world.mentor)
    assert "disputed logs" not in dashboard(client, world.coordinator)
    mentorship.session_log_dispute(acting_user=world.trainee, session_log=log, comment="那天我不在学校")
    assert re.search(
        r'class="badge">1<span class="visually-hidden"> disputed logs', dashboard(client, world.coordinator)
    )


def test_my_approval_stops_being_asked_for_once_i_give_it(client, world):
    make_host(world.mentor)
    pairing = make_pairing(world.cohort, world.trainee, world.mentor, status=PairingStatus.PROPOSED)
    assert "Awaits your approval" in dashboard(client, world.trainee)
    mentorship.pairing_approve(acting_user=world.trainee, pairing=pairing)
    assert "Awaits your approval" not in dashboard(client, world.trainee)
    assert "Awaits your approval" in dashboard(client, world.mentor)


def test_a_new_schedule_item_is_next_on_every_trainees_dashboard(client, world):
    assert "Visit to the host school" not in dashboard(client, world.trainee)
    now = timezone.now()
    workshop(
        world.cohort,
        world.coordinator,
        title_en="Visit to the host school",
        starts_at=now + datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=2, hours=3),
    )
    assert "Visit to the host school" in dashboard(client, world.trainee)
    assert "Visit to the host school" not in dashboard(client, world.other_trainee)


def test_an_invitation_to_another_cohort_appears_at_once(client, world):
    assert "You are invited" not in dashboard(client, world.trainee)
    invitation_create(
        cohort=world.other_cohort,
        acting_user=world.other_coordinator,
        email=world.trainee.email,
        display_name="学员甲",
        role="trainee",
    )
    page = dashboard(client, world.trainee)
    assert "You are invited to join Second cohort" in page


def test_a_certificate_and_its_revocation_show_on_the_holders_dashboard(client, world):
    assert "My certificates" not in dashboard(client, world.trainee)
    membership = world.trainee.memberships.get(cohort=world.cohort)
    certificate = Certificate.objects.create(
        membership=membership,
        holder_name="学员甲",
        programme_title="影子校长",
        cohort_name="第一期",
        cohort_name_en="First cohort",
        starts_on=world.cohort.starts_on,
        ends_on=world.cohort.ends_on,
        hours=Decimal("40"),
    )
    page = dashboard(client, world.trainee)
    assert "My certificates" in page and certificate.code in page and "Revoked" not in page
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at"])
    assert "Revoked" in dashboard(client, world.trainee)


def test_a_new_school_in_my_profile_shows_on_my_dashboard(client, world):
    dashboard(client, world.trainee)
    school = SchoolFactory(region=world.region_a, name="黄浦实验学校", name_en="Huangpu Experimental School")
    profile_update(
        acting_user=world.trainee, data={"display_name": "学员甲", "preferred_language": "en", "school": school}
    )
    assert "Huangpu Experimental School" in dashboard(client, world.trainee)


def test_joining_the_editors_shows_the_publishing_card(client, world):
    assert "Open the page editor" not in dashboard(client, world.trainee)
    Group.objects.get(name=EDITOR_GROUP).user_set.add(world.trainee)
    assert "Open the page editor" in dashboard(client, world.trainee)
    world.trainee.groups.clear()
    assert "Open the page editor" not in dashboard(client, world.trainee)


def test_signing_in_again_keeps_the_cached_dashboard(client, world):
    dashboard(client, world.trainee)
    world.trainee.last_login = timezone.now()
    world.trainee.save(update_fields=["last_login"])
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/dashboard/")
    # As any cached visit: person, cohorts, unread count (the session is read from the cache).
    assert len(queries) == 3


def test_an_item_that_has_ended_leaves_what_is_next_without_any_write(client, world, monkeypatch):
    now = timezone.now()
    workshop(
        world.cohort,
        world.coordinator,
        title_en="Short meeting",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(seconds=90),
    )
    assert "Short meeting" in what_is_next(dashboard(client, world.trainee))
    # Two minutes later, for the clock the pages read and the one the cache's expiry reads.
    later, later_time = now + datetime.timedelta(minutes=2), time.time() + 120
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", lambda: later_time)
    assert "Short meeting" not in what_is_next(dashboard(client, world.trainee))


def test_each_session_gets_its_own_csrf_token_in_the_cached_calendar_form(world):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        page = dashboard(client, world.trainee)
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))
    assert "csrf-token-of-the-visitor" not in page
    response = second.post("/en/calendar/address/", {"action": "regenerate", "csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert "Calendar address" in dashboard(second, world.trainee)
    assert (
        second.post("/en/calendar/address/", {"action": "revoke", "csrfmiddlewaretoken": "x" * 64}).status_code == 403
    )


class CacheReads:
    """Which keys each cache read of a request asks for (the locmem cache of the tests, wrapped)."""

    def __init__(self, monkeypatch):
        from django.core.cache import cache

        self.reads: list[list[str]] = []
        self.inside_get_many = False
        real_get, real_get_many = cache.get, cache.get_many

        def get(key, *args, **kwargs):
            if not self.inside_get_many:  # locmem's get_many gets each key: one read all the same
                self.reads.append([key])
            return real_get(key, *args, **kwargs)

        def get_many(keys, *args, **kwargs):
            self.reads.append(list(keys))
            self.inside_get_many = True
            try:
                return real_get_many(keys, *args, **kwargs)
            finally:
                self.inside_get_many = False

        monkeypatch.setattr(cache, "get", get)
        monkeypatch.setattr(cache, "get_many", get_many)


def test_a_cached_dashboard_reads_its_body_and_tokens_in_one_round_trip(client, world, monkeypatch):
    make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)
    first = dashboard(client, world.trainee)
    reads = CacheReads(monkeypatch)
    again = client.get("/en/dashboard/").content.decode()
    mine = {f"version:dashboard-person:{world.trainee.pk}", f"version:cohort:{world.cohort.pk}"}
    dashboard_reads = [
        keys for keys in reads.reads if mine & set(keys) or any(k.startswith("dashboard:") for k in keys)
    ]
    # The body and the tokens it was kept under, in one read.
    assert len(dashboard_reads) == 1
    assert mine <= set(dashboard_reads[0])
    assert any(key.startswith(f"dashboard:body:{world.trainee.pk}:") for key in dashboard_reads[0])
    assert without_csrf_tokens(again) == without_csrf_tokens(first)


def test_a_body_kept_under_older_tokens_is_not_served_and_is_replaced(client, world):
    dashboard(client, world.trainee)
    profile_update(acting_user=world.trainee, data={"display_name": "新名字", "preferred_language": "en"})
    assert "Welcome, 新名字" in dashboard(client, world.trainee)
    with CaptureQueriesContext(connection) as queries:
        assert "Welcome, 新名字" in client.get("/en/dashboard/").content.decode()
    # As any cached visit: person, cohorts, unread count (the session is read from the cache).
    assert len(queries) == 3
