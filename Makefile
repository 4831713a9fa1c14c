# The Weekly Kaggle News archive. `make html` builds the book, `make test` runs every test,
# `make lint` checks the code (ruff, ruff format, mypy).
# Both create .venv and install the project (pinned by constraints.txt) on first use.

PYTHON    ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
BUILDDIR  := _build
SPHINXOPTS ?=
# The book's sources live at the repository root (index.md, docs/, issues/); conf.py in docs/.
# Build state (doctrees, search copies) stays out of the published folder: -d $(DOCTREES).
DOCTREES  := $(BUILDDIR)/doctrees
SPHINXBUILD = $(BIN)/sphinx-build -c docs

.PHONY: help venv html epub linkcheck serve test lint system-deps python-venv node-deps bench bench-scale bench-search mutants mutants-js clean lock

help:
	@echo "make html   build the book into $(BUILDDIR)/html"
	@echo "make epub   build the e-book into $(BUILDDIR)/epub (warnings fail the build)"
	@echo "make linkcheck  check every card and intro link; report dead ones by card"
	@echo "make serve  live-reloading preview on http://127.0.0.1:8000"
	@echo "make test   run every test"
	@echo "make lint   ruff check, ruff format --check and mypy (what CI runs first)"
	@echo "make bench  build benchmarks against a floor (writes docs/benchmarks/build.md)"
	@echo "make bench-scale  the real pages repeated to 350 and 1,000 issues: bytes per page and query (docs/benchmarks/scale.md)"
	@echo "make bench-search  the search query set in Chromium on the built book ($(BUILDDIR)/html)"
	@echo "make audit  Lighthouse scores and bytes per kind of page of the built book (AUDIT_BASELINE=dir compares)"
	@echo "make mutants  mutation testing of the core, index, importers and link data (MODULES=... for some)"
	@echo "make mutants-js  mutation testing of the search's matching code (searchcore.js, Stryker)"
	@echo "make clean  remove build output"

$(STAMP): pyproject.toml constraints.txt | python-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

html: $(STAMP)
	$(SPHINXBUILD) -b html -d $(DOCTREES) -j auto $(SPHINXOPTS) . $(BUILDDIR)/html

# The e-book. It holds its own files only: cards show the site's initial instead of a remote
# thumbnail, and the website's own pages (search, the link finder's old address) and feeds
# are left out. Its own doctree folder: the HTML build keeps search entries in its own.
epub: $(STAMP)
	$(SPHINXBUILD) -b epub -d $(BUILDDIR)/doctrees-epub -j auto -W --keep-going $(SPHINXOPTS) . $(BUILDDIR)/epub

# Broken links make sphinx-build exit 1; the report that follows says which are dead.
linkcheck: $(STAMP)
	rm -f $(BUILDDIR)/linkcheck/output.json
	-$(SPHINXBUILD) -b linkcheck -j auto $(SPHINXOPTS) . $(BUILDDIR)/linkcheck
	$(BIN)/newsarchive linkreport --outdir $(BUILDDIR)/linkcheck

# The preview is the book as make html builds it, search included: after an edit only the
# search index's changed files are written again.
serve: $(STAMP)
	$(BIN)/sphinx-autobuild -c docs . $(BUILDDIR)/serve --port 8000 \
	  --watch ext --ignore '*/.venv/*' --ignore '*/.git/*' --ignore '*/tests/*' \
	  --ignore '*/$(BUILDDIR)/*' $(SPHINXOPTS)

test: $(STAMP) system-deps $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The code's checks: lint rules, formatting, types (mypy's settings are in pyproject.toml).
LINTPATHS := ext tests docs
lint: $(STAMP)
	$(BIN)/ruff check $(LINTPATHS)
	$(BIN)/ruff format --check $(LINTPATHS)
	$(BIN)/mypy

