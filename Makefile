# Yingzi: `make run` serves the demo, `make test` runs every check and test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs the suite in this process.
TEST_WORKERS ?= auto

# Production installs requirements/base.txt only (Dockerfile); development, tests and the bench add
# requirements/dev.txt's tools. Both are hashed locks compiled from the .in files by `make requirements`.
REQUIREMENTS := requirements/base.txt requirements/dev.txt
PIP_COMPILE := $(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

.PHONY: run test bench messages install requirements lint format clean

$(VENV)/.installed: $(REQUIREMENTS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q --require-hashes -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

# After editing requirements/base.in or dev.in: recompile both locks (dev keeps base's pins), then commit all four.
# Add --upgrade-package NAME to move one package; the existing pins are kept otherwise.
requirements: install
	$(PIP_COMPILE) -o requirements/base.txt requirements/base.in
	$(PIP_COMPILE) -o requirements/dev.txt requirements/dev.in

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	@if command -v msgfmt >/dev/null; then \
		DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0; \
	else echo "msgfmt not found: the committed .mo files are checked by the test suite instead"; fi
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

# make bench BENCH_ARGS="--scale 500 --record"; see docs/performance.md.
bench: install
	$(PY) manage.py bench $(BENCH_ARGS)

messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --no-location --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=node_modules
	$(PY) scripts/i18n.py fill-en
	$(PY) scripts/i18n.py compile
	@$(PY) scripts/i18n.py missing || echo "Translate the entries above in locale/zh_Hans/LC_MESSAGES/django.po"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
