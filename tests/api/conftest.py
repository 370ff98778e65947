"""Calling the API as a partner system does: with a personal token."""

import pytest
from django.test import Client

from api.services import api_token_create


class TokenClient:
    """A test client that sends `Authorization: Bearer` and JSON bodies."""

    def __init__(self, secret: str, **headers):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}", **headers}

    def get(self, path, data=None, **extra):
        return self.client.get(path, data or {}, **self.headers, **extra)

    def post(self, path, data=None, **extra):
        return self.client.post(path, data or {}, content_type="application/json", **self.headers, **extra)

    def patch(self, path, data=None, **extra):
        return self.client.patch(path, data or {}, content_type="application/json", **self.headers, **extra)

    def delete(self, path, **extra):
        return self.client.delete(path, **self.headers, **extra)


@pytest.fixture
def token_for(db):
    """token_for(user, scope="read") -> a client acting with a new token of that user."""

    def _make(user, scope="read", **headers):
        issued = api_token_create(acting_user=user, name="测试系统", scope=scope)
        client = TokenClient(issued.secret, **headers)
        client.token, client.secret = issued.token, issued.secret
        return client

    return _make


def problem(response) -> dict:
    """The problem document of an error answer, checked for its shape."""
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == response.status_code
    return body
