"""Every state-changing request needs a CSRF token: declared POST URLs and every form on a declared page."""

import pytest
from django.test import Client

from .conftest import readable_pages, sign_in_as
from .forms import forms_on, page_text
from .url_access import MATRIX, ROLES

pytestmark = pytest.mark.django_db

# POST views that are exempt on purpose, with why.
CSRF_EXEMPT = {
    "/notifications/unsubscribe/": "one-click unsubscribe from a mail client (RFC 8058) carries a signed token instead",
}
ALLOWED = {200, 201, 302}


def allowed_role(access) -> str | None:
    """A role that the declaration lets through, so a refusal can only come from CSRF."""
    return next((role for role in ROLES if access.expect.get(role) in ALLOWED), None)


@pytest.mark.parametrize("name", sorted(name for name, access in MATRIX.items() if access.method == "post"))
def test_declared_post_urls_refuse_a_request_without_a_csrf_token(declared_world, name):
    access = MATRIX[name]
    role = allowed_role(access)
    assert role, f"{name}: no role may post, so the CSRF check cannot be told apart from the refusal"
    client = sign_in_as(Client(enforce_csrf_checks=True), declared_world, role)
    response = access.send(client, declared_world)
    assert response.status_code == 403, f"{name} accepted a POST without a CSRF token as {role}"


def test_every_form_on_a_declared_page_refuses_a_post_without_a_csrf_token(declared_world):
    world = declared_world
    accepted = []
    for role in ROLES:
        reader = sign_in_as(Client(), world, role)
        forms = {}
        for _name, path in readable_pages(world, role):
            for form in forms_on(path, page_text(reader.get(path))):
                forms.setdefault(form.key, form)
        attacker = sign_in_as(Client(enforce_csrf_checks=True), world, role)
        for form in forms.values():
            if form.action.startswith(tuple(CSRF_EXEMPT)):
                continue
            response = attacker.post(form.action, form.data())
            if response.status_code != 403:
                accepted.append(f"{role}: {form.action} (from {form.page}): {response.status_code}")
    assert accepted == [], f"Forms posted without a CSRF token and not refused: {accepted}"


def test_the_forms_are_found(declared_world):
    """The walk above is not vacuous: the profile and sign-in forms are among what it finds."""
    client = sign_in_as(Client(), declared_world, "trainee")
    found = {form.action for form in forms_on("/account/profile/", page_text(client.get("/account/profile/")))}
    assert "/account/profile/" in found
    anonymous = Client()
    found = {form.action for form in forms_on("/accounts/login/", anonymous.get("/accounts/login/").content.decode())}
    assert "/accounts/login/" in found
