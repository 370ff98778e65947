from tests.training.conftest import _default_language, pairings  # noqa: F401 -- shared with the training tests
