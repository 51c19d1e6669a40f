# Each target creates .venv with python3 when it is missing and installs what it needs,
# so `make demo` and `make test` are the only commands a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.spreadkit-installed

.PHONY: install demo test bench schemas docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[compare,test,bench]'
	touch $(STAMP)

install: $(STAMP)

DEMO := build/demo

demo: install
	$(BIN)/spreadkit lint examples/
	@mkdir -p $(DEMO)
	$(BIN)/spreadkit adapt examples/pincer/intervention.yaml --context examples/pincer/sites/hillside-mp.yaml \
		-o $(DEMO)/pincer-guide.html --log $(DEMO)/pincer-adaptations.yaml --force
	$(BIN)/spreadkit adapt examples/pincer/intervention.yaml --context examples/pincer/sites/hillside-mp.yaml \
		-o $(DEMO)/pincer-guide.md --force
	@echo
	@echo "The adopter guide for PINCER at a site with gaps: $(CURDIR)/$(DEMO)/pincer-guide.html"
	@echo "(also as Markdown: $(DEMO)/pincer-guide.md; its pre-filled adaptation log: $(DEMO)/pincer-adaptations.yaml)"
	$(BIN)/spreadkit site examples/pincer -o $(DEMO)/pincer-site
	@echo
	@echo "The PINCER programme's site (every site's guide and charts, the comparison, a search):"
	@echo "  file://$(CURDIR)/$(DEMO)/pincer-site/index.html"

schemas: install
	@mkdir -p schemas
	@for kind in intervention context log; do \
		$(BIN)/spreadkit schema $$kind -o schemas/$$kind.schema.json --force || exit 1; \
	done

docs: install
	$(BIN)/python -m spreadkit.reference

# mypy --strict (pyproject's [tool.mypy]) first: seconds, and a type error fails before the suite runs.
test: install
	$(BIN)/python -m mypy src/spreadkit
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache
