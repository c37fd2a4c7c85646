# The two commands of the README: `make demo` and `make test`. Everything they need is installed
# here, so a fresh clone on a fresh machine works.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000

.PHONY: demo test lint suite dates system bench vendor messages openapi clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/finegrid demo --addr $(ADDR)

# Debian packages the checks need: Chromium for the browser tests (never a downloaded browser
# build) and gettext's xgettext for extracting messages.
system:
	@command -v chromium >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1 \
	  && fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  echo "installing Debian chromium, chromium-driver, gettext and the CJK fonts"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver gettext fonts-noto-cjk >/dev/null; }

lint: $(VENV)/.installed-dev system
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache
	$(BIN)/finegrid makemigrations --check --dry-run
	$(BIN)/python scripts/messages.py --check

# The suite runs on every core (pytest-xdist), a test file per worker at a time so that a file's
# module fixtures (a browser, a seeded street) are made once: docs/decisions/0020-test-speed.md.
TEST_WORKERS ?= auto
suite: $(VENV)/.installed-dev system
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# The date-sensitive tests again, as if today were a year ahead, a Spring Festival, or early
# morning in Beijing (scripts/shifted_dates.py), so a test tied to the day it was written fails now.
dates: $(VENV)/.installed-dev
	$(BIN)/python scripts/shifted_dates.py

test: lint suite dates

# the HTTP benches load the server with wrk (Debian's package)
bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null 2>&1 || { echo "installing Debian wrk"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py

messages: $(VENV)/.installed-dev system
	$(BIN)/python scripts/messages.py

# the OpenAPI snapshot (docs/openapi.json) that tests/test_openapi.py holds the API to
openapi: $(VENV)/.installed-dev
	$(BIN)/python scripts/openapi.py

vendor: | $(BIN)/python
	$(BIN)/python scripts/vendor.py

clean:
	rm -rf $(VENV) var
