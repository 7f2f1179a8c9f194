# veille — every target bootstraps .venv from pyproject.toml first (plain venv + pip).
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SHARED ?= ../shared
PYTEST := $(PY) -m pytest

.PHONY: install run test test-slow test-peers test-soak lint format bench eval eval-heldout eval-blind demo serve report clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip 2>/dev/null || true
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: install  ## one poll of config/feeds.toml, then deliver
	$(VENV)/bin/veille poll

test: install lint  ## the default suite (offline, a few minutes at most)
	$(PYTEST) -q

test-slow: install
	$(PYTEST) -q -m slow

test-peers: install  ## ../shared/peers in full (1,700 feeds, 100 pages)
	$(PYTEST) -q -m peers

test-soak: install  ## kill -9 loops
	$(PYTEST) -q -m soak

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .

bench: install  ## figures for the issue notes; nothing leaves 127.0.0.1
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

eval: install  ## detection scores on ../shared/corpus/dev.jsonl
	$(VENV)/bin/veille eval $(SHARED)/corpus/dev.jsonl

eval-heldout: install  ## detection on 40 items written without sight of the rules: measure, never tune on it
	$(VENV)/bin/veille eval tests/fixtures/detect/heldout.jsonl

eval-blind: install  ## the blind sets already read to find rules (regression guards, not a measure)
	@for f in tests/fixtures/detect/blind-*.jsonl; do echo "== $$f"; $(VENV)/bin/veille eval $$f | head -9; done

demo: install  ## the storyline replayed from a local feed server, offline
	$(PY) -m demo

serve: install
	$(VENV)/bin/veille serve

report: install
	$(VENV)/bin/veille report --html report.html

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache veille.db veille.db-* report.html
