# Matchway. `make run` starts the demo; `make test` runs everything CI checks.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/matchway
HOST ?= 127.0.0.1
PORT ?= 8000
XDIST ?= -n 2

# Instants at which `make test-instants` re-runs the non-browser suite (docs/dev/time.md):
# a Sunday 00:30 in New York, and the hour after the spring change to daylight time.
TEST_INSTANTS ?= 2026-12-06T05:30:00Z 2027-03-14T07:30:00Z

.PHONY: setup run worker migrate seed test test-sqlite test-instants test-pg lint fmt typecheck templates ci bench bench-load clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py migrate --noinput

seed: migrate
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py seed_demo

run: seed
	@echo "Matchway is starting on http://$(HOST):$(PORT)/ (Ctrl-C to stop)."
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: setup
	TASKS_BACKEND=django_tasks_db.DatabaseBackend $(BIN)/python manage.py db_worker

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint matchway/templates --reformat --quiet || true

typecheck: setup
	$(BIN)/mypy matchway config

templates: setup
	$(BIN)/djlint matchway/templates --lint

test-sqlite: setup
	$(BIN)/pytest $(XDIST) -m "not pg_only" -p no:cacheprovider

# The non-browser SQLite suite again at each instant of TEST_INSTANTS (MATCHWAY_TEST_NOW makes
# the root conftest start time-machine there; time ticks on). The browser's own clock cannot
# be moved, so browser journeys run once, in test-sqlite, on real time.
test-instants: setup
	@set -e; for instant in $(TEST_INSTANTS); do \
		echo "--- MATCHWAY_TEST_NOW=$$instant"; \
		MATCHWAY_TEST_NOW=$$instant $(BIN)/pytest $(XDIST) -m "not pg_only and not browser" -p no:cacheprovider -q; \
	done

# The whole non-browser suite again on PostgreSQL (the production database); sqlite_only tests
# are deselected. PG_ARGS narrows it, e.g. `make test-pg XDIST="-n 1" PG_ARGS=matchway/core`.
PG_ARGS ?=
test-pg: setup
	@scripts/test-pg.sh "$(TEST_DATABASE_URL)" $(XDIST) $(PG_ARGS)

# Everything CI checks, in the order that fails fastest.
test: lint typecheck templates test-sqlite test-instants test-pg

ci: test

bench: setup
	$(BIN)/python bench/catalog.py
	$(BIN)/python bench/pages.py

# The mixed load (bench/load.py) on PostgreSQL + Redis behind gunicorn with 2 web processes.
bench-load: setup
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) var staticfiles .mypy_cache .ruff_cache .pytest_cache
