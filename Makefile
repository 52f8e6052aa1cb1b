# make demo: bake the demo city (Minneapolis, MN) and run its reports on the bundled data, offline.
# make test: the template's test suite (bakes, hooks, the generated toolkit's own tests, real-data reports).
PY ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
# Reinstall whenever either requirements file changes (the template folder's name holds spaces).
STAMP := $(VENV)/.installed-$(shell cat requirements.txt */requirements.txt 2>/dev/null | cksum | cut -d' ' -f1)
DEMO_DIR := build/demo
# The demo's bundled real data, one answer per topic that has some (see catalog/demo/PROVENANCE.md).
DEMO_SOURCES := police_stops_source=$(CURDIR)/catalog/demo/minneapolis_stops_2017.csv.gz \
	non_emergency_incidents_source=$(CURDIR)/catalog/demo/minneapolis_police_incidents_2018_pims.csv.gz \
	police_equipment_source=$(CURDIR)/catalog/demo/minnesota_leso_1033_property_2019q4.csv.gz \
	use_of_force_source=$(CURDIR)/catalog/demo/minneapolis_use_of_force_2016_2021.csv.gz

.PHONY: demo test lint install clean help

help:
	@echo "make demo    bake the demo city and run its reports (offline, bundled real data)"
	@echo "make test    run the template's tests"
	@echo "make lint    ruff and mypy on the template's own code (the generated toolkit is linted, baked, by make test)"

install: $(STAMP)

$(STAMP):
	$(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

# A fresh bake each time, keeping the data (snapshots, manifest) of the previous demo: nothing fetched is lost.
demo: $(STAMP)
	rm -rf $(DEMO_DIR).new
	$(PYTHON) -m cookiecutter . --no-input --output-dir $(DEMO_DIR).new \
		--config-file catalog/demo/answers.yaml $(DEMO_SOURCES)
	# The precinct and neighborhood boundaries, for the maps (catalog/demo/boundaries.yaml says which files).
	sed 's|@DEMO@|$(CURDIR)/catalog/demo|' catalog/demo/boundaries.yaml >> $(DEMO_DIR).new/minneapolis/toolkit.yaml
	if [ -d $(DEMO_DIR)/minneapolis/data ]; then \
		rm -rf $(DEMO_DIR).new/minneapolis/data && cp -a $(DEMO_DIR)/minneapolis/data $(DEMO_DIR).new/minneapolis/; fi
	rm -rf $(DEMO_DIR) && mv $(DEMO_DIR).new $(DEMO_DIR)
	$(MAKE) -C $(DEMO_DIR)/minneapolis reports PYTHON=$(CURDIR)/$(PYTHON)
	@echo
	@echo "Landing page: $(CURDIR)/$(DEMO_DIR)/minneapolis/index.html"

test: $(STAMP)
	$(PYTHON) -m pytest -n auto tests

# Settings in pyproject.toml. The generated toolkit's code is checked baked, with its own settings (tests/test_lint.py).
lint: $(STAMP)
	$(PYTHON) -m ruff check --no-cache .
	$(PYTHON) -m mypy

clean:
	rm -rf build
