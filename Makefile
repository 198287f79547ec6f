# Two commands do all set-up: `make demo` and `make test`. Both are safe to run again.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.livestall-installed

.PHONY: demo test install system system-test models lint check services clean

demo: system install models
	$(BIN)/livestall demo
	@if [ -t 0 ] && [ -t 1 ] && [ -z "$$CI" ]; then \
		$(BIN)/livestall studio; \
	else \
		echo "Open the web studio with: $(BIN)/livestall studio"; \
	fi

test: system-test services install models lint
	$(BIN)/pytest -q

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

system:
	@scripts/system-deps.sh runtime

system-test:
	@scripts/system-deps.sh test

# PostgreSQL and Redis on 127.0.0.1 (Debian packages), for the multi-process tests and
# `livestall live serve --workers N`; prints LIVESTALL_DB_URL=... and LIVESTALL_REDIS_URL=...
# Exit 3 (cannot install: no apt-get or no root) lets `make test` go on; those tests then skip loudly.
services:
	@scripts/services.sh || { test $$? -eq 3 && echo "!!! services unavailable: scale tests will skip"; }

models: install
	$(BIN)/livestall models pull

lint: install
	$(BIN)/ruff check studio overlays server tests bench
	$(BIN)/ruff format --check studio overlays server tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info
