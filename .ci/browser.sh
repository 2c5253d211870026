#!/usr/bin/env bash
# Install what the browser, accessibility, validity and web-server tests need (tests/test_browser.py,
# test_accessibility.py, test_html_validity.py, test_nginx.py): Debian's nginx, Chromium and a Java
# runtime, then axe-core and the Nu HTML Checker (vnu-jar) from npm into tests/js/node_modules.
# Idempotent and non-interactive; any failure stops the run (set -e). Called by .ci/run before pytest.
# The Python package playwright belongs to the project's test extra (pip install -e '.[test]'); when
# the virtual environment ${VENV:-.venv} exists already, it is also installed there (no browser download:
# the tests drive /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

export DEBIAN_FRONTEND=noninteractive
need_apt=0
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt=1
[ -x /usr/sbin/apache2 ] || need_apt=1
[ -x /usr/bin/chromium ] || need_apt=1
command -v java >/dev/null 2>&1 || need_apt=1
if [ "$need_apt" = 1 ]; then
  as_root apt-get update -q
  # nginx and Apache are only run by the tests themselves (own config, free loopback port); the
  # packages' services are not needed. Chromium: never a browser downloaded by a test tool.
  as_root apt-get install -y -q --no-install-recommends nginx apache2 chromium default-jre-headless
fi

# Fail loudly when something is still missing.
nginx -v
/usr/sbin/apache2 -v | head -n 1
/usr/bin/chromium --version
java -version 2>&1 | head -n 1
node --version
npm --version

# axe-core and vnu-jar, exactly as locked. --ignore-scripts: vnu-jar's postinstall would download
# a Java runtime from the Internet; the system's Java (default-jre-headless) runs vnu.jar instead.
if ! (cd tests/js && npm ls --depth=0 >/dev/null 2>&1); then
  (cd tests/js && npm ci --ignore-scripts --no-audit --no-fund)
fi
test -f tests/js/node_modules/axe-core/axe.min.js
test -f tests/js/node_modules/vnu-jar/build/dist/vnu.jar
java -jar tests/js/node_modules/vnu-jar/build/dist/vnu.jar --version

venv="${VENV:-.venv}"
if [ -x "$venv/bin/python" ]; then
  "$venv/bin/python" -c 'import playwright' 2>/dev/null || "$venv/bin/pip" install -q 'playwright>=1.45'
  "$venv/bin/python" -c 'import playwright.sync_api'
fi
echo "browser.sh: nginx, apache2, chromium, java, axe-core and vnu-jar are ready"
