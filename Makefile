# Two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
# The newest python3 found, 3.12+ only (current ansible-core needs it).
PYTHON ?= $(shell for p in python3.13 python3.12 $(wildcard /root/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard /root/.pyenv/versions/3.12*/bin/python3) python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then command -v $$p; break; fi; done)
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# pytest-xdist workers for `make test` (CI has 2 cores); each worker runs its own sandbox on its own ports.
# PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2

.PHONY: venv test test-live lint sanity ruff ansible-lint docs-lint collection install ee-context sandbox demo bench clean

$(STAMP): requirements.txt tests/requirements.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ found: install python3.12 or run make PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r tests/requirements.txt
	touch $(STAMP)

venv: $(STAMP)

# The whole suite: unit, sandbox, contract, integration and reliability tests. Exit code 5 (no test ran) is a
# failure. --dist loadfile: a free worker takes the next test file, so what a file's tests share (a module-scoped
# fixture, the bad-input playbooks) runs once. (loadgroup's xdist_group marks have no effect with pytest 9.2.)
test: $(STAMP)
	@# A temp root of its own: pytest prunes old numbered dirs under the shared one, even another run's.
	tmp=$$(mktemp -d /tmp/gravitee-mcp-pytest.XXXXXX) && \
	  $(PY) -m pytest -q -p no:cacheprovider --basetemp="$$tmp" -n $(PYTEST_WORKERS) --dist loadfile \
	    tests $(PYTEST_ARGS); \
	  status=$$?; rm -rf "$$tmp"; exit $$status

# Real AM/APIM from Maven Central (tests/live/README.md). Today it probes, finds no runnable 4.x release there,
# and says so; with GRAVITEE_LIVE_* set it runs the live checks against servers you run elsewhere.
test-live: $(STAMP)
	PY=$(PY) tests/live/run.sh $(PYTEST_ARGS)

# Everything here runs offline once `make venv` has installed the tools (.ansible-lint sets offline: true).
lint: ruff ansible-lint docs-lint sanity

ruff: $(STAMP)
	$(VENV)/bin/ruff check .

# This checkout seen as ansible_collections/gravitee_community/mcp (a link outside the tree: tests/collection_path.py).
COLLECTIONS_ROOT = $$($(PY) -c 'from tests.collection_path import COLLECTIONS_ROOT; print(COLLECTIONS_ROOT)')

ansible-lint: $(STAMP)
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_ROOT) $(VENV)/bin/ansible-lint

# antsibull-docs calls ansible-doc, so the venv's bin/ goes first on PATH.
docs-lint: $(STAMP)
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/antsibull-docs lint-collection-docs --plugin-docs \
	  $(COLLECTIONS_ROOT)/ansible_collections/gravitee_community/mcp

# The collection artifact (build/gravitee_community-mcp-<version>.tar.gz), and installed into ~/.ansible/collections
# (or COLLECTIONS_PATH=dir), where ansible-playbook and ansible-doc find it.
COLLECTIONS_PATH ?=
collection: $(STAMP)
	rm -f build/gravitee_community-mcp-*.tar.gz
	$(VENV)/bin/ansible-galaxy collection build --force --output-path build .

install: collection
	$(VENV)/bin/ansible-galaxy collection install --force build/gravitee_community-mcp-*.tar.gz \
	  $(if $(COLLECTIONS_PATH),-p $(COLLECTIONS_PATH))

# The build context of the execution environment example (execution-environment.yml) in build/ee-context;
# `ansible-builder build -f execution-environment.yml` builds the image itself (needs podman or docker).
ee-context: collection
	$(VENV)/bin/ansible-builder create -f execution-environment.yml -c build/ee-context

sanity: $(STAMP)
	tests/lint/sanity.sh $(abspath $(PY))

# Run the sandbox in the foreground on the default ports (18080-18084); writes .sandbox.env.
sandbox: $(STAMP)
	$(PY) -m tests.sandbox --env-file .sandbox.env

demo: $(STAMP)
	$(PY) -m tests.demo

# The role against a uri-only playbook doing the guide, and fleets, on a sandbox of its own (tests/bench/bench.py).
# BENCH_ARGS: --pairs N, --quick (2 pairs, fleets of 1 and 5), --baseline REF (also the collection at that git ref), --sizes ...
BENCH_ARGS ?=
bench: $(STAMP)
	$(PY) -m tests.bench.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache build tests/output .sandbox.env
