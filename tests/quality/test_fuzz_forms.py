"""Random input to every form on a declared page never makes the server fail (no 500, no exception)."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import readable_pages, sign_in_as
from .forms import Form, forms_on, page_text

pytestmark = pytest.mark.django_db

EXAMPLES_PER_FORM = 12
FUZZ_ROLES = ["anonymous", "trainee", "mentor", "coordinator", "staff"]
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "0",
        "-1",
        "99999999999999999999",
        "1e309",
        "NaN",
        "2026-02-30",
        "25:61",
        "' OR 1=1 --",
        "%(x)s {0} {{x}}",
        "../../etc/passwd",
        "😀" * 50,
        "a" * 5000,
        "<script>alert(1)</script>",
        "ｆｕｌｌｗｉｄｔｈ@例子.中国",
        # Control characters (issue 14, item 8): a form error or 400, never a 500.
        "a\x01b",
        "\x1b[31m",
        "\x7f",
        "名字\n第二行",
        "\r\nBcc: x@example.com",
        "²",
        "9" * 5000,
    ]
)
CONTROL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=3)


def values_for(form: Form, name: str):
    options = form.choices.get(name, [])
    any_text = st.text(max_size=200)
    with_control = st.tuples(any_text, CONTROL, any_text).map("".join)
    strategies = [any_text, NASTY, with_control, st.integers(min_value=-(2**63), max_value=2**63).map(str)]
    if options:
        strategies.insert(0, st.sampled_from(options))
    return st.lists(st.one_of(*strategies), min_size=0, max_size=3)


def fuzz(client: Client, form: Form, login) -> None:
    data = st.fixed_dictionaries({name: values_for(form, name) for name in form.fields})

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=data)
    def post_random(data):
        cache.clear()  # rate limits would otherwise answer for the form after a few tries
        login()
        response = client.post(form.action, data)
        assert response.status_code < 500, f"{form.action} answered {response.status_code} to {data!r}"

    post_random()


def test_random_input_to_every_form_never_fails_the_server(declared_world):
    """Each distinct form is fuzzed once, as the first role that can reach it."""
    world = declared_world
    client = Client()
    forms = {}
    for role in FUZZ_ROLES:
        sign_in_as(client, world, role)
        for _name, path in readable_pages(world, role):
            for form in forms_on(path, page_text(client.get(path))):
                forms.setdefault(form.key, (role, form))
    assert {role for role, _ in forms.values()} >= {"anonymous", "trainee"}, "the walk found too little"
    for role, form in forms.values():
        fuzz(client, form, lambda role=role: sign_in_as(client, world, role))


FILTERS = ["q", "region", "status", "page", "year", "code", "day", "cohort", "sort", "dir", "kind", "flagged"]


def test_random_filters_and_paths_on_every_page_never_fail_the_server(declared_world):
    """Query strings and paths with control characters, odd and over-long numbers: 400 or a page, never 500."""
    world = declared_world
    client = Client()
    pages = {}
    for role in ["anonymous", "trainee", "coordinator", "staff"]:
        for _name, path in readable_pages(world, role):
            pages.setdefault(path.split("?")[0], role)
    assert len(pages) > 20, "the walk found too little"
    query = st.dictionaries(
        st.sampled_from(FILTERS), st.one_of(NASTY, st.tuples(NASTY, CONTROL).map("".join)), max_size=3
    )

    def fuzz_page(path, role):
        @settings(
            max_examples=4,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(query=query, control=CONTROL)
        def get_random(query, control):
            cache.clear()
            sign_in_as(client, world, role)
            response = client.get(path, query)
            assert response.status_code < 500, f"{path} answered {response.status_code} to {query!r}"
            if any(ord(character) < 0x20 or character == "\x7f" for value in query.values() for character in value):
                assert response.status_code == 400, f"{path}?{query!r} answered {response.status_code}"
            response = client.get(
                path + quote(control) + "/"
            )  # percent-encoded: urlsplit drops raw tabs and line feeds
            assert response.status_code == 400, f"{path} with {control!r} answered {response.status_code}"

        get_random()

    for path, role in pages.items():
        fuzz_page(path, role)
