from tests.credits.conftest import studio_source  # noqa: F401  (studio activities described by the tests)
from tests.training.conftest import _default_language, pairings  # noqa: F401
