"""Every problem `type` is a relative URI that opens a page explaining it, in the reader's language."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from api.problems import PROBLEM_TYPES, SLUGS, problem_type_uri

from .conftest import problem

pytestmark = pytest.mark.django_db


def _slugs_in_the_code() -> set[str]:
    found = set(SLUGS.values()) | {"error"}
    for source in (Path(settings.BASE_DIR) / "api").glob("*.py"):
        found |= set(re.findall(r'slug="([a-z-]+)"', source.read_text()))
    return found


def test_every_type_the_api_can_emit_has_a_page():
    assert _slugs_in_the_code() <= set(PROBLEM_TYPES)


@pytest.mark.parametrize("slug", sorted(PROBLEM_TYPES))
def test_each_type_page_answers_in_both_languages(slug):
    path = problem_type_uri(slug)
    assert path == f"/api/v1/problems/{slug}/"
    with_english = Client().get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert with_english.status_code == 200
    assert with_english["Content-Type"].startswith("text/html")
    page = with_english.content.decode()
    assert str(PROBLEM_TYPES[slug].title) in page
    assert '<html lang="en">' in page
    chinese = Client().get(path).content.decode()
    assert '<html lang="zh-hans">' in chinese
    assert "问题类型" in chinese


def test_an_unknown_type_is_a_problem_404():
    assert problem(Client().get("/api/v1/problems/no-such-problem/"))["status"] == 404


def test_the_types_in_real_answers_resolve(token_for, world):
    answers = [
        Client().get("/api/v1/cohorts/"),
        token_for(world.trainee).post("/api/v1/notifications/1/read/"),
        token_for(world.coordinator).get("/api/v1/cohorts/", {"cursor": "forged"}),
        token_for(world.coordinator).get("/api/v1/no-such-thing/"),
    ]
    types = [problem(answer)["type"] for answer in answers]
    assert types == [
        "/api/v1/problems/unauthenticated/",
        "/api/v1/problems/read-only-token/",
        "/api/v1/problems/bad-cursor/",
        "/api/v1/problems/not-found/",
    ]
    for uri in types:
        assert Client().get(uri).status_code == 200


def test_the_schema_documents_the_type():
    # tests/api/test_schema.py checks the rest of the document (paths, errors, references).
    schema = Client().get("/api/v1/schema/").json()
    problem_schema = schema["components"]["schemas"]["Problem"]
    assert problem_schema["properties"]["type"]["type"] == "string"
    assert "page describing" in problem_schema["properties"]["type"]["description"]
