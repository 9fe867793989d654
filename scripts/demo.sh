#!/usr/bin/env bash
# The demo-mode walk-through behind `make run`: a register simulator starts in
# an outage, the counter keeps taking applications, the register returns and
# `counterctl sync` delivers each of them once.
set -euo pipefail
cd "$(dirname "$0")/.."
ctl=./target/release/counterctl
data=${DEMO_DATA:-$PWD/demo-data}
mkdir -p "$data"

# Port 0: the system picks a free port; the simulator prints its address.
"$ctl" register-sim --listen "127.0.0.1:${DEMO_PORT:-0}" --db "$data/register-sim.db" --outage --retry-after 1 --test-admin > "$data/register-sim.log" 2>&1 &
sim=$!
trap 'kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null || true' EXIT
register=
for _ in $(seq 100); do
  register=$(grep -o 'http://[0-9.:]*' "$data/register-sim.log" 2>/dev/null | head -1) && [ -n "$register" ] && break
  kill -0 "$sim" 2>/dev/null || { cat "$data/register-sim.log"; exit 1; }
  sleep 0.1
done
[ -n "$register" ] || { echo "the register simulator did not start"; exit 1; }

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
c() { echo "\$ counterctl $*"; "$ctl" --data-dir "$data" --register "$register" "$@"; }

say "The register is down (simulated outage). The counter keeps working:"
# An adult's passport needs both index fingers and the signature: sample
# images stand in for the fingerprint device and the signature pad.
c application submit docs/examples/application-adult.json \
  --finger "Left IndexFinger=docs/examples/finger-left-index.png:82" \
  --finger "Right IndexFinger=docs/examples/finger-right-index.png:77" \
  --signature docs/examples/signature.png
c application submit docs/examples/application-minor.json
c status
say "A sync now ends at once as offline (exit 6); nothing is lost:"
c sync || true
say "The register comes back:"
curl -s -X POST -H 'content-type: application/json' -d '{"outage": false}' "$register/admin/faults" > /dev/null
c sync
c status
c application list
say "The register stored each application once:"
curl -s "$register/admin/stats" | head -c 300; echo
echo
echo "Data: $data (delete it to start over). Try: counterctl --help"
