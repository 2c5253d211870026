#!/usr/bin/env bash
# System packages and browser-side tools the test suite needs (Debian/Ubuntu, as root or with sudo):
# Redis, wrk (counter), nginx, Chromium, Java + axe-core + the Nu HTML Checker (browser tests).
# Idempotent: installs only what is missing; any failure stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/services.sh
bash .ci/browser.sh
