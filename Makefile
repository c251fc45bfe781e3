# Two commands for a newcomer: `make demo` and `make test`.
# The virtual environment lives in .venv/, built with the first Python >= 3.12
# found by scripts/find-python (pyenv shims included).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTHON ?= $(shell sh scripts/find-python)

.PHONY: venv demo test lint typecheck unit clean schema

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: no Python >= 3.12 found; install one or run 'make PYTHON=/path/to/python3.12'"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,peers,roads]'
	@touch $(STAMP)

demo: venv
	$(VENV)/bin/fieldroute demo

lint: venv
	$(VENV)/bin/ruff check fieldroute tests benchmarks
	$(VENV)/bin/ruff format --check fieldroute tests benchmarks

typecheck: venv
	$(VENV)/bin/mypy

unit: venv
	$(VENV)/bin/pytest -q

test: lint typecheck unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# The published JSON Schema of the plan document; a test checks it is current.
schema: venv
	$(VENV)/bin/fieldroute schema --out-dir docs