# Debian packages the tests need, as command:package (present when the command is):
# Chromium for the browser tests, Java for the Nu HTML Checker (vnu-jar), epubcheck for the
# e-book, Node and npm for axe-core, vnu-jar and Lighthouse (package.json). Browser pages
# show Japanese with fonts-noto-cjk. As root (CI, a fresh machine) the missing ones are
# installed with apt-get; otherwise we say how.
SYSTEM_DEPS := chromium:chromium java:default-jre-headless epubcheck:epubcheck \
  node:nodejs npm:npm fc-list:fontconfig
system-deps:
	@missing=""; \
	for pair in $(SYSTEM_DEPS); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing="$$missing fonts-noto-cjk"; \
	$(call apt_install,$$missing)

# apt_install(packages): install Debian packages as root, or say how and fail.
apt_install = if [ -n "$(1)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && \
	    apt-get install -y -qq --no-install-recommends $(1) >/dev/null; \
	  else \
	    echo "Please install Debian's$(1) (sudo apt-get install$(1))"; exit 1; \
	  fi; \
	fi

# A bare Debian's python3 has no venv module until python3-venv is installed.
python-venv:
	@missing=""; $(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing=" python3-venv"; \
	$(call apt_install,$$missing)

# axe-core, vnu-jar and Lighthouse, exactly as package-lock.json pins them (no install
# scripts: nothing downloads a browser).
$(NODE_STAMP): package.json package-lock.json | system-deps
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $(NODE_STAMP)

node-deps: $(NODE_STAMP)

bench: $(STAMP)
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

# Builds the real pages at 159, 350 and 1,000 issues (a few minutes on 2 cores) and types
# the query set into each in Debian's chromium; writes docs/benchmarks/scale.md.
# BENCH_ARGS="--keep DIR" reuses builds, "--queries N" types only the first N queries.
bench-scale: $(STAMP)
	$(BIN)/python -m tests.bench.scale $(BENCH_ARGS)

# Needs a built book (make html) and Debian's chromium; prints the per-query table.
bench-search: $(STAMP)
	$(BIN)/python -m tests.bench.search --html $(BUILDDIR)/html $(BENCH_ARGS)

# Mutation testing with mutmut (a dev extra): each module listed in tests/mutation/run.py is
# mutated in turn and its own fast tests run against every mutant, one at a time under
# nice -n 19 (the machine is shared). Kill rates go to $(BUILDDIR)/mutants/summary.md
# (recorded in docs/benchmarks/hardening.md). MODULES="core/cards.py ..." runs only those.
mutants: $(STAMP)
	$(BIN)/python -m tests.mutation.run $(MODULES)

# Mutation testing of the search's matching code with Stryker (stryker.config.mjs): every
# mutant of static/searchcore.js against node --test tests/js/, one at a time under nice -n 19.
# The tests' fixture (a small index written by search_index.py) is built once first.
# Reports in $(BUILDDIR)/mutants-js/ (recorded in docs/benchmarks/hardening.md).
MUTANTS_JS := $(BUILDDIR)/mutants-js
mutants-js: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tests/js/searchcore_fixture.py $(MUTANTS_JS)/fixture
	SEARCHCORE_FIXTURE=$(abspath $(MUTANTS_JS)/fixture) nice -n 19 node_modules/.bin/stryker run stryker.config.mjs

# Needs a built book (make html), Debian's chromium and node_modules: Lighthouse (mobile) and
# the bytes each kind of page transfers, served gzipped on 127.0.0.1. AUDIT_BASELINE=DIR
# audits another build (say of an older commit) in the same run, for a before/after table.
audit: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m tests.bench.audit --html $(BUILDDIR)/html \
	  $(if $(AUDIT_BASELINE),--baseline $(AUDIT_BASELINE)) $(AUDIT_ARGS)

clean:
	rm -rf $(BUILDDIR)

lock: $(STAMP)
	( echo "# Exact versions every clone installs (pip install -c constraints.txt ...)."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^newsarchive' ) > constraints.txt
