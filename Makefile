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

.PHONY: run test bench lint format install install-test assets browser redis sample lock clean

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
install-test: $(VENV)/.installed-test assets browser redis

# Front-end files from npm (exact versions in package.json / package-lock.json).
$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js $(VENDOR)/plotly-basic.min.js
	sed '/sourceMappingURL/d' node_modules/bootstrap/dist/css/bootstrap.min.css > $(VENDOR)/bootstrap.min.css
	touch $@
assets: $(VENDOR)/.stamp

# Headless Chromium and its driver from Debian's packages, for the browser tests.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# redis-server for the tests that share live data between instances (no service is started).
redis:
	@command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server >/dev/null; }

run: install
	@echo "Serving the dashboard on http://127.0.0.1:$(PORT) (example data)"
	PORT=$(PORT) LOG_FORMAT=$${LOG_FORMAT:-text} $(VENV)/bin/gunicorn -c gunicorn.conf.py \
		--bind 127.0.0.1:$(PORT) app.wsgi:server

test: install-test
	$(PY) -m pytest -q

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

sample: $(VENV)/.installed
	$(PY) -m app.sample --out sample_data

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .ruff_cache
