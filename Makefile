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
TEST_WORKERS ?= 2  # pytest-xdist workers for `make test` (the CI machine has 2 cores)
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# cffconvert ships the CFF 1.2.0 JSON schema the CITATION.cff test validates against; it is installed without
# its dependencies because it pins jsonschema<4, which would downgrade the jsonschema 4 that sssom needs
SCHEMA_PACKAGES := cffconvert==2.0.0

.PHONY: shapes help install system-deps build validate reason qc answers full figures docs htmldocs graphviz run serve serve-hgnc test bench loadtest screenshot reference imports copycheck diff w3id clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

# Two stamps: `make run` installs what running needs (the package and its dependencies); `make test` adds the
# test tools on top. The test stamp depends on the run stamp, so a venv `make run` created still gets them.
$(RUN_STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet --no-deps $(SCHEMA_PACKAGES)
	touch $@

install: $(TEST_STAMP) ## create .venv and install the package with its test tools (`make run` installs it without them)

DEBIAN_PACKAGES := virtuoso-opensource chromium chromium-driver apache2
system-deps: graphviz ## install Debian's Virtuoso, Chromium and Apache (mod_rewrite, for the w3id rules), which the integration tests start, and Graphviz (apt, as root)
	@if ! command -v virtuoso-t >/dev/null || ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
	    || [ ! -x /usr/sbin/apache2 ]; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	fi

graphviz: ## install Debian's Graphviz (`dot`), which draws the figures: the one system package `make run` needs (apt, as root)
	@if ! command -v dot >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq graphviz >/dev/null; \
	fi

build: $(RUN_STAMP) ## build dist/ from the curated tables
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

run: $(RUN_STAMP) graphviz ## everything (build, validate, reason, QC, answers, full, figures, docs, HTML docs) staged; dist/ replaced only if all pass
	$(NSCR) run
	@$(NSCR) summary
	@$(NSCR) w3id --if-configured

serve: reason ## serve the graph at http://127.0.0.1:7878/ (read-only SPARQL endpoint and query UI)
	$(NSCR) serve

serve-hgnc: build ## serve the HGNC slice at http://127.0.0.1:7879/ for the federated query
	$(NSCR) serve --hgnc

test: $(TEST_STAMP) system-deps ## run the test suite on 2 workers (TEST_WORKERS=n), a test file per worker (starts Oxigraph, Virtuoso, Chromium and Apache itself)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(RUN_STAMP) ## time (wall, CPU, peak memory) every step on the curation and on a 17-fold copy (~373k triples, the first scale past 350k)
	$(NSCR) bench --scales 1,17

loadtest: reason system-deps ## latency embedded vs served, 8 unpaused clients for 60 s, runaway queries stopped
	$(NSCR) loadtest

screenshot: reason system-deps $(TEST_STAMP) ## refresh docs/query-ui.png (a competency question in the query UI)
	$(NSCR) screenshot

reference: $(RUN_STAMP) ## refresh data/reference/ and the imports from ../shared/reference
	$(NSCR) reference
	$(NSCR) imports

imports: $(RUN_STAMP) ## regenerate ontology/imports/upstream.ttl from data/reference/
	$(NSCR) imports

shapes: $(RUN_STAMP) ## regenerate shapes/generated/ from the ontology, shapes/required.tsv and shapes/iri-valued.tsv
	$(NSCR) shapes

copycheck: $(RUN_STAMP) ## check that no run of 10 words of the review was copied (needs ../shared)
	$(NSCR) copycheck

diff: $(RUN_STAMP) ## what changed between two releases: make diff OLD=folder-or-file NEW=folder-or-file [TSV=changes.tsv]
	@if [ -z "$(OLD)" ] || [ -z "$(NEW)" ]; then echo "usage: make diff OLD=<release folder or .ttl> NEW=<release folder or .ttl> [TSV=file]" >&2; exit 2; fi
	$(NSCR) diff "$(OLD)" "$(NEW)" $(if $(TSV),--tsv "$(TSV)")

w3id: $(RUN_STAMP) ## write docs/w3id/.htaccess (w3id.org redirects to the public host): make w3id [TARGET=https://host] (default: release.toml's public_base)
	$(NSCR) w3id $(if $(TARGET),--target "$(TARGET)")

clean: ## remove generated files (dist/); keep .venv
	rm -rf dist .dist-releases
