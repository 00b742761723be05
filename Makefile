# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
# The local demo runs with DEBUG on and the throw-away development key.
DEV := DEBUG=1
# One worker per core: the suite is CPU-bound (Chromium draws most of the journeys' time), and
# more workers than cores only make every worker slower. On a 2-core machine the whole suite on
# SQLite took 392 s with -n 2, 448 s with -n 3 and about 500 s with -n 4 (docs/testing.md).
PYTEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
PYTEST_DIST ?= worksteal

.PHONY: help install run test test-fast e2e browser screenshots backup restore lint format bench bench-instructions bench-identifiers check-upgrade clean

help:
	@echo "make run    install, migrate, load the catalog and demo data, serve on http://127.0.0.1:8000"
	@echo "make test   install and run the whole test suite"
	@echo "make test-fast  the suite without the browser journeys"
	@echo "make e2e    only the browser tests (needs Debian's chromium: make browser)"
	@echo "make lint   ruff check, ruff format --check, djhtml --check (templates), mypy"
	@echo "make check-upgrade  a database made at the last release migrates with nothing lost"
	@echo "make bench  load test at scale on PostgreSQL (seed_scale, gunicorn, wrk)"
	@echo "make bench-instructions  CPU instructions per request of the same pages (valgrind)"
	@echo "make bench-identifiers  time to scan a 5,000-character log for identifiers"

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
	$(DEV) $(MANAGE) load_rule_sets
	$(DEV) $(MANAGE) seed_demo
	$(DEV) $(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist $(PYTEST_DIST)

# Everything but the browser journeys: the quick loop while working.
test-fast: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist $(PYTEST_DIST) -m "not browser"

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
# database goodenough_bench, serves it with gunicorn, drives it with wrk; docs/performance.md.
# BENCH_ARGS="--reuse --keep" skips re-seeding; "--seed-args '--supervisees 50'" is a quick run.
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# CPU instructions per request of the same pages, counted by valgrind: repeatable whatever
# else the machine is doing. Needs the database `make bench BENCH_ARGS=--keep` leaves.
bench-instructions: install
	command -v valgrind >/dev/null || (apt-get update -qq && apt-get install -y -qq valgrind)
	$(BIN)/python scripts/bench_instructions.py $(BENCH_ARGS)

# How long the identifier check takes on a 5,000-character log (target: at most 5 ms).
bench-identifiers: install
	$(BIN)/python scripts/bench_identifiers.py $(BENCH_ARGS)

browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

# A database seeded at the last release before the apps were reorganised (b7dd849) migrates
# to this code with every row and every signed log's SHA-256 intact (scripts/upgrade_check.py).
# UPGRADE_ARGS="--database postgres" checks PostgreSQL (127.0.0.1:5432, user postgres).
check-upgrade: install
	$(BIN)/python scripts/upgrade_check.py $(UPGRADE_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
