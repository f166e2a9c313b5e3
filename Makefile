# Infusion Planner -- two commands: `make run` starts the application, `make test` checks
# everything. Both create .venv and install the project on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PO     := resources/translations/fr/LC_MESSAGES/planner.po
MO     := $(PO:.po=.mo)
POT    := resources/translations/planner.pot

# Debian packages Qt needs to run (offscreen in tests, on screen for users), found from a
# clean debootstrap minbase bookworm (see docs/development.md).
QT_DEBS := libgl1 libegl1 libglib2.0-0 libxkbcommon0 libfontconfig1 libdbus-1-3
# ...and for a real X11 window.
X11_DEBS := libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
            libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
# ...and a virtual X server, for the tests that run under Qt's real X11 platform
# (tests/gui/test_x11.py): installed as root, else they skip and say so.
XVFB_DEBS := xvfb $(X11_DEBS)

.PHONY: run test setup sysdeps lint typecheck contracts pytest pytest-windows bench messages clean \
        ics-check screenshots package-check icons bundle bundle-check

# Without a display (no DISPLAY nor WAYLAND_DISPLAY) the X11 libraries are not asked for:
# main.py says that no display was found, where to turn instead, and exits with code 2.
run: setup
	$(BIN)/python main.py

test: setup lint typecheck contracts pytest pytest-windows

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Then the program as Windows and macOS run it: typeshed records what each system lacks
# (os.geteuid, time.CLOCK_BOOTTIME...) and mypy reads `sys.platform` tests (docs/development.md,
# "Platforms"). Each has its own cache: mypy's is not kept per platform.
typecheck: setup
	$(BIN)/mypy
	$(BIN)/mypy --platform win32 --cache-dir .mypy_cache/win32 planner main.py
	$(BIN)/mypy --platform darwin --cache-dir .mypy_cache/darwin planner main.py

contracts: setup
	$(BIN)/lint-imports

pytest: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The package as a user gets it (tools/check_package.py): the sdist and the wheel built from
# a copy of the source, the wheel installed alone into a new virtual environment outside the
# repository, and its two commands run from elsewhere (the window offscreen); the installed
# desktop files validated when desktop-file-validate and appstreamcli are there. About 20 s
# when pip finds the dependencies without downloading them. CI runs it after `make test`
# (.ci/run).
package-check: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.check_package

# The one-folder application (tools/build_bundle.py, packaging/infusion-planner.spec): the
# wheel installed with PyInstaller into a new virtual environment outside the repository,
# frozen from there into dist/infusion-planner/ (the window and the command line), packed
# as dist/infusion-planner-<version>-linux-<machine>.tar.gz. About 1 minute here.
bundle: setup
	$(BIN)/python -m tools.build_bundle

# The bundle as an IT department gets it (tools/check_bundle.py): unpacked elsewhere, its
# content read, and its programs run with a clean environment and an empty home: the
# command line's commands, the window offscreen, a shared unit when PostgreSQL is
# installed. CI runs it after `make package-check`.
bundle-check: bundle
	$(BIN)/python -m tools.check_bundle

# The icon's PNG sizes, rendered from its SVG (resources/icons/hicolor/scalable/apps/).
icons: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.make_icons

# The store and export tests again, the program taking its Windows branches
# (planner.platform.is_windows, forced by tests/__init__.py): about 15 s. What only Linux runs
# (the PostgreSQL trial server, the crash trials, mounts, the nine calendar programs) is left
# out; so are the core, which never asks (tests/test_portability.py), and the catalogue,
# which has no branch of its own. Each Windows branch is also tested directly (`windows`).
pytest-windows: setup
	PLANNER_AS_WINDOWS=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/store tests/export

