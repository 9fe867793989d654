# Passport Counter: the two commands a newcomer needs are `make run` and `make test`.
# Each installs what is missing (apt packages, cargo tools) and then does its job.

SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600
# Debian packages the core crates and their tests need, and the desktop shell's
# (Tauri 2 on WebKitGTK 4.1).
APT_CORE := build-essential pkgconf libssl-dev sqlite3 ca-certificates curl
# Printed documents: read back (poppler, zbar) and printed to a virtual PDF printer.
APT_PRINT := poppler-utils zbar-tools cups cups-client printer-driver-cups-pdf
# Smart cards: PC/SC, and the vpcd virtual reader the card tests plug cards into.
APT_CARDS := pcscd libpcsclite-dev vsmartcard-vpcd
# The photo scanner: SANE's scanimage and its backends (the `test` backend
# is the tests' and the demo's scanner; enabled per run by SANE_CONFIG_DIR).
APT_SCAN := sane-utils
APT_APP := libwebkit2gtk-4.1-dev libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev
# The UI's build (Node 20+) and the end-to-end test of the real window.
APT_UI := xvfb xauth webkit2gtk-driver
TAURI_DRIVER := $(HOME)/.cargo/bin/tauri-driver
APP := target/debug/passport-counter
# Tests keep the journal key files they make (one per data directory) here,
# not in the account's ~/.config.
TEST_CONFIG := $(CURDIR)/target/test-config
DEMO_DATA := $(CURDIR)/demo-data

.PHONY: help run demo-cli test deps ui ui-check app e2e check fmt clippy test-rust sqlx-prepare openapi bindings bench bench-app bench-keys bench-biometrics samples fonts

help:
	@echo "make run    start the counter in demo mode (installs what is missing)"
	@echo "make test   run every check and test (installs what is missing)"
	@echo "make bench  run the benchmarks recorded in docs/BENCHMARKS.md"

# Installs what the build and tests need, once: later runs find it and skip.
deps:
	@missing=$$(for p in $(APT_CORE) $(APT_PRINT) $(APT_CARDS) $(APT_SCAN) $(APT_APP) $(APT_UI); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done; \
	  command -v node >/dev/null || echo nodejs npm); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  $(APT) update -qq && $(APT) install -y -qq $$missing; \
	fi
	@command -v $(CARGO) >/dev/null || { echo "Rust is missing: install it from https://rustup.rs and run make again"; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt
	@major=$$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0); \
	  [ "$$major" -ge 20 ] || { echo "Node.js 20 or newer is needed for the UI build (found $$(node --version 2>/dev/null || echo none)): see https://nodejs.org"; exit 1; }
	@[ -x $(TAURI_DRIVER) ] || $(CARGO) install tauri-driver --locked --version '^2'

# The UI's packages (from package-lock.json) and its build into ui/dist,
# which the Tauri shell embeds: the Rust build of the app needs it first.
ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

ui: ui/node_modules/.package-lock.json
	cd ui && npm run build

ui-check: ui/node_modules/.package-lock.json
	cd ui && npm run check && npm test

run: deps ui app
	DEMO_DATA=$(DEMO_DATA) ./scripts/run-app.sh

# The command-line walk-through: counterctl against a simulator in an outage.
demo-cli: deps
	$(CARGO) build --release -p counterctl
	DEMO_DATA=$(DEMO_DATA) ./scripts/demo.sh

test: deps ui fmt clippy test-rust ui-check e2e

app: ui
	$(CARGO) build -p passport-counter-app -p virtual-card --locked

# The real app window under Xvfb, driven over WebDriver; screenshots in target/e2e/.
e2e: app
	XDG_CONFIG_HOME=$(TEST_CONFIG) node ui/e2e/run.mjs
	XDG_CONFIG_HOME=$(TEST_CONFIG) node ui/e2e/startfail.mjs

fmt:
	$(CARGO) fmt --all -- --check

clippy: ui
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# The shell's code is compiled (and linted) by clippy above and exercised by
# the end-to-end test; its services are tested in passport-counter-core.
test-rust:
	XDG_CONFIG_HOME=$(TEST_CONFIG) $(CARGO) test --workspace --exclude passport-counter-app --locked

# Refreshes the committed query cache (.sqlx/) after a query or migration
# changes: builds against a scratch database made from migrations/.
sqlx-prepare:
	@rm -rf .sqlx target/sqlx-prepare && mkdir -p .sqlx target/sqlx-prepare
	@for f in migrations/*.sql crates/register-sim/migrations/*.sql; do sqlite3 target/sqlx-prepare/schema.db < $$f; done
	touch crates/*/src/*.rs crates/*/src/*/*.rs 2>/dev/null || true
	SQLX_OFFLINE=false DATABASE_URL=sqlite://$(CURDIR)/target/sqlx-prepare/schema.db SQLX_OFFLINE_DIR=$(CURDIR)/.sqlx \
	  $(CARGO) check --workspace --all-targets
	@echo ".sqlx/ now holds $$(ls .sqlx | wc -l) queries"

# Rewrites docs/register-openapi.json from the contract's types.
openapi:
	UPDATE_OPENAPI=1 $(CARGO) test -p passport-register-contract --test openapi

# Sample PDFs (receipt, hand-over protocol, day report) with demo data.
samples:
	$(CARGO) run -q -p passport-documents --example samples -- target/samples

# Re-cuts the embedded fonts from Debian's DejaVu (fonts-dejavu-core, python3-fonttools).
fonts:
	for f in DejaVuSans DejaVuSans-Bold; do \
	  python3 -m fontTools.subset /usr/share/fonts/truetype/dejavu/$$f.ttf \
	    --unicodes="U+0020-007E,U+00A0-00FF,U+0100-017F,U+2013-2014,U+2018-201E,U+2022,U+2026,U+20AC" \
	    --layout-features='' --no-hinting --drop-tables+=FFTM,GSUB,GPOS,GDEF,kern \
	    --output-file=crates/documents/fonts/$$f-PL.ttf; \
	done

# Rewrites ui/src/lib/bindings.ts from the Rust types.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p passport-counter-core --test bindings

# Start-up time and idle memory of the app against a minimal Tauri 2 window.
bench-app: deps ui
	$(CARGO) build --release --locked -p passport-counter-app --bin passport-counter --example minimal
	node ui/e2e/bench.mjs target/release/passport-counter target/release/examples/minimal 5

# Keystrokes of the standard adult application in the real window, keyboard
# only (docs/BENCHMARKS.md: "navigation keystrokes beyond the data").
bench-keys: app
	node ui/e2e/keystrokes.mjs

bench: deps
	$(CARGO) bench -p passport-journal --bench journal
	$(CARGO) bench -p passport-sync --bench drain
	ulimit -n 20000; $(CARGO) bench -p passport-sync --bench herd
	$(CARGO) bench -p passport-documents --bench render
	$(CARGO) bench -p passport-biometrics --bench capture

# Discovery + two fingers through the MDS emulator against a bare HTTP
# client (docs/BENCHMARKS.md: "Fingerprint devices").
bench-biometrics:
	$(CARGO) bench -p passport-biometrics --bench capture -- --rounds 50
