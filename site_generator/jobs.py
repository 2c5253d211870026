"""The pages of a site, as a list of render jobs: a pure function of the model.

A job is ``(template, PageInfo, context)`` (see ``page``). Listing them is cheap, so the
rendering can be shared between processes (pages.py), and everything that needs "every page"
reads this one list: the renderer, the page count of ``check``, and the sitemap (a job whose
PageInfo says ``sitemap`` is in it, with its ``lastmod``), so a page is never listed twice.
The site's own pages are here; each content kind adds its own (``kinds``).
"""
from __future__ import annotations

from typing import Iterator

from . import charts, redirects
from . import urls as U
from .kinds import kinds, section_kind
from .model import Site
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
    if site.config.counter_url:
        yield job("privacy.html", info(site, "privacy", "Quyền riêng tư và bộ đếm lượt xem", U.privacy(),
                                       "Bộ đếm lượt xem lưu gì và trong bao lâu", sitemap=True))
        # for the office: not in the sitemap, noindex (its live part needs the counter, hence counter.url)
        yield job("statistics.html", info(site, "statistics", "Thống kê cổng thông tin", U.statistics(),
                                          "Lượt xem, đánh giá, cuộc kiểm tra và văn bản của cổng", noindex=True),
                  charts=charts.build_time_charts(site), built_on=site.now.date())
    yield job("search.html", info(site, "search", "Tìm kiếm", U.search(), "Tìm kiếm tin bài, thông báo, kết quả kiểm tra"))
    yield job("404.html", info(site, "404", "Không tìm thấy trang", U.not_found(), noindex=True))


def catalogue(site: Site) -> list:
    """The catalogue of published information (Luật Tiếp cận thông tin, Điều 19): each kind's entries."""
    return [entry for kind in kinds() for entry in kind.catalogue(site)]


def files(site: Site) -> Iterator[tuple[str, bytes]]:
    """Every kind's feeds and open data."""
    for kind in kinds():
        yield from kind.files(site)
