# The README's commands. `make run` serves the portal; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install ocr-engine translations messages run run-prod test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Scans and photos are read by Tesseract (Debian's tesseract-ocr), with the French, Spanish and German models
# beside English so that bilingual certificates keep their accented letters. Installed here when missing and
# this is root with apt-get; otherwise the command to run is printed, and scans and photos are left for a person.
OCR_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-deu
ocr-engine:
	@if command -v tesseract >/dev/null 2>&1 && [ "$$(tesseract --list-langs 2>/dev/null | grep -cxE 'eng|fra|spa|deu')" = 4 ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing the OCR engine: apt-get install $(OCR_PACKAGES)"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OCR_PACKAGES) >/dev/null) \
			|| echo "Tesseract could not be installed: scans and photos will be left for a person to check."; \
	else \
		echo "Tesseract (the OCR engine) is not installed: scans and photos will be left for a person to check."; \
		echo "  Debian/Ubuntu: sudo apt-get install $(OCR_PACKAGES)"; \
		echo "  Fedora: sudo dnf install tesseract tesseract-langpack-eng tesseract-langpack-fra tesseract-langpack-spa tesseract-langpack-deu tesseract-osd;  macOS: brew install tesseract tesseract-lang"; \
	fi

# The message catalogues (portal/translations/<language>/LC_MESSAGES/messages.po) compiled for the portal to
# read; the compiled .mo files are build output, never committed.
translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d portal/translations

# After marking strings: gather them into messages.pot and bring every language's catalogue up to date.
# --ignore-dirs replaces Babel's default, which skips folders starting with "_" such as templates/_macros.
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -w 100 --no-location --sort-output -k _l -k lazy_gettext -k lazy_ngettext:1,2 --ignore-dirs '.* __pycache__' -o portal/translations/messages.pot .
	$(BIN)/pybabel -q update -w 100 -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete

install: $(STAMP) ocr-engine translations

run: install
	$(BIN)/flask --app wsgi run-all

# The production profile on this machine: PostgreSQL, Redis, gunicorn, separate worker processes.
PROD_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1/portal
PROD_BROKER_URL ?= redis://127.0.0.1:6379/0
run-prod: install
	psql -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'portal'" | grep -q 1 \
		|| psql -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE portal"
	DATABASE_URL=$(PROD_DATABASE_URL) BROKER_URL=$(PROD_BROKER_URL) \
		$(BIN)/flask --app wsgi run-all --server gunicorn --web-workers 4 --worker-processes 2

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The layers (.importlinter, docs/architecture.md), lint and formatting: CI fails on any of them.
lint: install
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Every benchmark against its own baseline, measured in the same run; several minutes at the default sizes.
# A quicker run: make bench BENCH_APPLICATIONS=20000 BENCH_SECONDS=5 (the README lists every option).
bench: install
	$(BIN)/python bench/run_all.py

clean:
	@echo "Removing $(VENV) (the virtualenv), instance/ (the database, uploads, mail and secret key) and .pytest_cache"
	rm -rf $(VENV) instance .pytest_cache
