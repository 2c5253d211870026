"""The Content-Security-Policy in Chromium: the portal's own pages break none of it (search, counter
script, tables with aligned cells), and it stops what a hostile template or body would load or run.

The portal is served by a real nginx with the README's headers; the hostile site is a copy of the
sample portal whose own template override adds an inline script, an inline handler, a third-party
script and a third-party image (what a compromised theme or a pasted widget would add).
"""
from __future__ import annotations

import http.server
import threading

import pytest

pytest.register_assert_rewrite("browser_support")
pytest_plugins = ["browser_support"]

from browser_support import SUB, start_nginx  # noqa: E402
from conftest import NOW, ROOT, copy_sample, free_port, run  # noqa: E402


def violations(page) -> list:
    found: list = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text else None)
    return found


PAGES = ["", "tin-tuc/", "tin-tuc/ket-qua-tiep-cong-dan-giai-quyet-don-thu-9-thang-dau-nam-2023/",
         "kiem-tra/cchc-2021/", "don-vi/", "tim-kiem/?q=cai+cach", "404.html"]


def test_the_portal_s_own_pages_break_none_of_the_policy(portal, page_at):
    page = page_at(1280)
    seen = violations(page)
    for path in PAGES:
        page.goto(portal.url(path), wait_until="networkidle")
        assert page.evaluate("document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]') !== null"), path
    assert seen == [], "\n".join(seen)
    page.goto(portal.url("tim-kiem/?q=cai+cach+hanh+chinh"), wait_until="networkidle")
    assert page.locator("#ket-qua-tim-kiem li").count() > 0, "search does not work under the policy"


class _ThirdParty(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):                      # noqa: N802 (the standard library's name)
        _ThirdParty.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/javascript" if self.path.endswith(".js") else "image/png")
        self.end_headers()
        self.wfile.write(b"document.documentElement.dataset.third = 'ran'" if self.path.endswith(".js") else b"")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def third_party():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ThirdParty)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, third_party):
    root = tmp_path_factory.mktemp("csp")
    site = copy_sample(root / "site")
    port = free_port()
    config = (site / "site.yaml").read_text(encoding="utf-8")
    config = "\n".join(f'base_url: "http://127.0.0.1:{port}{SUB}"' if line.startswith("base_url:") else line
                       for line in config.splitlines()) + "\n"
    (site / "site.yaml").write_text(config, encoding="utf-8")
    (site / "templates").mkdir(exist_ok=True)
    theme = (ROOT / "site_generator" / "theme" / "templates" / "base.html").read_text(encoding="utf-8")
    planted = ('<script>document.documentElement.dataset.inline = "ran"</script>'
               '<img src="x" onerror="document.documentElement.dataset.handler = \'ran\'" alt="">'
               f'<script src="{third_party}/evil.js"></script>'
               f'<img id="third-party" src="{third_party}/pixel.png" alt="">')
    (site / "templates" / "base.html").write_text(theme.replace("</body>", planted + "</body>"), encoding="utf-8")
    public = root / "public"
    result = run("--site", str(site), "--output", str(public), "--now", NOW)
    assert result.returncode == 0, result.stderr
    server = start_nginx(root / "nginx", public, port)
    yield f"http://127.0.0.1:{port}{SUB}"
    server.stop()


def test_the_policy_stops_inline_script_handlers_and_third_parties(hostile, page_at):
    page = page_at(1280)
    seen = violations(page)
    _ThirdParty.hits.clear()
    page.goto(hostile, wait_until="networkidle")
    for marker in ("inline", "handler", "third"):
        assert page.evaluate(f"document.documentElement.dataset.{marker}") is None, f"the {marker} script ran"
    assert _ThirdParty.hits == [], "the third-party server was asked for " + ", ".join(_ThirdParty.hits)
    assert len(seen) >= 4, "\n".join(seen)


def test_apache_and_iis_get_the_same_headers_from_the_copied_folder(portal):
    import xml.etree.ElementTree as ET

    from site_generator import headers

    wanted = headers.response_headers("")
    htaccess = (portal.public / ".htaccess").read_text(encoding="utf-8")
    for name, value in wanted:
        assert f'Header always set {name} "{value}"' in htaccess
    assert f"ErrorDocument 404 {SUB}404.html" in htaccess
    config = ET.fromstring((portal.public / "web.config").read_bytes())
    added = {e.get("name"): e.get("value") for e in config.find("system.webServer").iter("add") if e.get("name")}
    assert added == dict(wanted), "the portal's own headers (the web editor's folder has its own: test_editor)"
    assert config.find(".//error[@statusCode='404']").get("path") == f"{SUB}404.html"
