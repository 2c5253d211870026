"""The pages of a site, as a list of render jobs: a pure function of the model.

A job is ``(template, PageInfo, context)`` (see ``page``). Listing them is cheap, so the
rendering can be shared between processes (pages.py), and everything that needs "every page"
reads this one list: the renderer, the page count of ``check``, and the sitemap (a job whose
PageInfo says ``sitemap`` is in it, with its ``lastmod``), so a page is never listed twice.
The site's own pages are here; each content kind adds its own (``kinds``).
"""
from __future__ import annotations

from typing import Iterator

from . import charts, redirects, search
from . import urls as U
from .kinds import kinds, section_kind
from .model import MapEntry, Site
from .text import format_number
from .page import info, job


def jobs(site: Site) -> Iterator[tuple]:
    """What to render, page by page, in the order the sitemap lists them; the old addresses' pages last."""
    yield from _pages(site)
    for redirect in redirects.redirects(site):      # one a page or another post takes: checks.aliases' problem
        if redirect.alias.stub is not None:
            yield job("redirect.html", info(site, "redirect", redirect.post.title, redirect.alias.stub, noindex=True),
                      target=redirect.post)


def _pages(site: Site) -> Iterator[tuple]:
    urls = site.urls
    home_sections = [(s, s.posts[:site.config.home_per_section]) for s in site.sections
                     if section_kind(s.config.kind).on_home]
    extra = {k: v for kind in kinds() if kind.home is not None for k, v in kind.home(site).items()}
    newest = site.listed[0].last_modified.at.isoformat() if site.listed else ""
    yield job("home.html", info(site, "home", site.config.title, U.home(), feed_url=urls.absolute(U.site_feed()),
                                feed_title=site.config.title, sitemap=True, lastmod=newest), sections=home_sections, **extra)
    for kind in kinds():
        yield from kind.pages(site)
    yield job("catalogue.html", info(site, "catalogue", "Danh mục thông tin công khai", U.catalogue(), sitemap=True),
              entries=catalogue(site))
    yield job("site_map.html", info(site, "site-map", "Sơ đồ cổng", U.site_map(),
                                    "Các chuyên mục, trang và mục tra cứu của cổng", sitemap=True),
              sections=site_map(site), lookups=site_map_lookups(site))
    if site.config.counter_url:
        yield job("privacy.html", info(site, "privacy", "Quyền riêng tư và bộ đếm lượt xem", U.privacy(),
                                       "Bộ đếm lượt xem lưu gì và trong bao lâu", sitemap=True))
        # for the office: not in the sitemap, noindex (its live part needs the counter, hence counter.url)
        yield job("statistics.html", info(site, "statistics", "Thống kê cổng thông tin", U.statistics(),
                                          "Lượt xem, đánh giá, cuộc kiểm tra và văn bản của cổng", noindex=True),
                  charts=charts.build_time_charts(site), built_on=site.now.date())
    yield job("search.html", info(site, "search", "Tìm kiếm", U.search(), "Tìm kiếm tin bài, thông báo, kết quả kiểm tra"),
              filters=search.filters(site))
    yield job("404.html", info(site, "404", "Không tìm thấy trang", U.not_found(), noindex=True))


def catalogue(site: Site) -> list:
    """The catalogue of published information (Luật Tiếp cận thông tin, Điều 19): each kind's entries."""
    return [entry for kind in kinds() for entry in kind.catalogue(site)]


COUNTED = {"posts": "bài viết", "documents": "văn bản", "schedule": "tuần"}


def site_map(site: Site) -> list[MapEntry]:
    """The sections in their order: a section of plain pages with its pages, the others with how many they list."""
    entries = []
    for section in site.sections:
        if section.is_pages:
            entries.append(MapEntry(section.title, section.url,
                                    children=tuple(MapEntry(p.title, p.url) for p in section.posts)))
        else:
            noun = COUNTED.get(section.config.kind, "mục")
            entries.append(MapEntry(section.title, section.url, f"{format_number(len(section.posts))} {noun}"))
    return entries


def site_map_lookups(site: Site) -> list[MapEntry]:
    """The site map's second part: the pages to look things up by, those this site has."""
    urls, records = site.urls, site.records
    found = [MapEntry("Lưu trữ theo năm", urls.link(U.archive_index()), f"{format_number(len(site.years))} năm"),
             MapEntry("Từ khóa", urls.link(U.tags_index()), f"{format_number(len(site.tags))} từ khóa")]
    if records is not None and records.inspections:
        found.append(MapEntry("Hồ sơ kiểm tra", urls.link(U.inspections_index()),
                              f"{format_number(len(records.inspections))} cuộc kiểm tra"))
    if records is not None and (records.inspections or records.units):
        found.append(MapEntry("Đơn vị được kiểm tra", records.units_url, f"{format_number(len(records.units))} đơn vị"))
    if records is not None and records.inspections:
        found.append(MapEntry("Dữ liệu mở về kiểm tra", urls.link(U.open_data_page())))
    leaders = site.by_kind.get("leaders")
    if leaders is not None and getattr(leaders, "leaders", None):
        found.append(MapEntry("Lãnh đạo", urls.link(leaders.path)))
    found.append(MapEntry("Danh mục thông tin công khai", urls.link(U.catalogue())))
    found.append(MapEntry("Tìm kiếm", urls.link(U.search())))
    if site.config.counter_url:
        found.append(MapEntry("Thống kê truy cập", urls.link(U.statistics())))
        found.append(MapEntry("Quyền riêng tư", urls.link(U.privacy())))
    found.append(MapEntry("Nguồn tin RSS/Atom", urls.link(U.site_feed())))
    found.append(MapEntry("Sơ đồ cổng (XML, cho máy tìm kiếm)", urls.link(U.sitemap())))
    return found


def files(site: Site) -> Iterator[tuple[str, bytes]]:
    """Every kind's feeds and open data."""
    for kind in kinds():
        yield from kind.files(site)
