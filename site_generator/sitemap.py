"""sitemap.xml and robots.txt: functions of the model."""
from __future__ import annotations

from . import urls as U
from .jobs import jobs
from .model import Site
from .text import xml_text


def sitemap_paths(site: Site, pages: list | None = None) -> list[tuple[str, str]]:
    """(path, lastmod) of every page a search engine should know: the render jobs that say so (``pages``:
    jobs(site), when the caller has listed them already)."""
    return [(job[1].path, job[1].lastmod) for job in (jobs(site) if pages is None else pages) if job[1].sitemap]


def sitemap_xml(site: Site, pages: list | None = None) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, lastmod in sitemap_paths(site, pages):
        out.append(f"  <url><loc>{xml_text(site.urls.absolute(path))}</loc>"
                   + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    out.append("</urlset>\n")
    return "\n".join(out).encode("utf-8")


def robots_txt(site: Site) -> bytes:
    closed = f"Disallow: {site.urls.link(U.admin())}\n" if site.config.editor is not None else ""
    return (f"User-agent: *\nAllow: /\n{closed}\nSitemap: {site.urls.absolute(U.sitemap())}\n").encode("utf-8")
