"""Control characters in an API body or query: a problem document, nothing written."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from mentorship.models import SessionLog
from tests.factories.mentorship import mentorship_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["\x00", "bad\x1bvalue", "\ud800"])
def test_control_characters_in_an_api_body_are_a_problem_document(token_for, world, text):
    world_m = mentorship_world(world)
    api = token_for(world.mentor, scope="write")
    before = SessionLog.objects.count()
    body = {
        "occurred_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "hours": "1.5",
        "kind": "debrief",
        "went_well": f"好{text}",
    }
    response = Client().post(
        f"/api/v1/pairings/{world_m.pairing.pk}/session-logs/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=api.headers["HTTP_AUTHORIZATION"],
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert SessionLog.objects.count() == before


def test_a_control_character_in_an_api_query_is_a_problem_document(client, world):
    client.force_login(world.coordinator)
    response = client.get(f"/api/v1/cohorts/{world.cohort.pk}/memberships/?role=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
