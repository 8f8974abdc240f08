# One task runner for people and CI alike: `make run`, `make test`, `make lint`, `make bench`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench install clean

$(BIN)/relay: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/relay

## run: install, validate the catalog in skills/ and list it
run: install
	$(BIN)/relay validate skills/
	$(BIN)/relay list

## test: install and run the whole test suite
test: install
	$(BIN)/python -m pytest

## lint: ruff (lint and format check) and mypy on the core library
lint: install
	$(BIN)/ruff check registry tests bench
	$(BIN)/mypy registry

## bench: the benchmarks recorded in docs/benchmarks.md (takes minutes)
bench: install
	$(BIN)/python bench/history.py
	$(BIN)/python bench/validate.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache
