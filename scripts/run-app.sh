#!/usr/bin/env bash
# `make run`: the app in demo mode (nothing configured: the register
# simulator runs embedded on 127.0.0.1 with demo data). With a display it
# opens the window; without one it runs under Xvfb and saves a screenshot.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${DEMO_DATA:-$PWD/demo-data}
mkdir -p "$data"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  echo "Demo mode: data in $data. Log in as demo-clerk / demo (or demo-supervisor / demo)."
  echo "Alt+Shift+O cuts the register, Alt+Shift+R restores it; Alt+1…5 switch screens."
  exec env PASSPORT_COUNTER_DATA="$data" ./target/debug/passport-counter
fi
exec node ui/e2e/screenshot.mjs "$data" target/demo/screenshot.png
