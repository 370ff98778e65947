"""The overview's body is kept whole (one cache read a look), per viewer's scope and what they asked, and a change
to what it shows, or the clock making a row due, shows on the next look."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import versioned
from accounts.models import Region
from tests.factories.accounts import make_user
from tests.factories.training import workshop
from training.models import CohortMembership, CohortRegion, ProgressRecord, ScheduleItem

pytestmark = pytest.mark.django_db


def look(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def test_a_warm_look_reads_no_progress_row_and_shows_what_the_first_showed(client, world):
    client.force_login(world.coordinator)
    path = f"/en/dashboard/cohorts/{world.cohort.pk}/"
    first, cold = look(client, path)
    again, warm = look(client, path)
    assert any("training_progressrecord" in sql for sql in cold)
    assert not any("training_progressrecord" in sql or 'training_cohortmembership" INNER' in sql for sql in warm)
    assert len(warm) < len(cold)
    assert again.split("<main")[1] == first.split("<main")[1]
    assert "学员甲" in again and "1 trainees shown" in again


def test_each_filter_and_sort_has_its_own_body(client, world):
    late = make_user(display_name="学员丙", region=world.region_b)
    CohortMembership.objects.create(cohort=world.cohort, user=late, role="trainee", status="applied")
    client.force_login(world.coordinator)
    path = f"/en/dashboard/cohorts/{world.cohort.pk}/"
    assert "学员丙" not in look(client, path)[0]  # applicants wait in the applications list
    assert "学员丙" in look(client, path + "?status=applied")[0]
    assert "学员甲" not in look(client, path + "?status=applied")[0]
    assert "学员甲" in look(client, path + "?q=%E7%94%B2")[0]
    assert "学员甲" not in look(client, path + "?q=nobody")[0]
    page, _ = look(client, path)
    assert "学员甲" in page and "学员丙" not in page


def test_a_coordinator_and_a_regional_admin_never_share_a_body(client, world):
    shanghai = make_user(display_name="上海学员", region=world.region_a)
    CohortMembership.objects.create(
        cohort=world.cohort, user=shanghai, role="trainee", status="active", region=world.region_a
    )
    path = f"/en/dashboard/cohorts/{world.cohort.pk}/"
    client.force_login(world.coordinator)
    coordinators = look(client, path)[0]
    assert "上海学员" in coordinators and "Applications" in coordinators
    client.force_login(world.regional_admin)
    admins = look(client, path)[0]
    assert "学员甲" in admins and "上海学员" not in admins and "Applications" not in admins
    client.force_login(world.coordinator)
    assert "上海学员" in look(client, path)[0]


def test_a_region_renamed_or_added_to_the_cohort_shows_at_once(client, world):
    client.force_login(world.coordinator)
    path = f"/en/dashboard/cohorts/{world.cohort.pk}/"
    assert "Anhui" in look(client, path)[0]
    world.region_b.name_en = "Anhui Province"
    world.region_b.save()
    assert "Anhui Province" in look(client, path)[0]
    zhejiang = Region.objects.create(code="zj", name="浙江省", name_en="Zhejiang Test Region", sort_order=3)
    assert "Zhejiang Test Region" not in look(client, path)[0]
    CohortRegion.objects.create(cohort=world.cohort, region=zhejiang, quota=5)
    assert "Zhejiang Test Region" in look(client, path)[0]  # a region to filter by


def test_the_body_lives_no_longer_than_the_first_row_falls_due_and_then_shows_the_flag(client, world, monkeypatch):
    now = timezone.now()
    ends = now + datetime.timedelta(minutes=2)
    workshop(
        world.cohort, world.coordinator, title_en="Workshop", starts_at=now - datetime.timedelta(hours=2), ends_at=ends
    )
    kept_for = []
    keep = versioned.keep
    monkeypatch.setattr(
        versioned,
        "keep",
        lambda slot, stamp, value, timeout: kept_for.append((slot, timeout)) or keep(slot, stamp, value, timeout),
    )
    client.force_login(world.coordinator)
    path = f"/en/dashboard/cohorts/{world.cohort.pk}/"
    page, _ = look(client, path)
    assert "flag-missed_session" not in page
    [seconds] = [timeout for slot, timeout in kept_for if slot.startswith("training:overview-body")]
    assert seconds <= (ends - now).total_seconds() + 1  # gone when the workshop ends

    # The workshop ends unattended: nothing is written, the clock passes the row's `valid_until` and the
    # body's life ends with it (here made to pass at once, which no write would).
    ProgressRecord.objects.filter(cohort=world.cohort).update(valid_until=now)
    ScheduleItem.objects.filter(cohort=world.cohort).update(ends_at=now - datetime.timedelta(minutes=1))
    cache.clear()  # the body's life has ended
    assert "flag-missed_session" in look(client, path)[0]


def test_marking_rows_stale_renews_the_cohorts_token(world):
    from training.overview import cohort_token
    from training.stored_progress import progress_mark_stale

    before = versioned.token(cohort_token(world.cohort.pk))
    progress_mark_stale(cohort_ids=[world.cohort.pk])
    assert versioned.token(cohort_token(world.cohort.pk)) != before


def test_the_kept_body_reads_only_wired_models(world):
    """Everything the kept body shows renews the cohort's token when written (or is listed with why not)."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    from dashboard.views import _overview_context, _overview_filters
    from tests.architecture.test_cache_wiring import _models_read, _unwired
    from tests.factories.mentorship import log_session, make_pairing
    from training.selectors import cohort_overview_refresh
    from training.stored_progress import progress_mark_stale

    log_session(make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator), world.mentor)
    progress_mark_stale(cohort_ids=[world.cohort.pk])  # the look recomputes the stored rows from what they count
    request = RequestFactory().get(f"/en/dashboard/cohorts/{world.cohort.pk}/")
    request.user = world.coordinator
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        cohort_overview_refresh(cohort=world.cohort)
        context = _overview_context(request, world.cohort, _overview_filters(request))
        render_to_string("dashboard/_cohort_overview_body.html", context, request=request)
    models = {model._meta.label for model in _models_read(queries.captured_queries)}
    assert {"training.ProgressRecord", "accounts.Region", "training.CohortRegion"} <= models
    assert _unwired(_models_read(queries.captured_queries)) == []


