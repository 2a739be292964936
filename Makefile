# fieldapp developer commands. `make help` lists them.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.stamp
BUNDLE_STAMP := $(VENV)/.stamp-bundle
MUTATION_STAMP := $(VENV)/.stamp-mutation
# The tablet app's PyInstaller bundle (`make bundle`) and the version its installer carries.
BUNDLE := dist/fieldapp
VERSION := $(shell sed -nE 's/^__version__ = "([^"]+)"/\1/p' fieldapp/__init__.py)

# Interpreter used to create the venv: the first of these that actually runs (pyenv shims may exist without
# the version behind them). Override with `make PYTHON=/path/to/python3.x`; it must be 3.11 or newer.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,python3.11 python3,$(shell $(p) -c 'print("$(p)")' 2>/dev/null)))
endif

# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k hlc -x"`.
PYTEST_ARGS ?=
# Parallel mutmut workers and the lowest acceptable score per module for `make mutation`.
MUTATION_JOBS ?= 2
MUTATION_MIN ?= 98
# Extra arguments for scripts/demo.py (`make demo`), e.g. DEMO_ARGS="--fresh --port 9000".
DEMO_ARGS ?=
# PostgreSQL used by the server contract tests (they fail, not skip, when it is unreachable; .ci/run starts it).
export FIELDAPP_TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

