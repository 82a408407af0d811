# send-tracker. `make run` starts the product on this machine; `make test` runs the tests;
# `make check` runs the linters and Django's checks. See README.md. Needs GNU make, Python 3.11+
# and Node.js 18+ with npm.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Touched after a successful install; older than a requirements file means "install again".
VENV_STAMP := $(VENV)/.requirements-installed
NODE_STAMP := node_modules/.package-lock.json
PYTEST_ARGS ?=

# A throwaway key, long and varied enough for Django's deploy check, used for that check only.
CHECK_SECRET_KEY := check-deploy-only-NOT-A-REAL-SECRET-7f3c9a1e5b2d8f4a6c0e9b7d5a3f1c8e2b6d4a0f

.PHONY: help venv assets run test test-quick check check-deploy bench clean

help:
	@echo "send-tracker: make TARGET"
	@echo ""
	@echo "  run     set up, migrate, load Oxfordshire's plan and the demo accounts, then start the"
	@echo "          web server (http://127.0.0.1:8000, PORT=... to change), worker and beat; Ctrl-C stops"
	@echo "  test    set up and run the whole test suite, as CI does (PYTEST_ARGS='-k rating -x' passes"
	@echo "          arguments on; TEST_WORKERS=1 runs it in one process)"
	@echo "  test-quick  the tests without the browser, the Celery workers and the slow ones"
	@echo "  check   ruff, ruff format --check, mypy, Django's system, migration and deploy checks"
	@echo "  bench   run the benchmarks in scripts/bench.py, if any"
	@echo "  assets  install the front-end packages (npm ci) and build static/build/"
	@echo "  venv    create $(VENV) and install requirements-dev.txt (again only when it changes)"
	@echo "  clean   remove $(VENV), node_modules, static/build, staticfiles and caches"
	@echo ""
	@echo "PYTHON=$(PYTHON) creates the virtualenv (3.11 or newer)."

# --- Python ----------------------------------------------------------------------------------

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: $(PYTHON) not found. Install Python 3.11 or newer, or run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
	  echo "error: send-tracker needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) -V 2>&1)." >&2; \
	  echo "       Run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(VENV_STAMP)

# --- Front-end -------------------------------------------------------------------------------

define require_npm
	@command -v npm >/dev/null 2>&1 || { \
	  echo "error: npm not found. The GOV.UK front-end is built with npm: install Node.js 18+ with npm." >&2; exit 1; }
endef

# npm ci writes node_modules/.package-lock.json, so this runs when node_modules is missing or the
# lock file (or package.json) is newer than the last install. No package needs its install script.
$(NODE_STAMP): package.json package-lock.json
	$(require_npm)
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

assets: $(NODE_STAMP)
	$(require_npm)
	npm run --silent build

# --- Running, testing, checking --------------------------------------------------------------

# Development settings for this machine, written once and never overwritten: settings.py reads
# .env, so the README's commands (manage.py import_pap, create_api_key ...) run as `make run` does.
# A deployment writes its own .env from .env.example instead.
DEV_ENV_FILE ?= .env
$(DEV_ENV_FILE):
	@$(PYTHON) -c 'import secrets, sys; sys.stdout.write("# Written by make run for development on this machine; not for production (see .env.example).\nDEBUG=true\nSECRET_KEY=" + secrets.token_urlsafe(50) + "\n")' > $@
	@echo "Wrote $@ (DEBUG=true and a new SECRET_KEY) for development."

run: export DEBUG ?= true
run: venv assets $(DEV_ENV_FILE)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_oxfordshire
	$(PY) manage.py demo_accounts
	$(PY) scripts/run.py

# The suite runs in TEST_WORKERS processes (pytest-xdist), each with a test database of its own,
# handed whole files, the slow ones first (tests/conftest.py). Under CI the test databases are made
# afresh; elsewhere they are kept between runs (--reuse-db) and only migrated, which saves the first
# seconds of every run. `make test-quick` leaves out the browser, the Celery worker and the slow
# tests, for the run after each change; `make test` runs everything, as CI does.
TEST_WORKERS ?= 2
TEST_DATABASE := $(if $(filter true TRUE True,$(CI)),--create-db,--reuse-db)
TEST_PARALLEL = $(if $(filter-out 0 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder)

test: venv assets
	$(PY) -m pytest $(TEST_PARALLEL) $(TEST_DATABASE) $(PYTEST_ARGS)

test-quick: venv
	$(PY) -m pytest -m "not browser and not celery and not slow" $(TEST_PARALLEL) $(TEST_DATABASE) $(PYTEST_ARGS)

# The plain checks run with DEBUG on (so no real SECRET_KEY is needed), the deploy check as
# production runs: DEBUG off, a long key, a real host name, a Redis (named, not connected to).
check: export DEBUG ?= true
check: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy

check-deploy: venv
	DEBUG=false SECRET_KEY=$(CHECK_SECRET_KEY) ALLOWED_HOSTS=example.org REDIS_URL=redis://redis:6379/0 \
	  $(PY) manage.py check --deploy --fail-level WARNING

bench: venv
	@if [ -f scripts/bench.py ]; then \
	  echo "$(PY) -m scripts.bench"; $(PY) -m scripts.bench; \
	else \
	  echo "No benchmarks yet (scripts/bench.py does not exist)."; \
	fi

clean:
	rm -rf $(VENV) node_modules static/build staticfiles .pytest_cache .mypy_cache .ruff_cache
