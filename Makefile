# NumériQC assistant: `make run` brings the product up, `make test` checks it. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
UV_VERSION := 0.13.8
PYTHON310 = $(shell scripts/find-python)
UV := $(VENV)/tools/bin/uv
RASA := $(VENV)/rasa/bin/rasa
APP_PY := $(VENV)/app/bin/python
MODEL := models/numeriqc.tar.gz
# The program pack (program/, or PROGRAM_DIR) is an input: a changed response retrains.
PACK := $(or $(PROGRAM_DIR),program)
TRAINING_INPUTS := config.yml $(shell find domain data $(PACK) -type f 2>/dev/null) \
	$(wildcard rasa_components/*.py bot/pack/*.py) bot/territory.py bot/text.py
# The domain Rasa trains with: domain/ and the pack's responses (bot/pack/training.py).
COMPOSE := $(APP_PY) -m bot.pack.training compose

.PHONY: help install assets run run-production test test-any-date lint validate train pack-model crossval bench lock clean

help:
	@echo "make run    - install if needed, train if data changed, start bot + actions + web page"
	@echo "make run-production - the same behind nginx (TLS), 2 instances, PostgreSQL and Redis"
	@echo "make test   - install if needed, lint, validate, train, run every test suite"
	@echo "make test-any-date - the unit, storage, web and action suites 400 days ahead (faketime)"
	@echo "make crossval - k-fold cross-validation of the intent classifier on data/nlu"
	@echo "make bench  - measure latency, throughput, memory, start-up and training time"
	@echo "make lock   - re-resolve requirements/*.in into exact requirements/*.lock"

$(UV):
	@py="$(PYTHON310)"; [ -n "$$py" ] || exit 1; \
	$$py -m venv $(VENV)/tools && $(VENV)/tools/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/%/.installed: requirements/%.lock | $(UV)
	@[ -x $(VENV)/$*/bin/python ] || $(PYTHON310) -m venv $(VENV)/$*
	$(UV) pip sync --quiet --compile-bytecode --python $(VENV)/$*/bin/python $<
	$(VENV)/$*/bin/python -m pip check
	@touch $@

install: $(VENV)/rasa/.installed $(VENV)/app/.installed

# Browser libraries served by the web app (no CDN): Chart.js, pinned in web/package-lock.json.
web/node_modules/.installed: web/package-lock.json
	npm ci --prefix web --silent --no-audit --no-fund
	@touch $@

bot/web/static/vendor/chart.umd.js: web/node_modules/.installed
	@mkdir -p $(@D) && cp web/node_modules/chart.js/dist/chart.umd.js $@

assets: bot/web/static/vendor/chart.umd.js

lock: | $(UV)
	for env in rasa app; do \
	  $(UV) pip compile --quiet --no-header --python-version 3.10 \
	    --python-platform x86_64-unknown-linux-gnu requirements/$$env.in -o requirements/$$env.lock; \
	done

validate: $(VENV)/rasa/.installed $(VENV)/app/.installed
	domain=$$($(COMPOSE)) && \
	$(RASA) data validate --fail-on-warning --config config.yml --domain $$domain --data data

$(MODEL): $(TRAINING_INPUTS) | $(VENV)/rasa/.installed $(VENV)/app/.installed
	$(MAKE) validate
	domain=$$($(COMPOSE)) && \
	$(RASA) train --config config.yml --domain $$domain --data data --out models --fixed-model-name numeriqc
	@touch $@

# A model trained from another pack, beside its composed domain, named after the pack:
# make pack-model PACK_DIR=tests/packs/fictional → var/build/cap-numerique-3/cap-numerique.tar.gz
pack-model: | $(VENV)/rasa/.installed $(VENV)/app/.installed
	@[ -n "$(PACK_DIR)" ] || { echo "usage: make pack-model PACK_DIR=path/to/pack"; exit 1; }
	domain=$$($(COMPOSE) $(PACK_DIR)) && name=$$($(APP_PY) -m bot.pack.training name $(PACK_DIR)) && \
	PROGRAM_DIR=$(PACK_DIR) flock /tmp/numeriqc-train.lock $(RASA) train --config config.yml \
	  --domain $$domain --data data \
	  --out $$(dirname $$domain) --fixed-model-name $$name

train: $(MODEL)

# Per-intent and macro F1 and fallback rates by threshold, on the training data only.
crossval: $(VENV)/rasa/.installed
	$(VENV)/rasa/bin/python -m rasa_components.crossval

run: install assets $(MODEL)
	$(APP_PY) -m bot.stack

# docs/DEPLOY.md: deploy/production.env's values unless the environment sets them.
run-production: install assets $(MODEL)
	scripts/ensure-nginx
	set -a && . deploy/production.env && set +a && $(APP_PY) -m bot.stack

lint: $(VENV)/app/.installed
	$(VENV)/app/bin/ruff check bot actions rasa_components migrations tests bench
	$(VENV)/app/bin/ruff format --check bot actions rasa_components migrations tests bench
	$(VENV)/app/bin/mypy

# The suites that start the product (Rasa, the web app) run one at a time; every other folder of
# tests/ runs on both cores (pytest-xdist).
STACKS := tests/model/ tests/e2e/ tests/simulation/ tests/production/
ALONE := $(filter-out $(STACKS) tests/__pycache__/,$(sort $(wildcard tests/*/)))

test: install assets lint $(MODEL)
	$(APP_PY) -m bot.cli program check
	scripts/ensure-chromium
	scripts/ensure-nginx
	$(VENV)/app/bin/pytest -n 2 $(ALONE)
	$(VENV)/app/bin/pytest $(STACKS)
	$(MAKE) test-any-date

# The suites that do not start the product, with the system clock 400 days ahead: no test
# depends on today's date (Debian's faketime).
test-any-date: install assets
	scripts/ensure-chromium
	scripts/ensure-faketime
	faketime -f '+400d' $(VENV)/app/bin/pytest -n 2 -p no:cacheprovider tests/unit tests/storage tests/web tests/actions

bench: install $(MODEL)
	$(APP_PY) -m bench.run

clean:
	rm -rf $(VENV) models results var .mypy_cache .pytest_cache .ruff_cache .hypothesis test-results \
	  web/node_modules bot/web/static/vendor
