# Two commands do everything: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv lint format worker beat demo clean mutate messages messages-compiled

venv: $(VENV)/.installed

# Development installs the runtime requirements and the test tools (requirements-dev.txt
# starts with -r requirements.txt); the production image installs requirements.txt only.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

## make run: install, migrate the embedded SQLite database, load the demo, serve.
run: venv messages-compiled
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "  The portal runs at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole test suite (browser and integration tests included).
test: venv messages-compiled
	$(VENV)/bin/pytest

## make mutate: mutation testing of the rule-holding modules (slow; not part of make test).
mutate: venv
	$(PY) bench/mutate.py --out bench/MUTATION.md

## make messages: regenerate locale/*/LC_MESSAGES/{django,djangojs}.po from the code
## (needs GNU gettext). Stable output: no locations, no obsolete entries, sorted,
## no POT-Creation-Date (accounts/management/commands/makemessages.py). Then translate
## every new message; tests/test_translations.py fails until none is missing.
LOCALES := -l zh_Hans -l fr -l es
messages: venv
	$(PY) manage.py makemessages -d django $(LOCALES)
	$(PY) manage.py makemessages -d djangojs $(LOCALES)

## make messages-compiled: .po -> .mo in pure Python (polib; no gettext needed).
## The .mo files are build products (gitignored); only stale ones are rewritten.
messages-compiled: venv
	$(PY) manage.py compile_catalogues

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

worker: venv
	$(VENV)/bin/celery -A awardportal worker --loglevel=INFO

beat: venv
	$(VENV)/bin/celery -A awardportal beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
	find locale -name '*.mo' -delete
