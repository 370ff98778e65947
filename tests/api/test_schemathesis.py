"""schemathesis against the live schema: every operation, a bounded number of generated requests each.

The schema is loaded from the running application (`/api/v1/schema/` over
WSGI), requests carry a coordinator's read-and-write token, and every
answer must be no server error, have a status code and content type the
schema lists for the operation, and match the schema's body for that code.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create
from tests.factories.mentorship import mentorship_world

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def live_schema(db):
    from config.wsgi import application

    def from_a_client(environ, start_response):
        # schemathesis' WSGI client names no client address; the API's per-IP limit needs one.
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        return application(environ, start_response)

    # As Django's test client does: a request must not close the connection the test's transaction is on.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", from_a_client)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def coordinator_token(world):
    mentorship_world(world)  # pairings, logs and a batch, so that lists have rows to answer with
    return api_token_create(acting_user=world.coordinator, name="schemathesis", scope="write").secret


def test_the_live_schema_is_a_valid_openapi_document(live_schema):
    live_schema.validate()  # raises on a document that breaks the OpenAPI specification


def test_generated_requests_get_answers_the_schema_describes(live_schema, coordinator_token):
    """One Hypothesis run per operation (schemathesis' own pytest plugin does not load under pytest 9)."""
    headers = {"Authorization": f"Bearer {coordinator_token}"}
    operations = [result.ok() for result in live_schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def answers_within_the_schema(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            answers_within_the_schema()
        except Exception as failure:
            raise AssertionError(f"{operation.label}: {failure}") from failure
