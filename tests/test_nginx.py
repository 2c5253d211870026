"""The built sample portal served by a real nginx under /tanduc/: every link and asset answers
with the right Content-Type, and a missing path gets the portal's own 404 page."""
from __future__ import annotations

import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

pytest.register_assert_rewrite("browser_support")
pytest_plugins = ["browser_support"]           # shared fixtures: one build and one nginx per run

from browser_support import SUB  # noqa: E402
from conftest import ROOT  # noqa: E402

from site_generator import headers  # noqa: E402

# What each kind of file must be served as (the first part of Content-Type).
CONTENT_TYPES = {
    ".html": ("text/html",),
    ".css": ("text/css",),
    ".js": ("application/javascript", "text/javascript"),
    ".svg": ("image/svg+xml",),
    ".png": ("image/png",),
    ".jpg": ("image/jpeg",),
    ".jpeg": ("image/jpeg",),
    ".webp": ("image/webp",),
    ".pdf": ("application/pdf",),
    ".json": ("application/json",),
    ".csv": ("text/csv",),
    ".ics": ("text/calendar",),
    ".yml": ("text/yaml",),
    ".txt": ("text/plain",),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
}
FEED_TYPES = ("application/atom+xml", "application/xml")
XML_TYPES = ("application/xml", "text/xml")
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "application/atom+xml")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):   # a link must name the final address itself
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with OPENER.open(url, timeout=15) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers.get("Content-Type", "")


def expected_types(path: str) -> tuple[str, ...]:
    name = path.rsplit("/", 1)[-1]
    if path.endswith("/") or name.endswith(".html"):
        return CONTENT_TYPES[".html"]
    if name == "feed.xml" or name.endswith(".atom"):
        return FEED_TYPES
    if name.endswith(".xml"):
        return XML_TYPES
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    return CONTENT_TYPES.get(suffix, ())


def html_links(body: bytes) -> list[str]:
    doc = BeautifulSoup(body, "html.parser")
    found = [tag.get("href") for tag in doc.find_all(["a", "link", "area"])]
    found += [tag.get("src") for tag in doc.find_all(["img", "script", "source", "iframe", "audio", "video"])]
    for tag in doc.find_all(["img", "source"], srcset=True):
        found += [part.split()[0] for part in tag["srcset"].split(",") if part.strip()]
    for tag in doc.find_all("meta", property=("og:image", "og:url")):
        found.append(tag.get("content"))
    return [link for link in found if link]


