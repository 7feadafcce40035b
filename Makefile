# Two commands do everything: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv lint format worker beat demo clean mutate bench messages messages-compiled

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

## make bench: load benchmark of the pages (gunicorn, production settings, Postgres; wrk
## for saturation, Locust for the vote rush) at 2,000 and 20,000 initiatives; writes
## bench/RESULTS.md. Needs DATABASE_URL naming a Postgres server (the bench makes and keeps
## its own databases bench_2000 and bench_20000 there) and wrk. BENCH_ARGS="--sizes 2000
## --seconds 10" shortens it; BENCH_REDIS_URL gives Celery a broker. See bench/README.md.
bench: venv messages-compiled
	@case "$$DATABASE_URL" in postgres*) ;; *) \
	  echo "make bench needs a Postgres server, e.g."; \
	  echo "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench"; exit 2;; esac
	@command -v wrk >/dev/null || { \
	  echo "wrk is missing: sudo apt-get update && sudo apt-get install -y wrk (Debian/Ubuntu)"; \
	  echo "or brew install wrk (macOS)"; exit 2; }
	$(PY) bench/bench_web.py $(BENCH_ARGS)

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
