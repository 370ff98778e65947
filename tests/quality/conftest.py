"""The declared world: `world` plus the objects the URL declarations refer to."""

import re

import pytest

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


@pytest.fixture
def declared_world(world, home_page):
    world.home_page = home_page
    prepare_world(world)
    return world


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