# The shared iCalendar checker (tools/ics_check: nine real calendar implementations) that
# tests/export runs on the exports. It lives in a `shared/tools` folder beside this
# repository (or name it with ICS_CHECK=.../ics_check); installing needs Debian and root.
# Once it is installed, the export tests fail rather than skip when it cannot run.
ICS_CHECK ?= $(firstword $(wildcard ../shared/tools/ics_check ../../shared/tools/ics_check))
ics-check:
	@if [ -z "$(ICS_CHECK)" ]; then \
	  echo "ics_check not found beside the repository: the export tests will skip it"; \
	elif out=$$($(ICS_CHECK) --list-clients 2>/dev/null) && \
	     ! printf '%s\n' "$$out" | grep -qv '^available'; then \
	  echo "ics_check is installed: $(ICS_CHECK)"; \
	else \
	  bash $(dir $(ICS_CHECK))setup_ics_check.sh; \
	fi

bench: setup
	$(BIN)/python -m bench.bench_engine --json bench/results/engine.json
	$(BIN)/python -m bench.bench_store --json bench/results/store.json
	$(BIN)/python -m bench.bench_export --json bench/results/export.json
	$(BIN)/python -m bench.bench_chairs --json bench/results/chairs.json
	$(BIN)/python -m bench.bench_coordinators --json bench/results/coordinators.json
	$(BIN)/python -m bench.bench_startup --json bench/results/startup.json
	$(BIN)/python -m bench.bench_scale --json bench/results/scale.json
	$(BIN)/python -m bench.bench_optimiser --json bench/results/optimiser.json
	$(BIN)/python -m bench.bench_calendars --json bench/results/calendars.json

# The main screens in French and English, from a demo unit, for the README (the handout's
# first page needs poppler's pdftoppm: installed here on Debian as root, else say how).
screenshots: setup
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils; \
	  else echo "the handout picture needs pdftoppm: sudo apt-get install poppler-utils"; exit 1; fi; }
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m planner.gui.screenshots docs/screenshots

setup: sysdeps $(STAMP) $(MO)

# System libraries: installed when missing on Debian as root, otherwise the exact command.
sysdeps:
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  debs="$(QT_DEBS)"; \
	  if [ "$(MAKECMDGOALS)" = "run" ] && [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	    debs="$$debs $(X11_DEBS)"; \
	  fi; \
	  $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || debs="$$debs python3-venv"; \
	  missing=""; \
	  for p in $$debs; do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "Installing the system libraries Qt needs:$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	    else \
	      echo "Qt needs these system libraries; install them with:"; \
	      echo "  sudo apt-get install -y --no-install-recommends$$missing"; \
	      exit 1; \
	    fi; \
	  fi; \
	  if [ "$(MAKECMDGOALS)" != "run" ]; then \
	    missing=""; \
	    for p in $(XVFB_DEBS); do \
	      dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	    done; \
	    if [ -n "$$missing" ]; then \
	      if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	        echo "Installing a virtual X server for the X11 tests:$$missing"; \
	        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	      else \
	        echo "The X11 tests will skip without:$$missing (sudo apt-get install -y$$missing)"; \
	      fi; \
	    fi; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Infusion Planner needs Python 3.11 or newer ($(PYTHON) is $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,postgresql]'
	@touch $@

# Compiled translations are built from the .po sources (never committed); fuzzy entries
# are left out, so an unchecked translation never reaches a user.
$(MO): $(PO) $(STAMP)
	$(BIN)/pybabel compile --domain planner --input-file $(PO) --output-file $(MO)

# For developers: collect the messages from the code and merge them into the .po files.
messages: $(STAMP)
	$(BIN)/pybabel extract --mapping babel.cfg --no-location --sort-by-file \
	  --keywords N_ --keywords ngettext:1,2 --keywords pgettext:1c,2 \
	  --project "Infusion Planner" --copyright-holder "Infusion Planner developers" \
	  --output-file $(POT) .
	$(BIN)/pybabel update --domain planner --input-file $(POT) \
	  --output-dir resources/translations --no-wrap --ignore-obsolete

clean:
	rm -rf $(VENV) $(MO) .mypy_cache .ruff_cache .pytest_cache .hypothesis
