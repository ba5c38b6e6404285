# Two commands for a newcomer: `make run` and `make test`. Everything else builds on them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Not exported: a PORT given to `make demo` (or in the environment) names the port to print;
# without one the demo prints the port `make run` last served on.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint lock demo migrate install translations extract-messages bench-themes bench-live bench-fanout bench-maps clean

# Exactly the versions in requirements.lock, each checked against its hash; then the app itself.
$(BIN)/bykafe: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

install: $(BIN)/bykafe translations

translations: $(BIN)/bykafe
	@$(BIN)/pybabel compile --domain messages --directory app/translations --use-fuzzy --statistics 2>&1 | grep -v "^compiling" || true

run: install
	HOST=$(HOST) PORT=$(PORT) $(BIN)/bykafe serve

migrate: install
	$(BIN)/bykafe migrate

demo: install
	$(BIN)/bykafe demo

# After a change of dependencies in pyproject.toml: pins what is new and keeps every other pin.
# `make lock UPGRADE=1` moves every package to its newest release that fits pyproject.toml.
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra test --extra dev --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) -o requirements.lock

# Both checkers run, so that one run lists every finding.
lint: install
	@status=0; $(BIN)/ruff check . || status=1; $(BIN)/mypy || status=1; exit $$status

# Lint first; then the whole suite on SQLite; then, when TEST_POSTGRES_URL names a PostgreSQL
# database (CI starts one), every database-backed test again on PostgreSQL.
test: install lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		TEST_DATABASE_URL="$$TEST_POSTGRES_URL" $(BIN)/python -m pytest -m "not browser" tests/app $(PYTEST_ARGS); \
	fi

extract-messages: $(BIN)/bykafe
	$(BIN)/pybabel extract --mapping babel.cfg --keywords "N_ _ ngettext:1,2" --no-location --sort-output --output app/translations/messages.pot .
	$(BIN)/pybabel update --domain messages --input-file app/translations/messages.pot --output-dir app/translations --no-fuzzy-matching

bench-themes: install
	$(BIN)/python -m bench.themes

bench-live: install
	$(BIN)/python -m bench.live

# Needs PostgreSQL's server binaries (apt-get install postgresql): it starts a throwaway cluster.
bench-fanout: install
	$(BIN)/python -m bench.fanout

bench-maps: install
	$(BIN)/python -m bench.maps

clean:
	rm -rf $(VENV) var/bench .pytest_cache