def xml_links(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    found = [el.text for el in root.iter() if el.tag.endswith("}loc") and el.text]            # sitemap
    found += [el.get("href") for el in root.iter() if el.tag.endswith("}link") and el.get("href")]  # Atom
    return found


def crawl(portal) -> tuple[dict, list, list]:
    """Every internal address reachable from the home page, robots.txt and the sitemap."""
    origin = portal.origin
    seen: dict[str, tuple[int, str, str]] = {}     # path -> (status, content type, first referrer)
    queue = [(SUB, "start"), (SUB + "robots.txt", "start"), (SUB + "sitemap.xml", "start"), (SUB + "feed.xml", "start")]
    escaped, problems = [], []
    while queue:
        path, referrer = queue.pop()
        if path in seen:
            continue
        status, body, kind = fetch(origin + path)
        seen[path] = (status, kind, referrer)
        if status != 200:
            continue
        if kind.startswith("text/html"):
            links = html_links(body)
        elif path.endswith(".xml"):
            try:
                links = xml_links(body)
            except ET.ParseError as err:
                problems.append(f"{path}: not well-formed XML ({err})")
                continue
        elif path.endswith("robots.txt"):
            links = [line.split(":", 1)[1].strip() for line in body.decode().splitlines()
                     if line.lower().startswith("sitemap:")]
        else:
            continue
        for link in links:
            absolute = urljoin(origin + path, link)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
                continue                                   # external (or mailto:, tel:)
            if not parts.path.startswith(SUB):
                escaped.append(f"{path} -> {link}")
                continue
            queue.append((parts.path, path))
    return seen, escaped, problems


def test_every_link_and_asset_is_served_with_its_content_type(portal):
    seen, escaped, problems = crawl(portal)
    broken = [f"{path} ({status}, linked from {ref})" for path, (status, _, ref) in seen.items() if status != 200]
    wrong = []
    for path, (status, kind, ref) in seen.items():
        if status != 200:
            continue
        expected = expected_types(path)
        if not expected:
            wrong.append(f"{path}: no expected type known for this extension (served as {kind!r})")
        elif kind.split(";")[0].strip() not in expected:
            wrong.append(f"{path}: {kind!r}, expected one of {expected}")
        elif kind.startswith(TEXT_TYPES) and "charset=utf-8" not in kind.lower().replace(" ", ""):
            wrong.append(f"{path}: {kind!r} has no charset=utf-8")
    assert not broken, "not found or redirected:\n" + "\n".join(sorted(broken))
    assert not escaped, "links that leave the sub-path:\n" + "\n".join(escaped)
    assert not wrong, "wrong Content-Type:\n" + "\n".join(sorted(wrong))
    assert not problems, "\n".join(problems)
    # the crawl really went everywhere: every built page was reached
    stubs = {portal.page_path(f): f for f in portal.old_addresses()}
    pages = {portal.page_path(f) for f in portal.html_files()} - {SUB + "404.html"}
    assert pages - set(seen) == set(), f"built pages no link leads to: {sorted(pages - set(seen))}"
    assert stubs, "the sample's old addresses (aliases:) have no page"
    for path, file in stubs.items():        # an old address's page is linked from nowhere, and leads to a page
        target = BeautifulSoup(file.read_bytes(), "html.parser").find("meta", attrs={"http-equiv": "refresh"})
        assert seen.get(target["content"].split("url=", 1)[1], (0,))[0] == 200, path
    kinds = {expected_types(path)[0] for path in seen}
    for kind in ("text/html", "text/css", "image/svg+xml", "image/png", "application/pdf", "application/atom+xml"):
        assert kind in kinds, f"the crawl found no {kind} file: {sorted(kinds)}"


def test_a_missing_path_gets_the_portal_404_page(portal):
    page_404 = (portal.public / "404.html").read_bytes()
    for path in ("khong-co-trang-nay/", "tin-tuc/khong-co-bai-nay/", "files/khong-co.pdf", "css/khong-co.css"):
        status, body, kind = fetch(portal.url(path))
        assert status == 404, path
        assert kind.startswith("text/html"), (path, kind)
        assert body == page_404, f"{path}: the 404 body is not the portal's 404 page"
    doc = BeautifulSoup(page_404, "html.parser")
    assert doc.h1.get_text(strip=True) == "Không tìm thấy trang"
    for link in html_links(page_404):                     # its own links and assets resolve from anywhere
        absolute = urljoin(portal.url("a/b/c/"), link)
        if absolute.startswith(portal.origin) and not link.startswith("#"):
            assert fetch(absolute)[0] == 200, link


def test_feeds_sitemap_and_robots_point_into_the_sub_path(portal):
    status, body, kind = fetch(portal.url("sitemap.xml"))
    assert status == 200
    locs = xml_links(body)
    assert locs and all(loc.startswith(portal.base) for loc in locs), locs[:5]
    status, body, kind = fetch(portal.url("robots.txt"))
    assert status == 200 and kind.startswith("text/plain")
    assert f"Sitemap: {portal.base}sitemap.xml" in body.decode()
    status, body, kind = fetch(portal.url("feed.xml"))
    assert status == 200 and kind.startswith(FEED_TYPES), kind
    root = ET.fromstring(body)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert all(link.startswith(portal.base) for link in xml_links(body))


def test_every_answer_carries_the_security_headers(portal):
    """What the README tells an nginx admin to add reaches the reader with every file and the 404."""
    wanted = dict(headers.response_headers(""))
    for path in ("", "tin-tuc/", "css/site.css", "files/ket-luan-123-kl-ubnd.pdf", "feed.xml", "khong-co/"):
        request = urllib.request.Request(portal.url(path))
        try:
            response = OPENER.open(request, timeout=15)
        except urllib.error.HTTPError as err:
            response = err
        with response:
            got = {name: response.headers.get(name) for name in wanted}
        assert got == wanted, path


def test_the_readme_gives_the_headers_the_tests_serve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in headers.nginx("").splitlines():
        assert line in readme, f"README's nginx block lacks: {line}"
