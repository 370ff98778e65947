"""The declared world: `world` plus the objects the URL declarations refer to."""

import re

import pytest
from django.db import transaction

from tests.conftest import build_world

from .url_access import MATRIX, PUBLIC, ROLES, prepare_world

# Whose names and addresses each role must never see on any declared page.
# The regional admin's view depends on regions and is declared per URL;
# staff see everyone.
COHORT_A = ("trainee", "mentor", "coordinator")
COHORT_B = ("other_trainee", "other_mentor", "other_coordinator")
HIDDEN_FROM = {
    "anonymous": COHORT_A + COHORT_B,
    "trainee": COHORT_B,
    "mentor": COHORT_B,
    "coordinator": COHORT_B,
    "other_coordinator": COHORT_A,
    "editor": COHORT_A + COHORT_B,
}


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The declared world, built once per module in a transaction that is rolled back at its end.

    Each test runs in a savepoint inside it (pytest-django's `db`), so what a test's requests
    write is undone before the next; building the world for each of the matrix's hundred-odd
    tests took most of its time.
    """
    from demo.seeding.cms import seed_home_page

    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world.home_page = seed_home_page()
        prepare_world(world)
        # Paths create what they point at on first use and keep it on the world: create it all
        # now, in the module's transaction, not in the first test's savepoint.
        for path, _ in PUBLIC.values():
            path(world)
        for access in MATRIX.values():
            access.path(world)
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def declared_world(_module_world, db):
    return _module_world


@pytest.fixture
def world(declared_world):
    """In these modules `world` is the declared world too: two worlds cannot share the e-mail addresses."""
    return declared_world


@pytest.fixture
def home_page(declared_world):
    return declared_world.home_page


def sign_in_as(client, world, role: str):
    client.logout()
    if role != "anonymous":
        client.force_login(world.person(role))
    return client


def hidden_patterns(world, role: str) -> list[re.Pattern]:
    """Patterns of the names and e-mail addresses `role` must never see."""
    patterns = []
    for other in HIDDEN_FROM.get(role, ()):
        person = world.person(other)
        patterns.append(re.compile(re.escape(person.display_name)))
        patterns.append(re.compile(r"(?<![\w.+-])" + re.escape(person.email), re.IGNORECASE))
    return patterns


def leaks(world, role: str, content: str) -> list[str]:
    return [pattern.pattern for pattern in hidden_patterns(world, role) if pattern.search(content)]


def readable_pages(world, role: str) -> list[tuple[str, str]]:
    """(name, path) of every declared GET page `role` may open (200)."""
    pages = []
    if role == "anonymous":
        pages += [(name, path(world)) for name, (path, status) in PUBLIC.items() if status == 200]
    for name, access in MATRIX.items():
        if access.method == "get" and access.expect.get(role) == 200:
            pages.append((name, access.path(world)))
    return pages


__all__ = ["ROLES", "declared_world", "leaks", "readable_pages", "sign_in_as"]
