import pytest

from tests.factories import cms as pages


@pytest.fixture
def events(home_page):
    return pages.event_index(home_page)


@pytest.fixture
def event(events):
    return pages.event_page(events, capacity=2)
