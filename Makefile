# The README's first two commands are the contract: `make run` and `make test` work on a fresh
# machine (they create the venv, install everything and fetch front-end files from npm).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8050
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENDOR := assets/vendor

.PHONY: run test test-fast bench lint format install install-test assets system-tools example-history sample lock lock-check image-size lambda-package clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed assets
install-test: $(VENV)/.installed-test assets system-tools

# Front-end files from npm (exact versions in package.json / package-lock.json).
$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js $(VENDOR)/plotly-basic.min.js
	sed '/sourceMappingURL/d' node_modules/bootstrap/dist/css/bootstrap.min.css > $(VENDOR)/bootstrap.min.css
	touch $@
assets: $(VENDOR)/.stamp

# Debian packages the tests use: headless Chromium and its driver (browser tests), redis-server
# (live data shared between instances) and shellcheck (deployment scripts). Installed only
# when missing; no service is started.
SYSTEM_TOOLS := chromium:chromium chromedriver:chromium-driver redis-server:redis-server shellcheck:shellcheck
system-tools:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
		command -v "$${pair%%:*}" >/dev/null || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# The History page of `make run` reads its own example store, var/example-history, filled from
# the example exports and saved seat lists in sample_data/ (as `python -m app.collect import`
# fills a real one), and only while the dashboard runs on that example data: with a
# SAMPLE_DATA_DIR, HISTORY_STORE, DATA_SOURCE=live or GITHUB_ORG of yours it reads your store
# (default var/history) and this is skipped (app.settings.example_history_applies). The store is
# derived from sample_data/ alone, so it is rebuilt from scratch whenever sample_data/ changes.
# A var/history that an older `make run` filled with the example only is moved aside first.
EXAMPLE_STORE := var/example-history
# (The files imported are listed in app/collect/example_store.py: EXAMPLE_PATTERNS.)
EXAMPLE_FILES := $(wildcard sample_data/*.json sample_data/*.ndjson sample_data/seat-history/*.json.gz)
$(EXAMPLE_STORE)/.example-imported: $(EXAMPLE_FILES) | $(VENV)/.installed
	LOG_FORMAT=text $(PY) -m app.collect.example_store fill

example-history: | $(VENV)/.installed
	@$(PY) -m app.collect.example_store retire-legacy
	@if $(PY) -m app.collect.example_store applies; then \
		$(MAKE) --no-print-directory --silent $(EXAMPLE_STORE)/.example-imported; fi

run: install example-history
	@echo "Serving the dashboard on http://127.0.0.1:$(PORT) (example data)"
	PORT=$(PORT) LOG_FORMAT=$${LOG_FORMAT:-text} $(VENV)/bin/gunicorn -c gunicorn.conf.py \
		--bind 127.0.0.1:$(PORT) app.wsgi:server

test: install-test
	$(PY) -m pytest -q

# Unit tests only (no servers, no browser): the quick loop while editing, well under a minute.
test-fast: $(VENV)/.installed-test
	$(PY) -m pytest -q tests/unit

bench: install-test
	$(PY) -m bench

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# requirements.txt: the locked runtime dependencies Cloud Foundry and the Dockerfile install.
lock: $(VENV)/.installed-test
	scripts/lock-requirements.sh

lock-check: $(VENV)/.installed-test
	scripts/lock-requirements.sh --check

# Estimated container image size from the installed runtime tree (no Docker engine needed).
image-size:
	scripts/estimate-image-size.sh

# The collector's AWS Lambda zip (see docs/deploying.md).
lambda-package: $(VENV)/.installed-test
	scripts/build-lambda-package.sh

sample: $(VENV)/.installed
	$(PY) -m sample --out sample_data

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .ruff_cache $(EXAMPLE_STORE)
