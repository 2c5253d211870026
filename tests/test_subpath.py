"""The built site served by a plain static web server from a sub-path, crawled link by link."""
from __future__ import annotations

import functools
import re
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import NOW, copy_sample, run

BASE = "https://example.gov.vn/tanduc/"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("subpath")
    site = copy_sample(tmp / "site")
    config = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(re.sub(r'base_url: "[^"]*"', f'base_url: "{BASE}"', config), encoding="utf-8")
    www = tmp / "www"
    result = run("--site", str(site), "--output", str(www / "tanduc"), "--now", NOW)
    assert result.returncode == 0, result.stderr
    handler = functools.partial(QuietHandler, directory=str(www))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", www / "tanduc"
    server.shutdown()
    server.server_close()


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        return err.code, b"", ""


def links_of(html: bytes) -> list[str]:
    doc = BeautifulSoup(html, "html.parser")
    found = [tag.get("href") for tag in doc.find_all(["a", "link"])]
    found += [tag.get("src") for tag in doc.find_all(["img", "script"])]
    return [link for link in found if link]


def test_every_internal_link_resolves_under_the_sub_path(served):
    origin, _ = served
    seen, queue, broken, escaped = set(), ["/tanduc/"], [], []
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        status, body, kind = fetch(origin + path)
        if status != 200:
            broken.append(path)
            continue
        if "text/html" not in kind:
            continue
        for link in links_of(body):
            if link.startswith(BASE):                       # canonical, og:url, feed links
                link = "/tanduc/" + link[len(BASE):]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "mailto:", "tel:")):
                continue
            target = urljoin(path, parts.path)
            if not target.startswith("/tanduc/"):
                escaped.append((path, link))
            queue.append(target)
    assert not broken, broken
    assert not escaped, escaped
    assert len(seen) > 60


def test_feeds_and_sitemap_carry_the_sub_path(served):
    origin, public = served
    for loc in ET.parse(public / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        assert loc.text.startswith(BASE)
        assert fetch(origin + "/tanduc/" + loc.text[len(BASE):])[0] == 200
    feed = ET.parse(public / "feed.xml").getroot()
    for link in feed.iter("{http://www.w3.org/2005/Atom}link"):
        assert link.get("href").startswith(BASE)
    content = "".join(c.text for c in feed.iter("{http://www.w3.org/2005/Atom}content"))
    assert 'href="/tanduc/' not in content
    assert "Sitemap: " + BASE + "sitemap.xml" in (public / "robots.txt").read_text()


def test_missing_page_gets_the_404_page_links_that_work(served):
    origin, public = served
    assert fetch(origin + "/tanduc/khong-co-trang-nay/")[0] == 404
    doc = BeautifulSoup((public / "404.html").read_bytes(), "html.parser")
    for link in links_of((public / "404.html").read_bytes()):
        if link.startswith("/"):
            assert link.startswith("/tanduc/")
            assert fetch(origin + link)[0] == 200, link
    assert doc.h1.get_text() == "Không tìm thấy trang"
