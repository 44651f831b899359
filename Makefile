# Urban Solutions Exchange: `make run` serves the site with demo content, `make test` runs the suite.
# Both create .venv with a Python 3.12+ interpreter and install the locked dependencies first.

SHELL := /bin/bash
VENV := .venv
VPY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

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

.PHONY: help run test test-browser lint format migrations-check lock demo-users clean

help:
	@echo "make run               set up, migrate, load cities and demo content, serve on http://$(HOST):$(PORT)"
	@echo "make test              set up and run the whole test suite (PYTEST_ARGS=... to pass options)"
	@echo "make test-browser      only the browser and accessibility tests (needs Debian's chromium)"
	@echo "make lint              ruff check and ruff format --check"
	@echo "make migrations-check  fail if models and migrations disagree"
	@echo "make demo-users        create the demo curator and network staff logins"
	@echo "make lock              re-resolve requirements.lock from pyproject.toml"

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
	$(VPY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

run: $(VENV)/.installed
	$(VPY) manage.py migrate --noinput
	$(VPY) manage.py import_cities --verbosity 0
	$(VPY) manage.py seed_demo
	DEBUG=1 $(VPY) manage.py runserver $(HOST):$(PORT)

demo-users: $(VENV)/.installed
	$(VPY) manage.py migrate --noinput
	$(VPY) manage.py seed_demo --with-demo-users

test: $(VENV)/.installed
	$(VPY) -m pytest $(PYTEST_ARGS)

test-browser: $(VENV)/.installed
	$(VPY) -m pytest -m browser $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.installed
	$(VPY) manage.py makemigrations --check --dry-run

lock: $(VENV)/.installed
	$(VPY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .test-media
