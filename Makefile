# Two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
# The newest python3 found, 3.12+ first (current ansible-core needs it).
PYTHON ?= $(shell for p in python3.13 python3.12 $(wildcard /root/.pyenv/versions/3.13*/bin/python3) $(wildcard /root/.pyenv/versions/3.12*/bin/python3) python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv test lint sandbox demo clean

$(STAMP): requirements.txt tests/requirements.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ found: install python3.12 (or set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r tests/requirements.txt
	touch $(STAMP)

venv: $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q tests

sandbox: $(STAMP)
	$(PY) -m tests.sandbox --env-file .sandbox.env

clean:
	rm -rf $(VENV) .pytest_cache build tests/output
