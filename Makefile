# The commands a newcomer needs. `make run` and `make test` do everything on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.local/bin:$(PATH)
UV ?= uv
# The interpreter uv builds .venv on: the distribution's Python 3.11 where there is one. Debian's
# (like the python:3.11 images the services ship in) is built with profile-guided optimisation
# and LTO; pyenv's default build is not, and runs our code ~15 % slower (the invoice PDF: p50
# 66 against 56 ms, bench/billing_pdf.py, alternated). Elsewhere uv finds one itself; set
# UV_PYTHON to choose.
UV_PYTHON ?= $(wildcard /usr/bin/python3.11)
ifneq ($(UV_PYTHON),)
export UV_PYTHON
endif
PY_SRC := libs gateway services scripts bench tests-e2e tests-deploy deploy/image
STRICT := libs/shared/src/clinic_shared gateway/src/clinic_gateway services/identity/src/clinic_identity \
	services/patients/src/clinic_patients services/scheduling/src/clinic_scheduling \
	services/billing/src/clinic_billing services/records/src/clinic_records
PYTEST_SUITES := libs/shared/tests $(wildcard services/*/tests) gateway/tests tests-e2e

.PHONY: help install harfbuzz-subset frontend api-types run run-mariadb migrate seed backup restore test test-py test-containers test-faults test-frontend test-browser test-deploy test-guards test-races mutate lint fmt bench clean

help:  ## List the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: frontend/dist/index.html  ## Install what is missing or stale: uv, Python packages, the SPA
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --user --quiet uv \
		|| python3 -m pip install --user --quiet --break-system-packages uv
	@$(UV) sync --frozen --quiet
	@$(MAKE) --no-print-directory harfbuzz-subset

# WeasyPrint subsets the invoice's fonts with HarfBuzz's subsetter when the library is there and
# falls back to fontTools when it is not: pure Python, deprecated, and ~3.5x the time of a whole
# invoice PDF (78 ms against 275 ms, bench/billing_pdf.py). The image installs it
# (deploy/service.Dockerfile); here it is installed when apt-get can, else said.
harfbuzz-subset:
	@python3 -c "import ctypes.util, sys; sys.exit(ctypes.util.find_library('harfbuzz-subset') is None)" \
	|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	     && apt-get install -y -qq --no-install-recommends libharfbuzz-subset0 >/dev/null 2>&1; } \
	|| echo "warning: libharfbuzz-subset0 is missing (apt-get install libharfbuzz-subset0): invoice PDFs render ~3.5x slower"

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

run-mariadb: install  ## Start it on MariaDB and Redis at 127.0.0.1 (override DATABASE_URL/REDIS_URL; REPLICAS=2: two processes per service)
	@DATABASE_URL=$${DATABASE_URL:-mysql+pymysql://root@127.0.0.1:3306} \
	 REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	 $(UV) run --frozen python scripts/stack.py run --replicas $${REPLICAS:-1}

migrate: install  ## Create and migrate every service's database (DATABASE_URL or embedded)
	@$(UV) run --frozen python scripts/stack.py migrate

seed: install  ## Migrate and seed the demo clinic
	@$(UV) run --frozen python scripts/stack.py seed

# Backups (docs/operations.md, "Backups and restore"): with DATABASE_URL (as for run-mariadb) every clinic_*
# schema through mariadb-dump --single-transaction; without it the embedded SQLite files under
# var/data (online backup API) and var/keys. Into $(BACKUP_DIR)/<UTC timestamp>/ with SHA256SUMS,
# kept 30 days. No `install` prerequisite: scripts/backup.py needs only the standard library, and
# a nightly cron must not rebuild the SPA. Stop the services before a restore.
BACKUP_DIR ?= var/backups
backup:  ## Back up every service's database to var/backups/<timestamp>/ (DATABASE_URL: MariaDB)
	@$(UV) run --frozen python scripts/backup.py backup --dir "$(BACKUP_DIR)"

restore:  ## Restore a backup (BACKUP=<folder>, default the latest; FORCE=1 over non-empty data)
	@$(UV) run --frozen python scripts/backup.py restore "$(or $(BACKUP),latest)" --dir "$(BACKUP_DIR)" \
		$(if $(filter 1 yes true,$(FORCE)),--force)

lint: install  ## ruff (lint + format check) and mypy (strict on shared, gateway, identity)
	$(UV) run --frozen ruff check $(PY_SRC)
	$(UV) run --frozen ruff format --check $(PY_SRC)
	$(UV) run --frozen mypy --strict $(STRICT)

fmt: install  ## Format and auto-fix
	$(UV) run --frozen ruff format $(PY_SRC)
	$(UV) run --frozen ruff check --fix $(PY_SRC)

test: lint test-py test-guards test-frontend test-browser test-deploy  ## Lint, type-check, every suite (Python, SPA, browser, deployment files)

# One pytest process per suite, one after the other: a suite's leftover threads, event loops and
# sockets end with its process and never meet the next suite's tests. Every suite runs even
# when an earlier one failed; the target fails if any did.
test-py: install
	@failed=""; for suite in $(PYTEST_SUITES); do echo "== $$suite"; \
		$(UV) run --frozen pytest $$suite -q -p no:cacheprovider || failed="$$failed $$suite"; done; \
		if [ -n "$$failed" ]; then echo "failed suites:$$failed"; exit 1; fi

# The same suites as test-py (it runs `make test-py`), on throw-away MariaDB 11 and Redis 7
# containers started by testcontainers where a Docker engine answers (a developer's laptop) and
# removed afterwards; it prints what it deselects for programs this machine lacks. Without an
# engine it says so and fails: `make test` uses the servers at 127.0.0.1 (docs/testing.md).
test-containers: install  ## make test-py on MariaDB and Redis containers (needs a Docker engine)
	@$(UV) run --frozen python scripts/test_containers.py $(MAKE) --no-print-directory test-py

# Each guard mutant removes one line that keeps a promise (a row lock, a role guard, the clash
# check, an If-Match check, the event dedup) in a throw-away copy of its package and runs the
# one test that must then fail (scripts/guard_mutants.py; about 1.5 minutes, see docs/testing.md).
test-guards: install  ## The guard mutants: each removed guard must be caught by its named test
	$(UV) run --frozen python scripts/guard_mutants.py

# The concurrency tests (clinic_shared.testing.race) run RUNS times in a row: each must pass every
# time, or it passes by luck of timing (about 40 s a run).
RUNS ?= 20
RACES := services/scheduling/tests/integration/test_booking_race.py \
	services/billing/tests/integration/test_issuing_race.py \
	services/identity/tests/integration/test_refresh_race.py \
	services/patients/tests/integration/test_edit_race.py
test-races: install  ## Every race test RUNS (20) times: stable, or it passes by luck
	@for run in $$(seq $(RUNS)); do echo "run $$run/$(RUNS)"; \
		$(UV) run --frozen pytest $(RACES) -q -p no:cacheprovider || exit 1; done

# Too slow for every run (hours for every module): run it before an issue that touches these
# modules is resolved, and copy the scores from var/mutate/report.md into docs/testing.md.
mutate: install  ## Mutation testing (cosmic-ray) of the promise-keeping modules (MODULES=a b: only those)
	$(UV) run --frozen python scripts/mutate.py $(MODULES)

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
	@# Ports of its own unless E2E_BROWSER_PORT says: two runs on one machine never meet.
	E2E_BROWSER_PORT=$${E2E_BROWSER_PORT:-$$($(UV) run --frozen python scripts/stack.py free-port-base)} \
		CI=1 npm --prefix tests-e2e/browser run e2e

# The deployment files, validated without a container engine or a cluster (no image is built and
# nothing is started): hadolint on the image recipe, dclint on compose.yaml (the Compose
# Specification's schema plus rules, deploy/dclint.json), every overlay rendered by
# `kubectl kustomize` and checked against the Kubernetes API schemas of the oldest and newest
# versions we support, then tests-deploy/ (the rendered manifests' properties, the entrypoint,
# and the MariaDB grants on the test server).
K8S_VERSIONS := 1.31.0 1.37.0
deploy/node_modules/.package-lock.json: deploy/package-lock.json
	npm --prefix deploy ci --no-audit --no-fund
	@touch $@

test-deploy: install deploy/node_modules/.package-lock.json  ## The deployment files: hadolint, dclint, kustomize + kubernetes-validate, tests-deploy/
	$(UV) run --frozen hadolint deploy/service.Dockerfile
	deploy/node_modules/.bin/dclint -c deploy/dclint.json compose.yaml
	@set -euo pipefail; for overlay in deploy/k8s/overlays/*/; do \
		for version in $(K8S_VERSIONS); do \
			echo "kubectl kustomize $$overlay | kubernetes-validate -k $$version"; \
			kubectl kustomize "$$overlay" | $(UV) run --frozen kubernetes-validate --strict --quiet -k "$$version" -; \
		done; \
	done
	$(UV) run --frozen pytest tests-deploy -q -p no:cacheprovider

bench: install  ## Start a stack on MariaDB + Redis and run the benchmarks (BENCH=scheduling: just that one)
	$(UV) run --frozen python bench/run.py $(BENCH)

clean:  ## Remove local state (databases, keys, logs) under var/
	rm -rf var/
