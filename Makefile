# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Development defaults: DEBUG on (so no SECRET_KEY is needed), SQLite, eager Celery, local media.
export DEBUG ?= 1

.PHONY: run test setup sysdeps lint format lock bench bench-cases bench-ledger bench-analytics bench-supervision bench-disclosure clean-db

## Set everything up, load the demo data and serve on 127.0.0.1:$(PORT).
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_demo_cases
	$(BIN)/python manage.py seed_demo_supervision
	$(BIN)/python manage.py seed_demo_analytics
	$(BIN)/python manage.py seed_demo_disclosure
	$(BIN)/python manage.py seed_demo_complaints
	$(BIN)/python manage.py seed_demo_exante --annual
	$(BIN)/python manage.py seed_public_records --count 300 --if-empty
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Run the test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

setup: sysdeps $(VENV)/.installed

sysdeps:
	@scripts/install-system-packages.sh

# Reinstall only when the lock file changes, so a second `make run` starts in seconds.
$(VENV)/.installed: requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Recompile requirements.lock from requirements.in (direct dependencies).
lock:
	rm -rf /tmp/lawenforce-lock && $(PYTHON) -m venv /tmp/lawenforce-lock
	/tmp/lawenforce-lock/bin/pip install --quiet --upgrade pip
	/tmp/lawenforce-lock/bin/pip install --quiet -r requirements.in
	/tmp/lawenforce-lock/bin/pip freeze --exclude-editable > requirements.lock

## Benchmarks on generated data (SQLite; DATABASE_URL=postgres://… for PostgreSQL). See docs/benchmarks.md.
bench: setup
	$(BIN)/python benchmarks/core.py $(BENCH_ARGS)

## Case-handling benchmarks on 100,000 generated cases (set DATABASE_URL for PostgreSQL).
bench-cases: setup
	$(BIN)/python benchmarks/cases.py $(BENCH_ARGS)

## Ledger and evidence benchmarks (append rate, verify_ledger ratio, 1 GB upload memory).
bench-ledger: setup
	$(BIN)/python benchmarks/ledger.py $(BENCH_ARGS)

## Analytics: full recompute of the nine indicators for --count cases next to DuckDB over Parquet,
## and the incremental update after 1,000 new events (PostgreSQL: set DATABASE_URL and BENCH_DB).
bench-analytics: setup
	$(BIN)/python benchmarks/analytics.py $(BENCH_ARGS)

## Supervision benchmarks: the rule sweep over 1,000,000 cases and the dashboard (PostgreSQL: DATABASE_URL=postgres://…).
bench-supervision: setup
	$(BIN)/python benchmarks/supervision.py $(BENCH_ARGS)

## Public penalty search under load: gunicorn on 127.0.0.1 + wrk (apt-get install -y wrk); --count records
## (PostgreSQL: DATABASE_URL=postgres://…, database $$BENCH_DB or lawenforce_bench_disclosure).
bench-disclosure: setup
	$(BIN)/python benchmarks/disclosure.py $(BENCH_ARGS)

clean-db:
	rm -f db.sqlite3
