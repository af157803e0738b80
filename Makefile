# Brobygget. `make run` serves the demo municipality; `make test` runs the suite (README.md).
SHELL := /bin/bash
PYTHON ?= python$(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SIZE ?= M
LOCALE := src/brobygget/locale
PO := $(wildcard $(LOCALE)/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

.PHONY: run test bench lint messages setup clean

setup: $(VENV)/.installed $(MO)

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(VENV)/bin/uv || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/python -m pip install --quiet uv==0.13.8; }
	$(VENV)/bin/uv sync --frozen --quiet --python $(PY)
	@touch $@

$(LOCALE)/%/LC_MESSAGES/django.mo: $(LOCALE)/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --domain django --input-file $< --output-file $@ --statistics 2>&1 | tail -n 1

run: setup
	@mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py demo_load --if-empty
	@echo
	@echo "Brobygget runs at http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	@echo "Demo logins, password brobygget-demo: admin, registrator, chef, medarbetare"
	@echo
	@DEBUG=1 $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian) for the HTTP measurements"; \
		apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; }
	SIZE=$(SIZE) $(PY) -m bench

lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

messages: setup
	$(VENV)/bin/pybabel extract --mapping-file babel.cfg --keywords "_ gettext_lazy ngettext:1,2 pgettext:1c,2" \
		--no-location --sort-output --omit-header --output-file var/django.pot src
	for lang in sv en; do \
		$(VENV)/bin/pybabel $$(test -f $(LOCALE)/$$lang/LC_MESSAGES/django.po && echo update --no-fuzzy-matching || echo init) \
			--domain django --input-file var/django.pot --output-dir $(LOCALE) --locale $$lang; \
	done
	$(MAKE) $(MO)

clean:
	rm -rf $(VENV) var/static
