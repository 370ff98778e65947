"""No input reaches a 500: control characters, non-numeric and over-long ids, line breaks in names."""

import pytest

from mentorship.models import MatchingBatch
from tests.factories.mentorship import mentorship_world, pending_batch
from training.models import CohortMembership

pytestmark = pytest.mark.django_db

CONTROL = ["\x00", "\x01", "\x08", "\x1b[31m", "\x7f"]


@pytest.mark.parametrize("character", CONTROL)
@pytest.mark.parametrize(
    "path", ["/site/search/?q={}", "/verify/?code={}", "/en/site/search/?q=a{}b", "/en/verify/{}/"]
)
def test_control_characters_in_a_query_or_path_answer_400(client, world, path, character):
    response = client.get(path.format(character))
    assert response.status_code == 400
    # Unprefixed paths answer in the default language (Chinese), /en/ ones in English.
    assert "control characters" in response.content.decode() or "控制字符" in response.content.decode()


def test_the_refusal_is_in_the_readers_language(client, world):
    response = client.get("/site/search/?q=%00", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


def test_filters_on_a_coordinators_list_refuse_control_characters(client, world):
    client.force_login(world.coordinator)
    assert client.get(f"/en/cohorts/{world.cohort.pk}/members/?q=%00").status_code == 400
    assert client.get(f"/en/cohorts/{world.cohort.pk}/members/?q=abc").status_code == 200


@pytest.mark.parametrize("value", ["99999999999999999999", "9" * 5000, "²", "-1", "1e3", "abc"])
def test_over_long_or_odd_numbers_in_filters_answer_400(client, world, value):
    client.force_login(world.coordinator)
    assert client.get(f"/en/cohorts/{world.cohort.pk}/members/", {"region": value}).status_code == 400
    assert client.get(f"/en/cohorts/{world.cohort.pk}/members/", {"region": world.region_a.pk}).status_code == 200


def test_a_nul_byte_in_a_form_field_is_refused_and_nothing_is_written(client, world):
    client.force_login(world.trainee)
    response = client.post(
        "/en/account/profile/", {"display_name": "王\x00芳", "preferred_language": "en", "years_of_experience": ""}
    )
    assert response.status_code == 400
    world.trainee.refresh_from_db()
    assert world.trainee.display_name == "学员甲"


@pytest.mark.parametrize("name", ["王芳\nBcc: victim@example.com", "王\r\n芳", "王\t芳", "王\u2028芳"])
def test_a_line_break_in_a_display_name_is_a_form_error(client, world, name):
    client.force_login(world.trainee)
    response = client.post("/en/account/profile/", {"display_name": name, "preferred_language": "en"})
    assert response.status_code == 200
    assert "Write this on one line, without line breaks or tabs." in response.content.decode()
    world.trainee.refresh_from_db()
    assert world.trainee.display_name == "学员甲"


@pytest.mark.parametrize("value", ["abc", "", "99999999999999999999", "1.5", "²"])
def test_non_numeric_ids_in_the_matching_forms_answer_400(client, world, value):
    client.force_login(world.coordinator)
    response = client.post(f"/en/mentorship/cohorts/{world.cohort.pk}/matching/", {"action": "unpin", "trainee": value})
    assert response.status_code == 400
    assert "The request could not be understood" in response.content.decode()


@pytest.mark.parametrize("field", ["proposal", "second"])
@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "²"])
def test_non_numeric_ids_in_the_batch_review_answer_400(client, world, field, value):
    mentorship_world(world)
    batch = pending_batch(world.cohort, world.coordinator)
    proposal = batch.proposals.first()
    client.force_login(world.coordinator)
    data = {"action": "swap", "proposal": proposal.pk if proposal else 1, "second": 1, field: value}
    response = client.post(f"/en/mentorship/batches/{batch.pk}/", data)
    assert response.status_code == 400
    assert MatchingBatch.objects.get(pk=batch.pk).status == batch.status


def test_ordinary_text_with_line_breaks_and_tabs_still_passes(client, world):
    client.force_login(world.trainee)
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    assert membership
    response = client.get("/en/site/search/", {"q": "教学 研讨"})
    assert response.status_code == 200
