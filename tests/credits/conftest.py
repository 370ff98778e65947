import pytest

from credits import sources
from tests.factories.credits import describe_test_studio


@pytest.fixture(autouse=True)
def studio_source():
    """Studio activities described by the tests (the studios app registers its own when it lands)."""
    before = sources.describer_for("studio")
    sources.register_source("studio", describe_test_studio)
    yield
    if before is None:
        sources.unregister_source("studio")
    else:
        sources.register_source("studio", before)


from tests.training.conftest import _default_language, pairings  # noqa: E402,F401  (shared fixtures)
