"""sitemap.xml and robots.txt: functions of the model."""
from __future__ import annotations

from xml.sax.saxutils import escape

from . import urls as U
from .model import Site


def sitemap_paths(site: Site) -> list[tuple[str, str]]:
    """(path, lastmod) of every page a search engine should know, in a fixed order."""
    newest = site.listed[0].last_modified.at.isoformat() if site.listed else ""
    entries = [(U.home(), newest)]
    for section in site.sections:
        entries.append((section.path, section.posts[0].last_modified.at.isoformat()
                        if section.posts and section.posts[0].last_modified else ""))
    for post in site.posts:
        if post.draft or post.future:
            continue
        modified = post.last_modified
        entries.append((post.path, modified.at.isoformat() if modified else ""))
    entries.append((U.tags_index(), ""))
    entries += [(tag.path, "") for tag in site.tags]
    records = site.records
    if records is not None:
        entries.append((U.inspections_index(), ""))
        entries += [(i.path, max(s.post.last_modified.at for s in i.timeline).isoformat()) for i in records.inspections]
        entries.append((U.units_index(), ""))
        entries += [(u.path, "") for u in records.units]
        entries.append((U.open_data_page(), ""))
    entries.append((U.catalogue(), ""))
    if site.config.counter_url:
        entries.append((U.privacy(), ""))
    entries.append((U.archive_index(), ""))
    entries += [(year.path, "") for year in site.years]
    return entries


def sitemap_xml(site: Site) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, lastmod in sitemap_paths(site):
        out.append(f"  <url><loc>{escape(site.urls.absolute(path))}</loc>"
                   + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    out.append("</urlset>\n")
    return "\n".join(out).encode("utf-8")


def robots_txt(site: Site) -> bytes:
    return (f"User-agent: *\nAllow: /\n\nSitemap: {site.urls.absolute(U.sitemap())}\n").encode("utf-8")
