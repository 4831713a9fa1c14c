# The Weekly Kaggle News archive. `make html` builds the book, `make test` runs every test,
# `make lint` checks the code (ruff, ruff format, mypy).
# Both create .venv and install the project (pinned by constraints.txt) on first use.

PYTHON    ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
BUILDDIR  := _build
SPHINXOPTS ?=
# The book's sources live at the repository root (index.md, docs/, issues/); conf.py in docs/.
# Build state (doctrees, search copies) stays out of the published folder: -d $(DOCTREES).
DOCTREES  := $(BUILDDIR)/doctrees
SPHINXBUILD = $(BIN)/sphinx-build -c docs

.PHONY: help venv html linkcheck serve test lint system-deps bench bench-search clean lock

help:
	@echo "make html   build the book into $(BUILDDIR)/html"
	@echo "make linkcheck  check every card and intro link; report dead ones by card"
	@echo "make serve  live-reloading preview on http://127.0.0.1:8000"
	@echo "make test   run every test"
	@echo "make lint   ruff check, ruff format --check and mypy (what CI runs first)"
	@echo "make bench  build benchmarks against a floor (writes docs/benchmarks/build.md)"
	@echo "make bench-search  the search query set in Chromium on the built book ($(BUILDDIR)/html)"
	@echo "make clean  remove build output"

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

html: $(STAMP)
	$(SPHINXBUILD) -b html -d $(DOCTREES) -j auto $(SPHINXOPTS) . $(BUILDDIR)/html

# Broken links make sphinx-build exit 1; the report that follows says which are dead.
linkcheck: $(STAMP)
	rm -f $(BUILDDIR)/linkcheck/output.json
	-$(SPHINXBUILD) -b linkcheck -j auto $(SPHINXOPTS) . $(BUILDDIR)/linkcheck
	$(BIN)/newsarchive linkreport --outdir $(BUILDDIR)/linkcheck

# The preview searches with Sphinx's own index: Pagefind re-indexes the whole book after
# every edit, which a live preview does not need (make html builds the real search).
serve: $(STAMP)
	$(BIN)/sphinx-autobuild -c docs . $(BUILDDIR)/serve --port 8000 -D newsarchive_search=sphinx \
	  --watch ext --ignore '*/.venv/*' --ignore '*/.git/*' --ignore '*/tests/*' \
	  --ignore '*/$(BUILDDIR)/*' $(SPHINXOPTS)

test: $(STAMP) system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The code's checks: lint rules, formatting, types (mypy's settings are in pyproject.toml).
LINTPATHS := ext tests docs
lint: $(STAMP)
	$(BIN)/ruff check $(LINTPATHS)
	$(BIN)/ruff format --check $(LINTPATHS)
	$(BIN)/mypy

# Browser tests drive Debian's Chromium; the overview's charts need a Japanese font.
# As root (CI, a fresh machine) they are installed with apt-get; otherwise we say how.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && \
	    apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "Please install Debian's chromium and fonts-noto-cjk (sudo apt-get install chromium fonts-noto-cjk)"; exit 1; \
	  fi; \
	fi

bench: $(STAMP)
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

# Needs a built book (make html) and Debian's chromium; prints the per-query table.
bench-search: $(STAMP)
	$(BIN)/python -m tests.bench.search --html $(BUILDDIR)/html $(BENCH_ARGS)

clean:
	rm -rf $(BUILDDIR)

lock: $(STAMP)
	( echo "# Exact versions every clone installs (pip install -c constraints.txt ...)."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^newsarchive' ) > constraints.txt
