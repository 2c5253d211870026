"""Every URL and output path of the portal, decided in one place.

A page's *path* is site-relative with a trailing slash (``tin-tuc/bai-viet/``,
``""`` for home); :class:`Urls` turns it into the link a reader follows (the
base_url's sub-path included: ``/tanduc/tin-tuc/bai-viet/``), the absolute URL
feeds and the sitemap need, and the file the writer creates
(``tin-tuc/bai-viet/index.html``).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import quote, urlsplit

PAGE_SEGMENT = "trang"      # /tin-tuc/trang/2/
TAGS = "the"
ARCHIVE = "luu-tru"
SEARCH = "tim-kiem"
INSPECTIONS = "kiem-tra"
UNITS = "don-vi"
DATA = "du-lieu"
FEED = "feed.xml"


@dataclass(frozen=True)
class Urls:
    base_url: str                       # "https://example.gov.vn/tanduc/"

    @cached_property
    def prefix(self) -> str:
        """The sub-path every link starts with: "/" or "/tanduc/"."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @cached_property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def link(self, path: str) -> str:
        """Root-relative link, with the sub-path: works on any static host and from the 404 page."""
        return _quoted(self.prefix + path)

    def absolute(self, path: str) -> str:
        return self.origin + self.link(path)

    @staticmethod
    def output_file(path: str) -> str:
        """The file written for a path: pages are ``index.html`` in their folder."""
        if path == "" or path.endswith("/"):
            return path + "index.html"
        return path


@lru_cache(maxsize=1 << 18)
def _quoted(path: str) -> str:
    return quote(path, safe="/:#?=&%~.-_")


# ---------------------------------------------------------------- paths of each kind of page

def home() -> str:
    return ""


def paged(path: str, number: int) -> str:
    return path if number <= 1 else f"{path}{PAGE_SEGMENT}/{number}/"


def section(name: str, number: int = 1) -> str:
    return paged(f"{name}/", number)


def post(section_name: str, slug: str) -> str:
    return f"{section_name}/{slug}/"


DOCUMENT_FACETS = {"year": "nam", "type": "loai", "issuer": "co-quan", "field": "linh-vuc"}


def document_index(section_name: str) -> str:
    """The small index the registry's filter box reads."""
    return f"{section_name}/chi-muc.json"


def document_facet(section_name: str, facet: str, slug: str, number: int = 1) -> str:
    """A documents section's list by year, type, issuer or field: van-ban/loai/ke-hoach/"""
    return paged(f"{section_name}/{DOCUMENT_FACETS[facet]}/{slug}/", number)


def tags_index() -> str:
    return f"{TAGS}/"


def tag(slug: str, number: int = 1) -> str:
    return paged(f"{TAGS}/{slug}/", number)


def archive_index() -> str:
    return f"{ARCHIVE}/"


def archive(year: int, number: int = 1) -> str:
    return paged(f"{ARCHIVE}/{year}/", number)


def site_feed() -> str:
    return FEED


def section_feed(name: str) -> str:
    return f"{name}/{FEED}"


def search() -> str:
    return f"{SEARCH}/"


def search_data(name: str) -> str:
    return f"{SEARCH}/du-lieu/{name}"


def inspections_index() -> str:
    return f"{INSPECTIONS}/"


def inspections_page(number: int) -> str:
    return paged(f"{INSPECTIONS}/", number)


def inspection(slug: str) -> str:
    return f"{INSPECTIONS}/{slug}/"


def inspections_by_year(year: int) -> str:
    return f"{INSPECTIONS}/nam/{year}/"


def inspections_by_unit(slug: str) -> str:
    return f"{INSPECTIONS}/{UNITS}/{slug}/"


RESERVED_INSPECTION_SLUGS = (PAGE_SEGMENT, "nam", UNITS)


def units_index() -> str:
    return f"{UNITS}/"


def unit(slug: str) -> str:
    return f"{UNITS}/{slug}/"


def unit_feed(slug: str) -> str:
    return f"{UNITS}/{slug}/{FEED}"


def open_data(name: str) -> str:
    """kiem-tra.json, kiem-tra.csv, kiem-tra.schema.json"""
    return f"{DATA}/{name}"


def open_data_page() -> str:
    return f"{DATA}/"


def catalogue() -> str:
    return "danh-muc-thong-tin/"


def site_map() -> str:
    """"Sơ đồ cổng": the readable tree of sections and their pages (sitemap.xml is the machines' list)."""
    return "so-do-cong/"


def privacy() -> str:
    return "quyen-rieng-tu/"


def statistics() -> str:
    """The office's statistics page (with counter.url): charts of views, ratings and the open data."""
    return "thong-ke/"


def admin() -> str:
    """The web editor (site.yaml ``editor:``): its page, its generated settings and the CMS's scripts."""
    return "admin/"


def reserved_folders() -> tuple:
    """The first folder of every address the portal makes itself, and of the files it serves (attachments under
    ``files/``, the theme's ``css/`` and ``js/``, the counter's ``api/``): no section may take one of them."""
    made = (tags_index(), archive_index(), search(), inspections_index(), units_index(), open_data_page(),
            catalogue(), site_map(), privacy(), statistics(), admin())
    served = ("files", "static", "css", "js", "api", "trang-chu")
    return tuple(dict.fromkeys([*(p.split("/", 1)[0] for p in made), *served]))


def not_found() -> str:
    return "404.html"


def sitemap() -> str:
    return "sitemap.xml"


def robots() -> str:
    return "robots.txt"


def htaccess() -> str:
    return ".htaccess"


def web_config() -> str:
    return "web.config"


def nginx_redirects() -> str:
    return "redirects.nginx.conf"


def nginx_editor() -> str:
    """The web editor's own headers, for nginx (include it inside the portal's ``location``)."""
    return "editor.nginx.conf"


def asset(content_path: str) -> str:
    """A file under content/ keeps its path: content/files/a.pdf -> files/a.pdf."""
    return content_path


def static(relative: str) -> str:
    return relative


# ---------------------------------------------------------------- editors' relative paths

def resolve(from_content_path: str, target: str) -> str | None:
    """Resolve a path written in a post to a content-relative path.

    ``../files/a.pdf`` is relative to the post's folder; ``/files/a.pdf`` is
    relative to content/. Returns None when the path leads outside content/.
    """
    target = target.split("#", 1)[0].split("?", 1)[0]
    if target.startswith("/"):
        joined = posixpath.normpath(target.lstrip("/"))
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_content_path), target))
    if joined.startswith("..") or joined.startswith("/") or joined == ".":
        return None
    return joined


def is_external(target: str) -> bool:
    """Links with a scheme (https:, mailto:, tel:) or protocol-relative ones are left alone."""
    parts = urlsplit(target)
    return bool(parts.scheme) or target.startswith("//")
