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

.PHONY: shapes help install system-deps build validate reason qc answers full figures docs htmldocs graphviz run serve serve-hgnc test bench loadtest screenshot reference imports copycheck diff clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP) ## create .venv and install the package with its test tools

DEBIAN_PACKAGES := virtuoso-opensource chromium chromium-driver
system-deps: graphviz ## install Debian's Virtuoso and Chromium, which the integration tests start, and Graphviz (apt, as root)
	@if ! command -v virtuoso-t >/dev/null || ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	fi

graphviz: ## install Debian's Graphviz (`dot`), which draws the figures: the one system package `make run` needs (apt, as root)
	@if ! command -v dot >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq graphviz >/dev/null; \
	fi

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

full: reason ## write dist/nscr-full.* (graph + imports + inferences) and dist/void.ttl after reasoning
	$(NSCR) full

docs: build ## generate reference pages into dist/docs/
	$(NSCR) docs

figures: build graphviz ## draw each driver gene's resistance network and the overview as SVG into dist/figures/
	$(NSCR) figures

htmldocs: figures ## HTML documentation of the ontology (pyLODE) into dist/docs/html/, linking the figures
	$(NSCR) htmldocs

run: $(STAMP) graphviz ## everything (build, validate, reason, QC, answers, full, figures, docs, HTML docs) staged; dist/ replaced only if all pass
	$(NSCR) run
	@$(NSCR) summary

serve: reason ## serve the graph at http://127.0.0.1:7878/ (read-only SPARQL endpoint and query UI)
	$(NSCR) serve

serve-hgnc: build ## serve the HGNC slice at http://127.0.0.1:7879/ for the federated query
	$(NSCR) serve --hgnc

test: $(STAMP) system-deps ## run the test suite (starts Oxigraph, Virtuoso and Chromium itself)
	$(BIN)/pytest

bench: $(STAMP) ## time (wall, CPU, peak memory) every step on the curation and on a 20-fold copy (~370k triples)
	$(NSCR) bench --scales 1,20

loadtest: reason system-deps ## latency embedded vs served, 8 unpaused clients for 60 s, runaway queries stopped
	$(NSCR) loadtest

screenshot: reason system-deps ## refresh docs/query-ui.png (a competency question in the query UI)
	$(NSCR) screenshot

reference: $(STAMP) ## refresh data/reference/ and the imports from ../shared/reference
	$(NSCR) reference
	$(NSCR) imports

imports: $(STAMP) ## regenerate ontology/imports/upstream.ttl from data/reference/
	$(NSCR) imports

shapes: $(STAMP) ## regenerate shapes/generated/ from the ontology, shapes/required.tsv and shapes/iri-valued.tsv
	$(NSCR) shapes

copycheck: $(STAMP) ## check that no run of 10 words of the review was copied (needs ../shared)
	$(NSCR) copycheck

diff: $(STAMP) ## what changed between two releases: make diff OLD=folder-or-file NEW=folder-or-file [TSV=changes.tsv]
	@if [ -z "$(OLD)" ] || [ -z "$(NEW)" ]; then echo "usage: make diff OLD=<release folder or .ttl> NEW=<release folder or .ttl> [TSV=file]" >&2; exit 2; fi
	$(NSCR) diff "$(OLD)" "$(NEW)" $(if $(TSV),--tsv "$(TSV)")

clean: ## remove generated files (dist/); keep .venv
	rm -rf dist .dist-releases
