# Muhim: two commands do everything on a fresh machine.
#   make run    install, migrate, load the gazetteer and demo data, create an admin, serve with a worker
#   make test   install what the tests need and run the whole suite
# Every step is safe to repeat: installs are skipped when nothing changed, loaders are idempotent.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(PY) -m pip --disable-pip-version-check -qq
HOST    ?= 127.0.0.1
PORT    ?= 8000
PYTEST_ARGS ?=

export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: help run setup serve test test-postgres lint bench translations clean \
        python-deps test-deps node-deps chromium messages

help:
	@echo "make run    set up everything and serve http://$(HOST):$(PORT) with a task worker"
	@echo "make test   install test dependencies (incl. Debian's chromium) and run the suite"
	@echo "make test-postgres   the suite against DATABASE_URL (default: local PostgreSQL)"
	@echo "make lint   ruff and the migrations check"
	@echo "make bench  run the benchmarks in bench/"

# --- installation -------------------------------------------------------------------------

$(VENV)/bin/python:
	@py=$$(scripts/find-python) && echo "Using $$py" && $$py -m venv $(VENV)
	@$(PIP) install --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(VENV)/bin/python
	@echo "Installing the Python packages (requirements/base.txt)"
	@$(PIP) install -r requirements/base.txt
	@touch $@

$(VENV)/.test-installed: requirements/test.txt requirements/base.txt | $(VENV)/bin/python
	@echo "Installing the Python packages for the tests (requirements/test.txt)"
	@$(PIP) install -r requirements/test.txt
	@touch $@ $(VENV)/.base-installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end packages (Debian: apt-get install npm)"; exit 1; }
	@echo "Installing the front-end packages from the npm registry (package-lock.json)"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

python-deps: $(VENV)/.base-installed
test-deps: $(VENV)/.test-installed
node-deps: node_modules/.installed

# Compiled translations are build output (locale/*/LC_MESSAGES/*.mo is git-ignored).
messages: python-deps
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	else echo "warning: gettext's msgfmt is missing, Urdu translations are not compiled (apt-get install gettext)"; fi

# Browser tests drive Debian's Chromium; Playwright's own browser download does not work here.
chromium:
	@if command -v chromium >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	    || echo "warning: could not install chromium; browser tests will be skipped"; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	    || echo "warning: could not install chromium; browser tests will be skipped"; \
	else echo "warning: chromium is not installed and cannot be installed here; browser tests will be skipped"; fi

# --- running ------------------------------------------------------------------------------

setup: python-deps node-deps messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_gazetteer
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_admin --url http://$(HOST):$(PORT)

run: setup serve

# The web server and the task worker run together; stopping one (Ctrl-C) stops both.
serve:
	@echo "Serving Muhim on http://$(HOST):$(PORT)/ with a task worker (Ctrl-C stops both)"
	@$(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null || true' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# --- checking -----------------------------------------------------------------------------

test: test-deps node-deps chromium messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres: DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
test-postgres: export DATABASE_URL := $(DATABASE_URL)
test-postgres: test

lint: test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

bench: test-deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m bench

clean:
	rm -rf $(VENV) node_modules staticfiles
