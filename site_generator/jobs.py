"""The pages of a site, as a list of render jobs: a pure function of the model.

A job is ``(template, PageInfo, context)``. Listing them is cheap, so the rendering can be
shared between processes (pages.py), and everything that needs "every page" reads this one
list: the renderer, the page count of ``check``, and the sitemap (a job whose PageInfo says
``sitemap`` is in it, with its ``lastmod``), so a new page is never listed twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from . import urls as U
from .model import Pager, Site, catalogue


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


def output_file(job: tuple) -> str:
    """The file a page job writes, relative to the output folder."""
    return U.Urls.output_file(job[1].path)


def jobs(site: Site) -> Iterator[tuple]:
    """What to render, page by page, in the order the sitemap lists them."""
    urls = site.urls

    def page(template: str, info: PageInfo, **context) -> tuple:
        return template, info, context

    def info(kind: str, title: str, path: str, description: str = "", **extra) -> PageInfo:
        return PageInfo(title, path, urls.link(path), urls.absolute(path),
                        description or site.config.description, kind, **extra)

    home_sections = [(s, s.posts[:site.config.home_per_section]) for s in site.sections if not s.is_pages]
    newest = site.listed[0].last_modified.at.isoformat() if site.listed else ""
    yield page("home.html", info("home", site.config.title, U.home(), feed_url=urls.absolute(U.site_feed()),
                                 feed_title=site.config.title, sitemap=True, lastmod=newest), sections=home_sections)

    for section in site.sections:
        first = section.posts[0].last_modified if section.posts else None
        for pager in section.pages:
            template = "pages_index.html" if section.is_pages else "list.html"
            yield page(template, info("section", _paged_title(section.title, pager), pager.path,
                                      section.config.description,
                                      feed_url="" if section.is_pages else section.feed_url,
                                      feed_title=section.title, sitemap=pager.number == 1,
                                      lastmod=first.at.isoformat() if first and pager.number == 1 else ""),
                       heading=section.title, pager=pager, section=section)

    for post in site.posts:
        yield post_job(site, post)

    yield page("tags.html", info("tags", "Từ khóa", U.tags_index(), sitemap=True), tags=site.tags)
    for tag in site.tags:
        for pager in tag.pages:
            yield page("list.html", info("tag", _paged_title(f"Từ khóa: {tag.name}", pager), pager.path,
                                         sitemap=pager.number == 1),
                       heading=f"Từ khóa: {tag.name}", pager=pager, section=None)

    yield from _records(site, page, info)
    yield page("catalogue.html", info("catalogue", "Danh mục thông tin công khai", U.catalogue(), sitemap=True),
               entries=catalogue(site))
    if site.config.counter_url:
        yield page("privacy.html", info("privacy", "Quyền riêng tư và bộ đếm lượt xem", U.privacy(),
                                        "Bộ đếm lượt xem lưu gì và trong bao lâu", sitemap=True))

    yield page("archives.html", info("years", "Lưu trữ", U.archive_index(), sitemap=True), years=site.years)
    for year in site.years:
        for pager in year.pages:
            yield page("list.html", info("year", _paged_title(f"Lưu trữ năm {year.year}", pager), pager.path,
                                         sitemap=pager.number == 1),
                       heading=f"Lưu trữ năm {year.year}", pager=pager, section=None)

    yield page("search.html", info("search", "Tìm kiếm", U.search(), "Tìm kiếm tin bài, thông báo, kết quả kiểm tra"))
    yield page("404.html", info("404", "Không tìm thấy trang", U.not_found(), noindex=True))


def _records(site: Site, page, info) -> Iterator[tuple]:
    """The inspection records' pages: index (with filters by year and unit), records, units, open data."""
    records, urls = site.records, site.urls
    if records is None or not (records.inspections or records.units):
        return
    filters = {"years": records.by_year, "units": records.by_unit}
    for pager in records.pages:
        yield page("inspections.html", info("inspections", _paged_title("Hồ sơ kiểm tra", pager), pager.path,
                                            "Các đợt kiểm tra: thông báo, kết luận và kết quả khắc phục",
                                            sitemap=pager.number == 1),
                   heading="Hồ sơ kiểm tra", inspections=pager.items, pager=pager, current="", **filters)
    for group in records.by_year + records.by_unit:
        yield page("inspections.html", info("inspections", f"Hồ sơ kiểm tra: {group.title}", group.path),
                   heading=f"Hồ sơ kiểm tra: {group.title}", inspections=group.inspections, pager=None,
                   current=group.path, **filters)
    for inspection in records.inspections:
        modified = max(s.post.last_modified.at for s in inspection.timeline).isoformat()
        yield page("inspection.html", info("inspection", inspection.subject or inspection.id, inspection.path,
                                           f"{inspection.status_label}: {inspection.subject}",
                                           sitemap=True, lastmod=modified),
                   inspection=inspection)
    yield page("units.html", info("units", "Đơn vị được kiểm tra", records.units_path,
                                  "Kết quả kiểm tra và khắc phục của từng xã, thị trấn, phòng ban", sitemap=True),
               records=records)
    for unit in records.units:
        yield page("unit.html", info("unit", unit.name, unit.path, f"Kết quả kiểm tra tại {unit.name}",
                                     feed_url=unit.feed_url, feed_title=f"Kiểm tra tại {unit.name}", sitemap=True),
                   unit=unit)
    yield page("open_data.html", info("data", "Dữ liệu mở về kiểm tra", U.open_data_page(), sitemap=True),
               files=[(name, urls.link(U.open_data(name))) for name in
                      ("kiem-tra.json", "kiem-tra.csv", "kiem-tra.schema.json")])


def post_job(site: Site, post) -> tuple:
    """The page of one post or plain page."""
    urls = site.urls
    modified = post.last_modified
    info = PageInfo(post.title, post.path, urls.link(post.path), urls.absolute(post.path),
                    post.summary or site.config.description, post.kind, image=post.image_url,
                    noindex=post.draft or post.future, sitemap=not (post.draft or post.future),
                    lastmod=modified.at.isoformat() if modified else "")
    return "page.html" if post.kind == "page" else "post.html", info, {"post": post}


def _paged_title(title: str, pager: Pager) -> str:
    return title if pager.number == 1 else f"{title} - Trang {pager.number}"
