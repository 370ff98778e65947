"""Every URL accounted for, and a role x URL matrix over the declared ones."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .conftest import leaks, sign_in_as
from .forms import page_text
from .url_access import MATRIX, PUBLIC, PUBLIC_WITH_TOKEN, ROLES, THIRD_PARTY


def named_urls(patterns=None, namespace="", prefix=""):
    """(qualified name, route) for every named URL in the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_urls(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, "/" + prefix + str(pattern.pattern)


def is_third_party(route: str) -> bool:
    return route.startswith(tuple(THIRD_PARTY)) or route.startswith(tuple("/^" + p[1:] for p in THIRD_PARTY))


def test_every_named_url_is_declared():
    undeclared = sorted(
        name
        for name, route in named_urls()
        if name not in PUBLIC and name not in MATRIX and name not in PUBLIC_WITH_TOKEN and not is_third_party(route)
    )
    assert undeclared == [], f"Declare these URLs in tests/quality/url_access.py: {undeclared}"


def test_declarations_name_real_urls():
    names = {name for name, _ in named_urls()}
    stale = sorted((set(PUBLIC) | set(MATRIX) | set(PUBLIC_WITH_TOKEN)) - names)
    assert stale == [], f"Declared but not in the URLconf: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_urls_answer_anonymous_visitors(client, world, home_page, name):
    path, status = PUBLIC[name]
    assert client.get(path(world)).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", sorted(THIRD_PARTY))
def test_third_party_groups_refuse_anonymous_visitors(client, world, prefix):
    if prefix == "/documents/":
        # Only private documents are protected; a missing one is 404 for everybody.
        assert client.get("/documents/999999/missing.pdf").status_code == 404
        return
    response = client.get(prefix)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "/login/" in response["Location"]


def test_third_party_admin_groups_refuse_signed_in_non_staff(client, world):
    client.force_login(world.trainee)
    assert client.get("/django-admin/").status_code == 302
    response = client.get("/cms-admin/")
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_matrix(client, declared_world, name):
    """Each role gets the declared status, and no response shows the other cohort's people."""
    world, access = declared_world, MATRIX[name]
    outcome, leaked = {}, {}
    for role in ROLES:
        sign_in_as(client, world, role)
        response = access.send(client, world)
        outcome[role] = response.status_code
        content = response.content.decode(errors="replace") if not response.streaming else ""
        if found := leaks(world, role, content):
            leaked[role] = found
        if access.secret and access.expect.get(role) != 200:
            assert access.secret(world) not in content, f"{role} sees {access.secret(world)!r}"
    assert outcome == access.expect
    assert leaked == {}, f"Names or addresses of the other side in {name}: {leaked}"


# Public pages whose whole point is to show one person's name to whoever holds the link.
SHOWS_A_NAME_ON_PURPOSE = {
    "training:certificate-verify": "a certificate's holder, for the region that checks its code",
    "api-v1:certificate_verify": "the same check for a region's system",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in ROLES if role not in ("regional_admin", "staff")])
def test_public_pages_show_no_cohort_member_to_outsiders(client, declared_world, role):
    world = declared_world
    sign_in_as(client, world, role)
    for name, (path, status) in PUBLIC.items():
        if status != 200 or name in SHOWS_A_NAME_ON_PURPOSE:
            continue
        content = page_text(client.get(path(world)))
        assert leaks(world, role, content) == [], name
