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
APT_APP := libwebkit2gtk-4.1-dev libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev
DEMO_DATA := $(CURDIR)/demo-data

.PHONY: help run test deps check fmt clippy test-rust sqlx-prepare openapi bench

help:
	@echo "make run    start the counter in demo mode (installs what is missing)"
	@echo "make test   run every check and test (installs what is missing)"
	@echo "make bench  run the benchmarks recorded in docs/BENCHMARKS.md"

# Installs what the build and tests need, once: later runs find it and skip.
deps:
	@missing=$$(for p in $(APT_CORE) $(APT_APP); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  $(APT) update -qq && $(APT) install -y -qq $$missing; \
	fi
	@command -v $(CARGO) >/dev/null || { echo "Rust is missing: install it from https://rustup.rs and run make again"; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt

run: deps
	$(CARGO) build --release -p counterctl
	DEMO_DATA=$(DEMO_DATA) ./scripts/demo.sh

test: deps fmt clippy test-rust

fmt:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# The desktop shell has no tests of its own yet; clippy above compiles it.
test-rust:
	$(CARGO) test --workspace --exclude passport-counter-app --locked

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

bench: deps
	$(CARGO) bench -p passport-journal --bench journal
	$(CARGO) bench -p passport-sync --bench drain
	ulimit -n 20000; $(CARGO) bench -p passport-sync --bench herd
