"""What a page job is: ``(template, PageInfo, context)``, and the helpers every kind makes them with."""
from __future__ import annotations

from dataclasses import dataclass

from . import urls as U
from .model import Pager, Site


@dataclass(frozen=True)
class PageInfo:
    """What the layout needs to know about the page it wraps."""
    title: str
    path: str
    url: str
    abs_url: str
    description: str
    kind: str                    # home | section | post | page | tag | tags | year | years | 404 | ...
    image: str = ""
    feed_url: str = ""
    feed_title: str = ""
    noindex: bool = False
    sitemap: bool = False        # listed in sitemap.xml
    lastmod: str = ""            # its <lastmod> there (ISO 8601), when known


def job(template: str, info: PageInfo, **context) -> tuple:
    return template, info, context


def info(site: Site, kind: str, title: str, path: str, description: str = "", **extra) -> PageInfo:
    """The PageInfo of a page at ``path`` (its links from the site's URLs; the site's description by default)."""
    urls = site.urls
    return PageInfo(title, path, urls.link(path), urls.absolute(path), description or site.config.description,
                    kind, **extra)


def output_file(job: tuple) -> str:
    """The file a page job writes, relative to the output folder."""
    return U.Urls.output_file(job[1].path)


def paged_title(title: str, pager: Pager) -> str:
    return title if pager.number == 1 else f"{title} - Trang {pager.number}"
