# The commands a newcomer needs. `make run` and `make test` do everything on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.local/bin:$(PATH)
UV ?= uv
PY_SRC := libs gateway services scripts bench tests-e2e
STRICT := libs/shared/src/clinic_shared gateway/src/clinic_gateway services/identity/src/clinic_identity \
	services/patients/src/clinic_patients services/scheduling/src/clinic_scheduling \
	services/billing/src/clinic_billing services/records/src/clinic_records
PYTEST_SUITES := libs/shared/tests $(wildcard services/*/tests) gateway/tests tests-e2e

.PHONY: help install frontend api-types run run-mariadb migrate seed test test-py test-faults test-frontend test-browser lint fmt bench clean

help:  ## List the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: frontend/dist/index.html  ## Install what is missing or stale: uv, Python packages, the SPA
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --user --quiet uv \
		|| python3 -m pip install --user --quiet --break-system-packages uv
	@$(UV) sync --frozen --quiet

# npm ci again only when the lock changed; the SPA is rebuilt when any of its sources (or the
# translations it imports) is newer than the build, so a `git pull` never serves a stale app.
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	npm --prefix frontend ci --no-audit --no-fund
	@touch $@

SPA_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/vite.config.ts frontend/tsconfig*.json) \
	$(wildcard translations/*.json)

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(SPA_SOURCES)
	npm --prefix frontend run build
	@touch $@

frontend: install  ## Rebuild the SPA into frontend/dist (the gateway serves it)
	npm --prefix frontend run build

# The merged OpenAPI document is built in-process (no server runs); gateway/tests/unit/test_api_types.py
# fails when the committed types differ from what this writes.
api-types: frontend/node_modules/.package-lock.json  ## Regenerate frontend/src/api/schema.d.ts from the services' OpenAPI
	@document=$$(mktemp --suffix=.json) && trap 'rm -f "$$document"' EXIT && \
	$(UV) run --frozen python scripts/openapi_document.py -o "$$document" && \
	frontend/node_modules/.bin/openapi-typescript "$$document" -o frontend/src/api/schema.d.ts

run: install  ## Start the demo clinic on the embedded default (SQLite + embedded Redis)
	@env -u DATABASE_URL -u REDIS_URL $(UV) run --frozen python scripts/stack.py run

run-mariadb: install  ## Start it on MariaDB and Redis at 127.0.0.1 (override DATABASE_URL/REDIS_URL)
	@DATABASE_URL=$${DATABASE_URL:-mysql+pymysql://root@127.0.0.1:3306} \
	 REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	 $(UV) run --frozen python scripts/stack.py run

migrate: install  ## Create and migrate every service's database (DATABASE_URL or embedded)
	@$(UV) run --frozen python scripts/stack.py migrate

seed: install  ## Migrate and seed the demo clinic
	@$(UV) run --frozen python scripts/stack.py seed

lint: install  ## ruff (lint + format check) and mypy (strict on shared, gateway, identity)
	$(UV) run --frozen ruff check $(PY_SRC)
	$(UV) run --frozen ruff format --check $(PY_SRC)
	$(UV) run --frozen mypy --strict $(STRICT)

fmt: install  ## Format and auto-fix
	$(UV) run --frozen ruff format $(PY_SRC)
	$(UV) run --frozen ruff check --fix $(PY_SRC)

test: lint test-py test-frontend test-browser  ## Lint, type-check, every suite (Python, SPA, browser)

test-py: install
	$(UV) run --frozen pytest $(PYTEST_SUITES) -q -p no:cacheprovider

# It starts its own MariaDB and Redis on private ports, so it never disturbs the shared ones.
test-faults: install  ## The fault suite alone: outages, freezes, kills, poison (tests-e2e/faults)
	$(UV) run --frozen pytest tests-e2e/faults -q -p no:cacheprovider

test-frontend: install  ## The SPA: tsc -b, oxlint, Vitest
	npm --prefix frontend run typecheck
	npm --prefix frontend run lint
	npm --prefix frontend test
	@[ -d tests-e2e/browser/node_modules ] || npm --prefix tests-e2e/browser ci --no-audit --no-fund
	npm --prefix tests-e2e/browser run typecheck

test-browser: install  ## Playwright in Debian's headless Chromium against a test-mode stack
	@[ -d tests-e2e/browser/node_modules ] || npm --prefix tests-e2e/browser ci --no-audit --no-fund
	npm --prefix frontend run build
	CI=1 npm --prefix tests-e2e/browser run e2e

bench: install  ## Start a stack on MariaDB + Redis and run the benchmarks (BENCH=scheduling: just that one)
	$(UV) run --frozen python bench/run.py $(BENCH)

clean:  ## Remove local state (databases, keys, logs) under var/
	rm -rf var/
