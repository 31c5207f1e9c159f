# casuistry: two commands set everything up: `make demo` and `make test`.
# Both create .venv from pyproject.toml when it is missing (or older than it).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= build/demo

.PHONY: demo test lint format lab bench data browser clean help

help:
	@echo "make demo    build learning reports of the bundled cases and print where they are"
	@echo "make test    lint, format check and the whole test suite (notebooks and browser included)"
	@echo "make lab     open JupyterLab on the notebooks"
	@echo "make bench   every step on a million events (random and synthetic) against the pandas floor"
	@echo "make data    rebuild data/synthetic/ from its recorded commands and seeds"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "casuistry needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m casuistry.demo --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

browser:
	@sh scripts/ensure-chromium

test: $(STAMP) lint browser
	$(BIN)/python -m pytest -n 2 --doctest-modules src tests

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# make bench EVENTS=100000 for a quicker run at a smaller size
EVENTS ?= 1000000
# The bench measures the compiled kernel too: it installs the `fast` extra (numba).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,fast]'
	$(BIN)/python benchmarks/bench_analyse.py --events $(EVENTS)

data: $(STAMP)
	$(BIN)/python -m casuistry.synthetic.bundled data/synthetic

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