def test_the_overviews_one_query_lets_in_whom_the_overseers_check_lets_in(world):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from accounts.models import User
    from training.selectors import cohort_get_for_overseer, cohort_get_for_overview

    def outcome(get, person, cohort_id):
        try:
            return get(acting_user=User.objects.get(pk=person.pk), cohort_id=cohort_id).pk
        except (Http404, PermissionDenied) as refused:
            return type(refused).__name__

    people = ["coordinator", "regional_admin", "trainee", "mentor", "other_coordinator", "editor", "staff"]
    cohorts = [world.cohort.pk, world.other_cohort.pk, 10**9, "x"]
    seen = {}
    for name in people:
        for cohort_id in cohorts:
            person = getattr(world, name)
            expected = outcome(cohort_get_for_overseer, person, cohort_id)
            assert outcome(cohort_get_for_overview, person, cohort_id) == expected, (name, cohort_id)
            seen[(name, cohort_id)] = expected
    assert seen[("coordinator", world.cohort.pk)] == world.cohort.pk
    assert seen[("regional_admin", world.cohort.pk)] == world.cohort.pk
    assert seen[("trainee", world.cohort.pk)] == "PermissionDenied"
    assert seen[("trainee", world.other_cohort.pk)] == "Http404"
    assert seen[("staff", world.other_cohort.pk)] == world.other_cohort.pk


def test_the_pages_follow_one_another_in_the_order_asked_for(client, world):
    import re

    from tests.dashboard.test_cohort_overview import add_trainees

    add_trainees(world, 120)
    client.force_login(world.coordinator)
    path = f"/en/dashboard/cohorts/{world.cohort.pk}/?sort=name&dir=desc"

    def names(page):
        return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', look(client, f"{path}&page={page}")[0])

    first, second = names(1), names(2)
    assert len(first) == 100 and len(second) == 21
    assert first + second == sorted(first + second, reverse=True)


def test_junk_in_the_address_and_typed_searches_keep_no_body_of_their_own(client, world):
    """Bodies are kept per filters as understood: junk parameters share the plain body (and its links carry
    none of them), and a typed name is answered afresh, so no one fills the cache by typing."""
    client.force_login(world.coordinator)
    path = f"/en/dashboard/cohorts/{world.cohort.pk}/"
    with mock.patch("versioned.keep", wraps=versioned.keep) as keep:
        look(client, path)
        for n in range(5):
            junk, _ = look(client, path + f"?utm_source=junkmark{n}&page=x{n}")
            assert "junkmark" not in junk.split("<main")[1]
            assert "学员甲" in look(client, path + f"?q=%E7%94%B2&n={n}")[0]
    kept = {call.args[0] for call in keep.call_args_list if call.args[0].startswith("training:overview-body")}
    assert len(kept) == 1
    # The typed search is still right the moment the data changes (nothing of it was kept).
    CohortMembership.objects.filter(cohort=world.cohort, user__display_name="学员甲").update(status="withdrawn")
    assert "学员甲" not in look(client, path + "?q=%E7%94%B2")[0]
