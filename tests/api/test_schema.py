"""The OpenAPI document loads, lists every endpoint, resolves its references; the docs use local files."""

import re

import pytest
from django.test import Client

from tests.quality.test_url_access import named_urls

pytestmark = pytest.mark.django_db


def _schema():
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    return response.json()


def _django_to_openapi(route: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_api_url_is_in_the_schema():
    schema = _schema()
    assert schema["openapi"].startswith("3.")
    api_routes = {
        _django_to_openapi(route)
        for name, route in named_urls()
        if name.startswith("api-v1:") and name not in {"api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root"}
    }
    assert api_routes
    assert api_routes == set(schema["paths"])


def test_every_operation_is_documented_with_its_errors_and_security():
    schema = _schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description") or operation.get("summary"), (method, path)
            assert "200" in operation["responses"] or "201" in operation["responses"], (method, path)
            if path != "/api/v1/certificates/verify/{code}/":
                assert operation.get("security"), (method, path)
                assert "401" in operation["responses"]


def test_every_reference_resolves():
    schema = _schema()
    text = str(schema)
    for ref in set(re.findall(r"'\$ref': '#/components/schemas/([^']+)'", text)):
        assert ref in schema["components"]["schemas"], ref


def test_the_docs_page_uses_local_static_files_only():
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert not re.search(r"(src|href)=\"https?://", page)
    assert "script-src 'self'" in response["Content-Security-Policy"]
