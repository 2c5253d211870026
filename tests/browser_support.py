"""Real tools for the browser, accessibility, validity and web-server tests.

The sample portal is built once for the whole run with ``base_url`` under ``/tanduc/`` and served
by a real nginx (Debian's package, started here as a foreground process with a generated config);
pages are opened in the system's Chromium (/usr/bin/chromium) driven by Playwright; axe-core and the
Nu HTML Checker come from ``tests/js/node_modules`` (``npm ci`` there; ``.ci/browser.sh`` does it).

A missing tool FAILS the test that needs it (with the command that installs it): it never skips.

Test modules load the fixtures with ``pytest_plugins = ["browser_support"]`` so that the session
fixture ``portal`` (one build, one nginx) is shared by all of them; Chromium is started per module.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import NOW, ROOT, copy_sample, free_port, run, wait_port

from site_generator import headers

JS = ROOT / "tests" / "js"
NODE_MODULES = JS / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SUB = "/tanduc/"
INSTALL = "run `bash .ci/browser.sh` (as root) to install it"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def need(path: str | Path | None, what: str) -> str:
    """The path of a required tool, or a test failure (not a skip) naming how to install it."""
    if not path or not Path(path).exists():
        pytest.fail(f"{what} is missing ({path or 'not on PATH'}): {INSTALL}", pytrace=False)
    return str(path)


def nginx_binary() -> str:
    return need(shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None),
                "nginx (Debian package nginx)")


def java_binary() -> str:
    return need(shutil.which("java"), "java (Debian package default-jre-headless)")




def _mime_types() -> str:
    for candidate in ("/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types"):
        if Path(candidate).exists():
            return candidate
    pytest.fail(f"nginx's mime.types is missing: {INSTALL}", pytrace=False)


def nginx_config(prefix: Path, public: Path, port: int, sub: str = SUB, counter_port: int | None = None) -> str:
    """An nginx configuration as a portal would deploy it: the built folder aliased under ``sub``,
    the portal's own 404 page, UTF-8 charset on text types, Atom feeds as application/atom+xml, and
    the security headers exactly as the README gives them (headers.nginx)."""
    user = "user root;\n" if os.geteuid() == 0 else ""   # pytest's temp folders are private to us
    temp = "".join(f"    {name}_temp_path {prefix / 'temp' / name};\n"
                   for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    counter = ""
    if counter_port:
        counter = (f"    location /api/ {{\n"
                   f"      proxy_pass http://127.0.0.1:{counter_port};\n"
                   f"      proxy_set_header Host $host;\n"
                   f"      proxy_set_header X-Forwarded-For $remote_addr;\n    }}\n")
    redirects = public / "redirects.nginx.conf"      # the old portal's addresses, as the README says
    include = f"    include {redirects};\n" if redirects.is_file() else ""
    follow = "        if ($portal_redirect) { return 301 $portal_redirect; }\n" if include else ""
    editor = public / "editor.nginx.conf"           # the web editor's own policy, inside the portal's location
    admin = f"            include {editor};\n" if editor.is_file() else ""
    return f"""daemon off;
{user}worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
    include {_mime_types()};
    types {{ text/csv csv; text/calendar ics; text/yaml yml; }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/css text/plain text/xml text/csv text/calendar text/yaml application/javascript application/json
                  application/xml application/atom+xml image/svg+xml;
    sendfile on;
    gzip on;
    gzip_types text/css text/plain text/xml text/csv application/javascript application/json
               application/xml application/atom+xml image/svg+xml;
    access_log {prefix / 'access.log'};
{temp}{include}    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {prefix / 'empty'};
{follow}        error_page 404 {sub}404.html;
        location {sub} {{
            alias {public}/;
            index index.html;
{textwrap.indent(headers.nginx(""), " " * 12)}
            location ~ /feed\\.xml$ {{ types {{ }} default_type application/atom+xml; }}
{admin}        }}
{counter}    }}
}}
"""


@dataclass
class Nginx:
    process: subprocess.Popen
    prefix: Path
    port: int

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)          # graceful: master and its worker
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_nginx(prefix: Path, public: Path, port: int, sub: str = SUB, counter_port: int | None = None) -> Nginx:
    binary = nginx_binary()
    prefix.mkdir(parents=True, exist_ok=True)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "temp" / name).mkdir(parents=True, exist_ok=True)
    (prefix / "empty").mkdir(exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(prefix, public, port, sub, counter_port), encoding="utf-8")
    log = prefix / "stderr.log"
    args = ["-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")]   # no /var/log needed
    check = subprocess.run([binary, "-t", "-q", *args], capture_output=True, text=True)
    assert check.returncode == 0, f"nginx rejected its configuration:\n{check.stderr}\n{conf.read_text()}"
    with open(log, "wb") as out:
        process = subprocess.Popen([binary, *args], stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Nginx(process, prefix, port)
    try:
        wait_port(port, process, log)
    except Exception:
        server.stop()
        raise
    return server


def build_under_sub_path(root: Path, origin: str, sub: str = SUB, extra: dict | None = None) -> Path:
    """Build a copy of the sample portal with base_url ORIGIN + SUB, and EXTRA files (site path -> text)
    added; returns the output folder."""
    site = copy_sample(root / "site")
    for name, text in (extra or {}).items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    config = (site / "site.yaml").read_text(encoding="utf-8")
    config, count = re.subn(r'(?m)^base_url:.*$', f'base_url: "{origin}{sub}"', config)
    assert count == 1, "site.yaml has no base_url line"
    (site / "site.yaml").write_text(config, encoding="utf-8")
    public = root / "public"
    result = run("--site", str(site), "--output", str(public), "--now", NOW)
    assert result.returncode == 0, f"the sample portal did not build:\n{result.stderr}"
    return public


def is_old_address(file: Path) -> bool:
    """A page written at an old portal's address (aliases:): it only leads to the post."""
    return b'<meta http-equiv="refresh"' in file.read_bytes()[:2048]


