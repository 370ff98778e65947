"""Shared fixtures: people in every role, two cohorts, and the real services.

When CI=true a skipped test fails the run: in CI every service is there, so
a skip means something is broken, not absent.
"""

import os
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from accounts.models import RegionalAdministrator
from accounts.permissions import EDITOR_GROUP, MODERATOR_GROUP
from tests.factories.accounts import PASSWORD, RegionFactory, SchoolFactory, make_user
from tests.factories.training import CohortFactory, add_member

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if IN_CI and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI=true: {skipped} skipped test(s) count as failures.", red=True)
        session.exitstatus = 1


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(fixtures)
    )


def pytest_collection_modifyitems(config, items):
    """Among transactional tests, run those that restore the migrations' data (serialized_rollback) first.

    A plain transactional test ends with a flush that re-creates content types
    and permissions under new ids; a serialized restore after it collides with
    them (duplicate key on django_content_type). pytest-django has already put
    plain database tests first and tests without a database last; this keeps
    that order and only moves the restoring tests ahead of the other
    transactional ones.
    """

    def rank(item) -> int:
        marker = item.get_closest_marker("django_db")
        if not _is_transactional(item):
            return 0 if marker or "db" in getattr(item, "fixturenames", []) else 3
        return 1 if marker and marker.kwargs.get("serialized_rollback") else 2

    items.sort(key=rank)


@pytest.fixture(autouse=True)
def _fresh_content_types(request):
    """A flush between transactional tests gives content types new ids: forget the cached ones.

    Not for tests that restore the serialized data: it brings the old ids back, and an empty
    cache would make signal handlers create content types in the middle of the restore.
    """
    marker = request.node.get_closest_marker("django_db")
    restores = bool(marker and marker.kwargs.get("serialized_rollback"))
    transactional = _is_transactional(request.node) and not restores
    if transactional:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
    yield
    if transactional:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


def needs_service(variable: str, why: str) -> str:
    value = os.environ.get(variable)
    if not value:
        message = f"needs {variable} ({why}); set it to run this test"
        if IN_CI:
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    return value


@pytest.fixture
def redis_url():
    return needs_service("REDIS_URL", "a real Redis broker")


@pytest.fixture
def postgres(settings):
    needs_service("DATABASE_URL", "PostgreSQL for real concurrency")
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail(f"DATABASE_URL is set but the database is {connection.vendor}")
    return connection


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language, whatever the test before it activated.

    A language left active in the thread changes what `reverse()` returns under i18n_patterns (an
    /en/ address), so a test that ran after one that forgot to deactivate English read English pages;
    with the suite spread over several processes, which test runs after which is not fixed.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def password():
    return PASSWORD


@dataclass
class World:
    """Two cohorts with a coordinator, mentor and trainee each, plus the other roles."""

    region_a: object
    region_b: object
    cohort: object
    other_cohort: object
    trainee: object
    mentor: object
    coordinator: object
    other_trainee: object
    other_mentor: object
    other_coordinator: object
    regional_admin: object
    editor: object
    staff: object

    def person(self, role: str):
        return getattr(self, role)


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    region_a = RegionFactory(code="sh", name="上海市", name_en="Shanghai")
    region_b = RegionFactory(code="ah", name="安徽省", name_en="Anhui")
    school_a = SchoolFactory(region=region_a)
    school_b = SchoolFactory(region=region_b)
    cohort = CohortFactory(name="第一期", name_en="First cohort")
    other_cohort = CohortFactory(name="第二期", name_en="Second cohort")
    people = {
        "trainee": make_user(email="trainee@example.com", display_name="学员甲", region=region_b, school=school_b),
        "mentor": make_user(email="mentor@example.com", display_name="导师甲", region=region_a, school=school_a),
        "coordinator": make_user(email="coordinator@example.com", display_name="协调员甲", region=region_a),
        "other_trainee": make_user(email="other-trainee@example.com", display_name="学员乙", region=region_a),
        "other_mentor": make_user(email="other-mentor@example.com", display_name="导师乙", region=region_b),
        "other_coordinator": make_user(email="other-coordinator@example.com", display_name="协调员乙", region=region_b),
        "regional_admin": make_user(email="region-admin@example.com", display_name="区域管理员", region=region_b),
        "editor": make_user(email="editor@example.com", display_name="编辑"),
        "staff": make_user(email="staff@example.com", display_name="平台管理员", is_staff=True, is_superuser=True),
    }
    add_member(cohort, people["trainee"], "trainee")
    add_member(cohort, people["mentor"], "mentor")
    add_member(cohort, people["coordinator"], "coordinator")
    add_member(other_cohort, people["other_trainee"], "trainee")
    add_member(other_cohort, people["other_mentor"], "mentor")
    add_member(other_cohort, people["other_coordinator"], "coordinator")
    RegionalAdministrator.objects.create(user=people["regional_admin"], region=region_b)
    people["editor"].groups.add(Group.objects.get_or_create(name=EDITOR_GROUP)[0])
    Group.objects.get_or_create(name=MODERATOR_GROUP)
    return World(region_a=region_a, region_b=region_b, cohort=cohort, other_cohort=other_cohort, **people)


@pytest.fixture
def login(client):
    """Sign a person in on the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def home_page(db):
    from demo.seeding.cms import seed_home_page

    return seed_home_page()
