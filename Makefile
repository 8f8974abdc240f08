# One task runner for people and CI alike: `make run`, `make test`, `make lint`, `make bench`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8765

.PHONY: run test lint bench install clean

$(BIN)/relay: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# lunr.js for the site (and axe-core for its accessibility tests), pinned in package-lock.json.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(BIN)/relay node_modules/.package-lock.json

## run: install; validate and list the catalog; build the site; serve the site and MCP
run: install
	$(BIN)/relay validate skills/
	$(BIN)/relay list
	$(BIN)/relay build --out site --mcp-url http://$(HOST):$(PORT)/mcp
	@echo "Serving the site at http://$(HOST):$(PORT)/ and MCP at http://$(HOST):$(PORT)/mcp (Ctrl-C stops)"
	$(BIN)/relay serve --host $(HOST) --port $(PORT) --site site

## test: install and run the whole test suite
test: install
	$(BIN)/python -m pytest

## lint: ruff and mypy on everything Relay ships
lint: install
	$(BIN)/ruff check registry builder mcp_server tests bench
	$(BIN)/mypy registry builder mcp_server

## bench: the benchmarks recorded in docs/benchmarks.md (takes a while)
bench: install
	$(BIN)/python bench/history.py
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/site.py --sizes 1000 --search-sizes 10000
	$(BIN)/python bench/validate.py --dataset
	$(BIN)/python bench/site.py --dataset
	$(BIN)/python bench/mcp.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/usage_store.py
	$(BIN)/python bench/replicas.py
	$(BIN)/python bench/hostile.py --skills 30 --rounds 3

clean:
	rm -rf $(VENV) node_modules build *.egg-info .pytest_cache .ruff_cache .mypy_cache site
