# Brobygget. `make run` serves the demo municipality as production does, `make dev` with Django's development
# server; `make test` runs the suite (README.md).
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
VAR_DIR := $(or $(BROBYGGET_VAR_DIR),var)

# What the demo answers to and makes its links from: HOST and PORT, and with HOST=0.0.0.0 also this machine's
# name and addresses; ALLOWED_HOSTS and SITE_URL given by the user are added, or win (README, "make run").
comma := ,
space := $(subst ,, )
ALL_ADDRESSES := $(filter 0.0.0.0,$(HOST))
MACHINE := $(if $(ALL_ADDRESSES),$(shell hostname 2>/dev/null))
MACHINE_HOSTS := $(if $(ALL_ADDRESSES),$(MACHINE) $(foreach address,$(shell hostname -I 2>/dev/null),$(if \
	$(findstring :,$(address)),[$(address)],$(address))),$(HOST))
DEMO_ALLOWED_HOSTS := $(subst $(space),$(comma),$(strip localhost 127.0.0.1 [::1] $(MACHINE_HOSTS) \
	$(subst $(comma),$(space),$(ALLOWED_HOSTS))))
DEMO_SITE_URL := $(or $(SITE_URL),http://$(or $(MACHINE),$(filter-out 0.0.0.0,$(HOST)),localhost):$(PORT))

.PHONY: run dev test bench lint messages setup clean

setup: $(VENV)/.installed $(MO)

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(VENV)/bin/uv || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/python -m pip install --quiet uv==0.13.8; }
	$(VENV)/bin/uv sync --frozen --quiet --python $(PY)
	@touch $@

$(LOCALE)/%/LC_MESSAGES/django.mo: $(LOCALE)/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --domain django --input-file $< --output-file $@ --statistics 2>&1 | tail -n 1

# The demo, as production serves it: gunicorn (2 workers) and WhiteNoise with DEBUG off, a secret key made once
# and kept in var/, mail kept in the admin's Utkorg, plain HTTP. bin/supervise restarts the task worker.
run dev: export ALLOWED_HOSTS := $(DEMO_ALLOWED_HOSTS)
run dev: export SITE_URL := $(DEMO_SITE_URL)
run dev: export MAIL_BACKEND := outbox
run: export DEBUG := 0
run: export BROBYGGET_DEMO := 1
run: export SECRET_KEY_FILE := $(or $(SECRET_KEY_FILE),$(abspath $(VAR_DIR))/secret_key)
run: export SECURE_SSL_REDIRECT := 0
run: export SECURE_COOKIES := 0
run: export SECURE_HSTS_SECONDS := 0
run: setup
	@$(PANGO)
	@mkdir -p $(VAR_DIR)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo_load --if-empty
	@$(banner)
	@$(PY) bin/supervise $(PY) manage.py tasks_worker & supervisor=$$!; \
	trap 'kill $$supervisor 2>/dev/null; wait $$supervisor' EXIT INT TERM; \
	$(PY) -m gunicorn brobygget.wsgi:application --workers 2 --bind $(HOST):$(PORT) --no-control-socket

# For developers: Django's development server with DEBUG on (debug pages: keep it on 127.0.0.1).
dev: export DEBUG := 1
dev: setup
	@mkdir -p $(VAR_DIR)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_load --if-empty
	@$(banner)
	@$(PY) bin/supervise $(PY) manage.py tasks_worker & supervisor=$$!; \
	trap 'kill $$supervisor 2>/dev/null; wait $$supervisor' EXIT INT TERM; \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

define banner
echo; echo "Brobygget runs at $(DEMO_SITE_URL)/  (stop with Ctrl-C)"; \
echo "Demo logins, password brobygget-demo: admin, registrator, chef, medarbetare"; \
echo "Its mail is kept, not sent: log in as admin, then Utkorg at $(DEMO_SITE_URL)/admin/core/outboxmail/"; echo
endef

# The goals' PDF reports (WeasyPrint) need Pango: installed from Debian when missing, as Chromium below.
PANGO = ldconfig -p | grep -q libpangoft2-1.0 || { echo "Installing Pango (Debian) for the PDF reports (WeasyPrint)"; \
	apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; } >/dev/null 2>&1 || true; }

# The browser tests drive Debian's Chromium (tests/e2e/conftest.py); left out with PYTEST_ARGS="-m 'not browser'".
CHROMIUM := /usr/bin/chromium
NEEDS_CHROMIUM := $(if $(findstring not browser,$(PYTEST_ARGS)),,yes)

test: setup
	@test -z "$(NEEDS_CHROMIUM)" || test -x $(CHROMIUM) || { echo "Installing Chromium (Debian) for the browser tests"; \
		apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; } >/dev/null 2>&1 || true; }
	@test -z "$(NEEDS_CHROMIUM)" || test -x $(CHROMIUM) || { echo "make test needs Chromium for the browser tests: apt-get install chromium (or leave them out: make test PYTEST_ARGS=\"-m 'not browser'\")" >&2; exit 1; }
	@$(PANGO)
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
			--width 120 --domain django --input-file var/django.pot --output-dir $(LOCALE) --locale $$lang; \
	done
	$(MAKE) $(MO)

clean:
	rm -rf $(VENV) var/static
