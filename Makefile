# The LEITF site and the coalition kit. Every target creates .venv when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
PELICANOPTS ?=
INPUTDIR := content
OUTPUTDIR := output
CONFFILE := pelicanconf.py
PUBLISHCONF := publishconf.py
PORT ?= 8000
# The devserver keeps Pelican's content cache in cache/, so a rebuild after one edit reads one
# file and renders only the pages that can have changed (docs/settings.md, "Speed-ups").
DEVSERVER_CACHE := -e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true

.PHONY: html serve devserver publish test bench clean translations help

help:
	@echo "make html        build the site into $(OUTPUTDIR)/"
	@echo "make test        run every test"
	@echo "make serve       serve $(OUTPUTDIR)/ on http://127.0.0.1:$(PORT)/"
	@echo "make devserver   rebuild on every save and serve"
	@echo "make publish     build with publishconf.py, swapped into $(OUTPUTDIR)/ only if it succeeds"
	@echo "make bench       benchmark the kit against bare Pelican"
	@echo "make clean       remove $(OUTPUTDIR)/ and caches"

# Stamp files make the install step run again only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

html: $(VENV)/.installed
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) --fatal warnings $(PELICANOPTS)

serve: $(VENV)/.installed
	$(PELICAN) -l $(OUTPUTDIR) -s $(CONFFILE) -p $(PORT)

devserver: $(VENV)/.installed
	$(PELICAN) --listen --autoreload $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) -p $(PORT) $(DEVSERVER_CACHE) $(PELICANOPTS)

publish: $(VENV)/.installed
	$(BIN)/python -m leitf_site.publish $(INPUTDIR) -o $(OUTPUTDIR) -s $(PUBLISHCONF) $(PELICANOPTS)

# The quality gates' node tools (Nu Html Checker, Lighthouse), pinned by package-lock.json.
# --ignore-scripts: vnu-jar's install script would fetch a JDK; the tests use the system java.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the HTML validity and Lighthouse tests will skip (and fail under CI=true)"; fi

test: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest $(PYTESTOPTS)

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py $(BENCHOPTS)

translations: $(VENV)/.installed
	$(BIN)/python -m leitf_site.translations

clean:
	rm -rf $(OUTPUTDIR) cache __pycache__ .pytest_cache
