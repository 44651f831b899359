# Urban Solutions Exchange: `make run` serves the site with demo content, `make test` runs the suite.
# Both create .venv with a Python 3.12+ interpreter and install locked dependencies first: make run
# (and demo-users) the production lock, requirements.lock; make test (and test-browser, lint, format,
# migrations-check) the dev lock, requirements-dev.lock, which adds the test and lint tools.

SHELL := /bin/bash
VENV := .venv
VPY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar

# The first interpreter that runs and is 3.12 or newer: PYTHON=..., python3.13, python3.12,
# pyenv's installed versions (newest first), then python3.
PY_CANDIDATES := $(PYTHON) python3.13 python3.12 \
	$(shell ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) \
	python3
FIND_PYTHON := for py in $(PY_CANDIDATES); do \
	  if command -v "$$py" >/dev/null 2>&1 && "$$py" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    echo "$$py"; break; \
	  fi; \
	done

# pre-commit keeps its cache inside the project, so lint works as any user, offline, on a fresh clone.
PRE_COMMIT_HOME ?= $(CURDIR)/.cache/pre-commit
PRE_COMMIT := PRE_COMMIT_HOME=$(PRE_COMMIT_HOME) $(VENV)/bin/pre-commit
PIP_INSTALL := $(VPY) -m pip install --quiet --disable-pip-version-check --require-hashes
PIP_COMPILE_ARGS ?=
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS)

.PHONY: help run test test-browser lint format migrations-check lock demo-users clean

help:
	@echo "make run               set up, migrate, load cities and demo content, serve on http://$(HOST):$(PORT)"
	@echo "make test              set up and run the whole test suite (PYTEST_ARGS=... to pass options)"
	@echo "make test-browser      only the browser and accessibility tests (needs Debian's chromium)"
	@echo "make lint              the pre-commit hooks on every file: ruff check, ruff format --check,"
	@echo "                       djhtml --check on templates, django-upgrade --check, the two locks agree"
	@echo "make format            apply the fixes: django-upgrade, ruff check --fix, ruff format, djhtml"
	@echo "make migrations-check  fail if models and migrations disagree"
	@echo "make demo-users        create the demo curator and network staff logins"
	@echo "make lock              re-resolve requirements.lock (production) and requirements-dev.lock"
	@echo "                       (production + test and lint tools) from pyproject.toml"
	@echo "                       (PIP_COMPILE_ARGS=--upgrade to move to the newest allowed versions)"
	@echo "run and demo-users install requirements.lock only; test, test-browser, lint, format and"
	@echo "migrations-check install requirements-dev.lock."

# Production packages only (requirements.lock): what make run and make demo-users need.
$(VENV)/.installed: requirements.lock
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then \
	  echo "No Python 3.12 or newer found. Install Python 3.13 (https://www.python.org/downloads/," >&2; \
	  echo "or 'pyenv install 3.13', or your system's python3.13 package), or run make PYTHON=/path/to/python3.13." >&2; \
	  exit 1; \
	fi; \
	if [ ! -x $(VPY) ] || ! $(VPY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$py ($$("$$py" --version))"; "$$py" -m venv $(VENV); \
	fi
	$(PIP_INSTALL) -r requirements.lock
	@touch $@

# Production plus the test and lint tools (requirements-dev.lock, a superset of requirements.lock at
# the same versions). Built on top of the production install, so make run after make test installs
# nothing, and a change to either lock reinstalls.
$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(PIP_INSTALL) -r requirements-dev.lock
	@touch $@

run: $(VENV)/.installed
	$(VPY) manage.py migrate --noinput
	$(VPY) manage.py import_cities --verbosity 0
	$(VPY) manage.py seed_demo
	$(VPY) manage.py build_open_data
	DEBUG=1 $(VPY) manage.py runserver $(HOST):$(PORT)

demo-users: $(VENV)/.installed
	$(VPY) manage.py migrate --noinput
	$(VPY) manage.py seed_demo --with-demo-users

# The whole suite in parallel, one process per core (pytest-xdist), measuring coverage: the run
# fails below [tool.coverage.report] fail_under in pyproject.toml. TEST_OPTIONS= runs it plainly.
TEST_OPTIONS ?= -n auto --cov --cov-report=term
test: $(VENV)/.installed-dev $(VNU_JAR)
	$(VPY) -m pytest $(TEST_OPTIONS) $(PYTEST_ARGS)

# The Nu Html Checker for tests/test_markup.py: the npm package vnu-jar, pinned with its hash in
# package-lock.json (run with the machine's Java; nothing is served from node_modules). Without
# npm this says so and the test skips with a hint (under CI=true it fails).
$(VNU_JAR): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $@; \
	else \
	  echo "npm not found: the Nu Html Checker test (tests/test_markup.py) will be skipped."; \
	fi

test-browser: $(VENV)/.installed-dev
	$(VPY) -m pytest -m browser $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(PRE_COMMIT) run --all-files

# The manual-stage hooks rewrite files (their exit status says only that something changed);
# then the checks run, and fail on whatever is left to fix by hand.
format: $(VENV)/.installed-dev
	-$(PRE_COMMIT) run --all-files --hook-stage manual
	$(PRE_COMMIT) run --all-files

migrations-check: $(VENV)/.installed-dev
	$(VPY) manage.py makemigrations --check --dry-run

# Both locks come from pyproject.toml: production from [project].dependencies, dev from the same plus
# the dev extra, constrained to the production lock so every shared package has the same version.
lock: $(VENV)/.installed
	$(VPY) -m pip install --quiet --disable-pip-version-check pip-tools
	$(PIP_COMPILE) -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.lock -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .test-media .cache/pre-commit \
		.coverage .coverage.* htmlcov node_modules
