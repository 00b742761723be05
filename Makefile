# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
# The local demo runs with DEBUG on and the throw-away development key.
DEV := DEBUG=1
PYTEST_WORKERS ?= auto

.PHONY: help install run test e2e browser screenshots backup restore lint format bench bench-instructions clean

help:
	@echo "make run    install, migrate, load the catalog and demo data, serve on http://127.0.0.1:8000"
	@echo "make test   install and run the whole test suite"
	@echo "make e2e    only the browser tests (needs Debian's chromium: make browser)"
	@echo "make lint   ruff check, ruff format --check and mypy"
	@echo "make bench  load test at scale on PostgreSQL (seed_scale, gunicorn, wrk)"
	@echo "make bench-instructions  CPU instructions per request of the same pages (valgrind)"

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(DEV) $(MANAGE) migrate --no-input
	$(DEV) $(MANAGE) load_catalog
	$(DEV) $(MANAGE) seed_demo
	$(DEV) $(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# Browser tests only (Playwright driving Debian's Chromium; `make browser` installs it).
e2e: install
	$(BIN)/pytest -m browser

# Regenerate docs/screenshots/ from the demo data (needs Debian's chromium).
screenshots: install
	$(BIN)/python scripts/screenshots.py

# Backups of the configured database (DATABASE_URL): SQLite file copy or pg_dump.
backup: install
	$(BIN)/python manage.py backup

restore: install
	@test -n "$(FILE)" || (echo "usage: make restore FILE=backups/goodenough-....dump" && exit 2)
	$(BIN)/python manage.py restore "$(FILE)"

# Load test at clinic-network scale on PostgreSQL (127.0.0.1:5432, user postgres): seeds the
# database goodenough_bench, serves it with gunicorn, drives it with wrk; README "Performance".
# BENCH_ARGS="--reuse --keep" skips re-seeding; "--seed-args '--supervisees 50'" is a quick run.
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# CPU instructions per request of the same pages, counted by valgrind: repeatable whatever
# else the machine is doing. Needs the database `make bench BENCH_ARGS=--keep` leaves.
bench-instructions: install
	command -v valgrind >/dev/null || (apt-get update -qq && apt-get install -y -qq valgrind)
	$(BIN)/python scripts/bench_instructions.py $(BENCH_ARGS)

browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
