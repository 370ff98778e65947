"""Script, event-handler and javascript: payloads typed into any free-text field never reach a page unescaped."""

import re

import pytest
from django.core import mail
from django.test import Client

from .conftest import readable_pages, sign_in_as
from .forms import forms_on, page_text
from .url_access import ROLES

pytestmark = pytest.mark.django_db

# Two rounds: every marker in one string for text shown as text, and a bare
# javascript: URL for fields that may end up in a link.
PAYLOADS = [
    "<script>alert(1)</script>\"><img src=x onerror=alert(2)><a href='javascript:alert(3)'>x</a><svg onload=alert(4)>",
    "javascript:alert('x5')",
]
UNESCAPED = re.compile(
    r"<script>alert|<img src=x onerror|<svg onload|(?:href|src|action|formaction)\s*=\s*[\"']?\s*javascript:",
    re.IGNORECASE,
)
WRITERS = ["trainee", "mentor", "coordinator"]


def rendered_everywhere(world) -> list[tuple[str, str]]:
    """(where, content) of every declared page for every role, and every e-mail sent."""
    pages = []
    for role in ROLES:
        client = sign_in_as(Client(), world, role)
        for name, path in readable_pages(world, role):
            response = client.get(path)
            if "html" in response.get("Content-Type", ""):  # files (CSV, PDF, .ics) are not rendered by a browser
                pages.append((f"{name} as {role}", page_text(response)))
    for message in mail.outbox:
        pages.append((f"e-mail {message.subject!r}", message.body))
        pages += [(f"e-mail {message.subject!r} (html)", body) for body, kind in message.alternatives if "html" in kind]
    return pages


def test_payloads_in_every_text_field_are_escaped_wherever_they_appear(declared_world):
    world = declared_world
    targets = []
    for role in WRITERS:
        client = sign_in_as(Client(), world, role)
        for _name, path in readable_pages(world, role):
            targets += [(role, form) for form in forms_on(path, page_text(client.get(path))) if form.text_fields]
    assert targets, "no form with a text field found: the walk is broken"
    for payload in PAYLOADS:
        for role, form in targets:
            client = sign_in_as(Client(), world, role)
            client.post(form.action, form.data(**dict.fromkeys(form.text_fields, payload)))
        found = [where for where, content in rendered_everywhere(world) if UNESCAPED.search(content)]
        assert found == [], f"{payload!r} reached these unescaped: {found}"
    # The payloads were saved somewhere (the profile's name and title at least), so the scan saw them.
    world.trainee.refresh_from_db()
    assert world.trainee.display_name == PAYLOADS[-1]
