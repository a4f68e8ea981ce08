# Footing — `make run` serves the demo, `make dev` develops it, `make test` runs every check CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The production settings that `check --deploy` must pass without warnings.
DEPLOY_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') DJANGO_ALLOWED_HOSTS=footing.example.org

.PHONY: run dev prepare test reliability provision provision-browser install messages messages-update messages-check lint typecheck checks pytest bench clean

# The site as it is served for an event: gunicorn, the Celery worker and beat (scripts/serve.sh).
run: prepare
	@echo "Footing is starting at http://127.0.0.1:8000 (Ctrl-C stops the site, the worker, beat and the inbound mail listener)."
	@bash scripts/serve.sh

# The autoreloading development server, with the worker and beat.
dev: prepare
	@echo "Footing (development server) is starting at http://127.0.0.1:8000."
	$(BIN)/honcho -f Procfile.dev start

prepare: provision install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@mkdir -p var
	$(DEPLOY_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0

test: provision-browser install messages checks pytest

provision:
	@bash scripts/provision.sh

provision-browser:
	@bash scripts/provision.sh --browser

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

messages:
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore '.venv' -v 0; fi

# After changing interface text: bring the new strings into the French, Spanish and Arabic
# catalogues (web/management/commands/makemessages.py), translate every empty or fuzzy entry, then
# `make messages messages-check`.
messages-update: install
	$(BIN)/python manage.py makemessages -l fr -l es -l ar

# Fails while any string of the code is missing from a catalogue, untranslated or fuzzy.
messages-check: install
	$(BIN)/pytest -q -p no:randomly tests/config/test_i18n.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy .

checks: lint typecheck
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

pytest:
	$(BIN)/pytest -q --durations=15

# The reliability suite with its longest member: two nodes on a private primary and streaming
# replica (tests/reliability/test_multinode.py); `make test` runs the version without a replica.
reliability: provision-browser install messages
	$(BIN)/pytest -q -m "reliability or cluster" tests/reliability

bench: provision install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
