# NSCR: the front door for every task. `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NSCR := $(BIN)/nscr
STAMP := $(VENV)/.installed

.PHONY: help install build validate reason qc answers docs run test bench reference imports copycheck clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP) ## create .venv and install the package with its test tools

build: $(STAMP) ## build dist/ from the curated tables
	$(NSCR) build

validate: build ## check dist/nscr.ttl against the SHACL shapes
	$(NSCR) validate

reason: build ## DL consistency and classification (HermiT) plus the OWL RL cross-check
	$(NSCR) reason

qc: reason ## run the SPARQL quality checks (zero rows = pass)
	$(NSCR) qc

answers: reason ## answer every competency question into dist/answers/
	$(NSCR) answer

docs: build ## generate reference pages into dist/docs/
	$(NSCR) docs

run: validate qc answers docs ## everything: build, validate, reason, QC, answers, docs, then a summary
	@$(NSCR) summary

test: $(STAMP) ## run the test suite
	$(BIN)/pytest

bench: $(STAMP) ## time every step on the curation and on a tenfold copy
	$(NSCR) bench --scales 1,10

reference: $(STAMP) ## refresh data/reference/ and the imports from ../shared/reference
	$(NSCR) reference
	$(NSCR) imports

imports: $(STAMP) ## regenerate ontology/imports/upstream.ttl from data/reference/
	$(NSCR) imports

copycheck: ## check that no sentence of the review was copied (needs ../shared)
	$(PYTHON) ../shared/tools/copycheck.py .

clean: ## remove generated files (dist/); keep .venv
	rm -rf dist