# Packages type-checked strictly (configured in pyproject.toml): the tablet side, its top-level modules
# included; folders not written yet are skipped. The server and the command line are checked strictly too.
MYPY_DIRS := $(wildcard fieldapp/domain fieldapp/store fieldapp/sync fieldapp/reports fieldapp/readmodels \
                        fieldapp/transport fieldapp/security fieldapp/qt fieldapp/ui fieldapp/server fieldapp/cli \
                        fieldapp/*.py)

.PHONY: help translations office-translations qm test lint bench bench-peer mutation demo screenshots office-screenshots bundle installer-check clean venv sysdeps sysdeps-gui check-layers typecheck

help: ## list the targets
	@echo "fieldapp - make targets:"
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 20
	@echo
	@echo "Variables: PYTEST_ARGS, DEMO_ARGS, PYTHON, FIELDAPP_TEST_PG_URL (now $(FIELDAPP_TEST_PG_URL))"

# pytest runs one process per core (pytest-xdist, whole files per process); a test that fails there is run
# again alone, in one process, and only that second verdict counts (docs/testing.md).
PYTEST_JOBS ?= 2

# Translations: the .ts catalogues are sources (committed, translated by people); the .qm files are built.
TS_FILES := resources/translations/fieldapp_es.ts resources/translations/fieldapp_en.ts
QM_FILES := $(TS_FILES:.ts=.qm)

translations: venv ## extract every translatable string of fieldapp/ into resources/translations/*.ts (pyside6-lupdate)
	$(BIN)/pyside6-lupdate -extensions py -no-obsolete fieldapp -ts resources/translations/fieldapp_es.ts
	$(BIN)/pyside6-lupdate -extensions py -no-obsolete -pluralonly fieldapp -ts resources/translations/fieldapp_en.ts

# The office pages' gettext catalogues (decision 0032): the .po files are sources, compiled in memory when
# the server first shows a language; messages.pot is what pybabel found this time.
OFFICE_TRANSLATIONS := fieldapp/server/office/translations

office-translations: venv ## extract the office pages' strings (pybabel, babel.cfg) and update the Spanish catalogue
	$(BIN)/pybabel extract -F babel.cfg -k ServiceInfo:2 --no-location --sort-output --project fieldapp-office \
	    -o $(OFFICE_TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(OFFICE_TRANSLATIONS)/messages.pot -d $(OFFICE_TRANSLATIONS) -l es \
	    --no-fuzzy-matching --ignore-obsolete --init-missing --ignore-pot-creation-date

qm: $(QM_FILES) ## compile the translations (pyside6-lrelease) into the .qm files the app loads

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

test: sysdeps venv qm check-layers typecheck ## install headless-Qt libs if missing, create .venv, compile translations, check layers and types, run pytest
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n $(PYTEST_JOBS) --dist loadfile --durations=20 $(PYTEST_ARGS) \
	    || QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest --lf --durations=10 $(PYTEST_ARGS)

lint: venv check-layers typecheck ## ruff check, ruff format --check, import contracts, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: venv ## run every benchmark in benchmarks/ (each prints its ratios against a floor measured in the same run)
	@shopt -s nullglob; scripts=(); for s in benchmarks/*.py; do [[ "$$(basename "$$s")" == _* ]] || scripts+=("$$s"); done; failed=(); \
	if (( $${#scripts[@]} == 0 )); then echo "no benchmarks/*.py yet"; exit 0; fi; \
	for s in "$${scripts[@]}"; do \
	    echo "== $$s"; \
	    QT_QPA_PLATFORM="$${QT_QPA_PLATFORM:-offscreen}" $(BIN)/python "$$s" || failed+=("$$s"); \
	done; \
	if (( $${#failed[@]} > 0 )); then echo "FAILED: $${failed[*]}" >&2; exit 1; fi

# Not part of `make test` or CI (~3 min on 2 cores). Starts from a clean mutants/ so the score is never a
# stale cache's; Hypothesis runs derandomized (profile "mutation") so two runs give the same score.
# Mutants known to be equivalent (no test can tell them apart) are listed with the reason in docs/testing.md.
mutation: $(MUTATION_STAMP) ## mutation-test domain/clock.py, devicetime.py and merge.py with tests/unit: score per module, survivors
	rm -rf mutants && mkdir mutants
	HYPOTHESIS_PROFILE=mutation QT_QPA_PLATFORM=offscreen $(BIN)/mutmut run --max-children $(MUTATION_JOBS) \
	    > mutants/run.log 2>&1 || { tail -n 40 mutants/run.log; exit 1; }
	$(BIN)/python scripts/mutation_report.py --min $(MUTATION_MIN)

bench-peer: venv ## fieldapp's sync beside PouchDB 9 + pouchdb-server 4.2 (installed here with npm ci), ratios printed
	cd benchmarks/peer && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	QT_QPA_PLATFORM="$${QT_QPA_PLATFORM:-offscreen}" $(BIN)/python benchmarks/peer/compare.py

demo: venv ## start a local back-office server with demo data and open the tablet app signed in to it
	@if [[ "$$(uname -s)" == Linux ]]; then scripts/ensure-system-deps --gui; fi
	$(BIN)/python scripts/demo.py $(DEMO_ARGS)

screenshots: venv sysdeps-gui qm ## every screen with demo data, under Xvfb, as PNGs in docs/screenshots/ (English; Spanish; Spanish in high contrast at the largest text)
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python scripts/screenshots.py
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python scripts/screenshots.py --language es
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python scripts/screenshots.py --language es --theme contrast --text-size large

office-screenshots: venv sysdeps ## every office web page with demo data, in headless Chromium, as docs/screenshots/office-*.png
	$(BIN)/python scripts/office_screenshots.py
	$(BIN)/python scripts/office_screenshots_i18n.py

bundle: sysdeps venv qm $(BUNDLE_STAMP) ## build the tablet app with PyInstaller into dist/fieldapp/, run its --self-test, check it carries no server part
	rm -rf build/pyinstaller $(BUNDLE)
	@started=$$(date +%s); \
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller installer/fieldapp.spec; \
	echo "bundle: $(BUNDLE) built in $$(( $$(date +%s) - started )) s, $$(du -sh $(BUNDLE) | cut -f1)"
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; cd "$$tmp"; \
	env -u FIELDAPP_RESOURCES -u FIELDAPP_PROFILE -u PYTHONPATH "$(CURDIR)/$(BUNDLE)/fieldapp" --self-test
	$(BIN)/python installer/check_bundle.py $(BUNDLE)

installer-check: ## compile the Windows installer (installer/windows/fieldapp.nsi) with makensis against the bundle
	scripts/ensure-system-deps --installer
	@if [[ ! -f $(BUNDLE)/_internal/base_library.zip ]]; then $(MAKE) --no-print-directory bundle; fi
	@started=$$(date +%s); \
	makensis -V2 -WX -DCHECK_ONLY -DVERSION=$(VERSION) -DBUNDLE_DIR="$(CURDIR)/$(BUNDLE)" -DOUT_DIR="$(CURDIR)/dist" \
	    installer/windows/fieldapp.nsi; \
	echo "installer-check: dist/fieldapp-$(VERSION)-setup.exe compiled in $$(( $$(date +%s) - started )) s," \
	     "$$(du -h dist/fieldapp-$(VERSION)-setup.exe | cut -f1) (from the Linux bundle; the Windows build differs)"

clean: ## remove .venv, caches, build/ and dist/
	rm -rf $(VENV) build dist mutants .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache *.egg-info
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

# --- building blocks -------------------------------------------------------------------------------------

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if [[ -z "$(PYTHON)" ]]; then echo "error: no python3.11 or python3 found on PATH; fieldapp needs Python >= 3.11" >&2; exit 1; fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	    echo "error: fieldapp needs Python >= 3.11, but $(PYTHON) is $$($(PYTHON) -V 2>&1)." \
	         "Install Python 3.11+ or run: make PYTHON=/path/to/python3.11 $(MAKECMDGOALS)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[dev]'
	touch $@

# PyInstaller (the `bundle` extra) only for `make bundle`, not for `make test`.
$(BUNDLE_STAMP): $(STAMP)
	$(BIN)/pip install -e '.[dev,bundle]'
	touch $@

$(MUTATION_STAMP): $(STAMP)
	$(BIN)/pip install -e '.[dev,mutation]'
	touch $@

sysdeps:
	scripts/ensure-system-deps --installer

sysdeps-gui:
	scripts/ensure-system-deps --gui

# Layer rules (which package may import which, Qt only in qt/ui/reports/app) live in pyproject.toml.
check-layers: venv
	$(BIN)/lint-imports

typecheck: venv
ifeq ($(strip $(MYPY_DIRS)),)
	@echo "mypy: none of the tablet's packages exists yet; skipped"
else
	$(BIN)/mypy $(MYPY_DIRS)
endif
