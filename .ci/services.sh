#!/usr/bin/env bash
# Debian packages the view-counter tests and bench need: a real Redis server, Debian's Chromium
# (driven by Playwright through executable_path, never a downloaded browser) and wrk (bench/).
# Idempotent: installs only what is missing; fails loudly when an install fails.
set -euo pipefail

need=()
[ -x /usr/bin/redis-server ] || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
# fonts so that Chromium lays out Vietnamese text as a reader sees it
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)

if [ ${#need[@]} -gt 0 ]; then
  echo "services.sh: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi


for binary in /usr/bin/redis-server /usr/bin/chromium; do
  [ -x "$binary" ] || { echo "services.sh: $binary is still missing" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "services.sh: wrk is still missing" >&2; exit 1; }
echo "services.sh: redis-server $(/usr/bin/redis-server --version | grep -o 'v=[0-9.]*'), $(/usr/bin/chromium --version 2>/dev/null | head -1), wrk ready"
