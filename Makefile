# The two commands of the README: `make serve` and `make test`. Each sets up what it
# needs first (the .venv with pinned tools, the npm runtime), so a fresh machine needs
# nothing installed by hand beyond Python 3.11+ and Node 20 with npm.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python 3.11+ on PATH: the engine and the build need 3.11 or newer.
PYTHON ?= $(shell for p in python3 python3.11 python3.12 python3.13; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
PYTHON_READY := $(VENV)/.requirements-installed
NODE_READY := node_modules/.package-lock.json
# The dev dependencies too (typescript for the type check, lighthouse for the bench): make test and make bench.
NODE_DEV_READY := node_modules/.dev-dependencies-installed

.PHONY: help setup graphviz chromium browsers serve test lint js-check bench clean

help:
	@echo "make serve   build the site and serve it on http://127.0.0.1:8000"
	@echo "make test    run ruff, the JavaScript checks and the whole test suite (CPython, Pyodide under Node, Chromium, Firefox, WebKit)"
	@echo "make bench   build, serve and measure the site (Chromium; the engine's start also in Firefox and WebKit); writes benchmarks/results.{json,md}"
	@echo "make clean   remove the venv, node_modules and build outputs"

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed and none was found on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(PYTHON_READY): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(NODE_READY): package.json package-lock.json
	@command -v npm >/dev/null || { echo "installing Node.js and npm with apt"; \
		apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --omit=dev --no-audit --no-fund
	@touch $@

$(NODE_DEV_READY): package.json package-lock.json
	@command -v npm >/dev/null || { echo "installing Node.js and npm with apt"; \
		apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund
	@touch $@

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@command -v chromium >/dev/null || { echo "installing Chromium with apt"; \
		apt-get update -qq && apt-get install -y -qq chromium; }

# The cross-engine tests (tests/browser/test_engines.py) also drive Debian's Firefox ESR (puppeteer-core over
# WebDriver BiDi) and WebKitGTK's MiniBrowser (Selenium through WebKitWebDriver) in an Xvfb display.
browsers: chromium
	@command -v firefox-esr >/dev/null && command -v WebKitWebDriver >/dev/null && command -v Xvfb >/dev/null || { \
		echo "installing Firefox ESR, WebKitGTK's WebDriver and Xvfb with apt"; \
		apt-get update -qq && apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb; }

# The build lays out each pathway's visual summary with Graphviz's dot (sitebuild/flowchart.py).
graphviz:
	@command -v dot >/dev/null || { echo "installing Graphviz with apt"; \
		apt-get update -qq && apt-get install -y -qq graphviz; }

setup: $(PYTHON_READY) $(NODE_READY) graphviz

serve: setup
	$(PY) build.py serve

lint: $(PYTHON_READY)
	$(PY) -m ruff check .

# The site's JavaScript: node --test runs the unit tests of its pure modules (tests/js/), tsc --noEmit checks
# the JSDoc types of every module that says // @ts-check (tsconfig.json).
js-check: $(NODE_DEV_READY)
	node --test tests/js/
	node_modules/.bin/tsc --noEmit -p tsconfig.json

test: $(PYTHON_READY) $(NODE_DEV_READY) graphviz browsers lint js-check
	$(PY) -m pytest

# Not a test: measures load, evaluation, size and build time against baselines (and runs Lighthouse,
# a dev dependency, so this target installs the full package-lock.json).
# BENCH_ARGS go to benchmarks/run.py, e.g. BENCH_ARGS="--before-site DIR" to time an earlier build beside this one.
bench: $(PYTHON_READY) $(NODE_DEV_READY) graphviz browsers
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules site site.next site.previous dist build *.egg-info .cache .pytest_cache .ruff_cache .hypothesis