@dataclass
class Portal:
    origin: str           # http://127.0.0.1:PORT
    public: Path          # the built folder nginx serves under SUB

    @property
    def base(self) -> str:
        return self.origin + SUB

    def url(self, path: str = "") -> str:
        """``url("tin-tuc/")`` -> http://127.0.0.1:PORT/tanduc/tin-tuc/"""
        return self.base + path.lstrip("/")

    def html_files(self) -> list[Path]:
        """The portal's pages (not the small pages at old addresses, which only lead to one: old_addresses;
        not the web editor's page, admin/: test_editor)."""
        return [f for f in sorted(self.public.rglob("*.html")) if not is_old_address(f)
                and not f.relative_to(self.public).as_posix().startswith("admin/")]

    def old_addresses(self) -> list[Path]:
        return [f for f in sorted(self.public.rglob("*.html")) if is_old_address(f)]

    def page_path(self, file: Path) -> str:
        """The served path of a built HTML file: public/tin-tuc/x/index.html -> /tanduc/tin-tuc/x/"""
        rel = file.relative_to(self.public).as_posix()
        return SUB + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


@pytest.fixture(scope="session")
def portal(tmp_path_factory) -> Portal:
    """The sample portal built under /tanduc/ and served by nginx on a free loopback port."""
    nginx_binary()
    root = tmp_path_factory.mktemp("nginx-portal")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    public = build_under_sub_path(root, origin)
    server = start_nginx(root / "nginx", public, port)
    yield Portal(origin, public)
    server.stop()


# --- Chromium through Playwright ----------------------------------------------------------------

def launch_chromium(playwright):
    need(CHROMIUM, "Chromium (Debian package chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module. Module scope, not session: Playwright's sync API allows one
    running instance per thread, and other test modules start their own."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"the Python package playwright is missing: pip install playwright ({INSTALL})", pytrace=False)
    manager = sync_playwright().start()
    try:
        chromium = launch_chromium(manager)
        yield chromium
        chromium.close()
    finally:
        manager.stop()


@pytest.fixture
def page_at(browser):
    """``page_at(width, height=..., javascript=True)`` -> a fresh page in its own context."""
    contexts = []

    def make(width: int = 1280, height: int = 900, javascript: bool = True):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                      java_script_enabled=javascript)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def run_axe(page, tags=WCAG, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core in the page and return its violations. It is evaluated through the DevTools
    protocol, as a tester's console would: the pages' Content-Security-Policy refuses inline script."""
    need(AXE, "axe-core (tests/js: npm ci)")
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    options = {"runOnly": {"type": "rule", "values": rules}} if rules else {"runOnly": {"type": "tag", "values": tags}}
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}")
        for node in v["nodes"][:5]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
