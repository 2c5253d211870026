"""Stage 4: Jinja2 templates format what the model gives them.

A site's own ``templates/`` folder overrides any default template by name.
Autoescape is on and undefined names are errors, so a typo in a template
fails the build instead of printing nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import jinja2

from . import headers, sealed, tracking
from . import urls as U
from .model import Pager, Site, catalogue
from .inspections import STAGE_LABEL
from .text import format_date, format_datetime, format_number
from .validate import Moment

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class PageInfo:
    """What the layout needs to know about the page it wraps."""
    title: str
    path: str
    url: str
    abs_url: str
    description: str
    kind: str                    # home | section | post | page | tag | tags | year | years | 404
    image: str = ""
    feed_url: str = ""
    feed_title: str = ""
    noindex: bool = False


def environment(site_root: Path, bytecode: Path | None = None) -> tracking.Environment:
    """The templates: the site's own folder over the default theme, in Jinja2's immutable sandbox.

    ``bytecode``: a folder where compiled templates are kept between builds (Jinja2 checks
    each against its source). Nothing random is offered (``lipsum``, ``random``): two builds of
    the same input give the same bytes.
    """
    folders = [str(p) for p in (site_root / "templates", DEFAULT_TEMPLATES) if p.is_dir()]
    env = tracking.Environment(
        loader=jinja2.FileSystemLoader(list(dict.fromkeys(folders))),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False,            # one build, one set of templates: no stat() per include
        bytecode_cache=sealed.BytecodeCache(str(bytecode)) if bytecode else None,
    )
    env.globals.pop("lipsum", None)
    env.filters.pop("random", None)
    env.filters.update(datetime=_datetime, date=_date, iso=_iso, number=format_number)
    env.globals.update(STAGE_LABEL=STAGE_LABEL)
    return env


def _datetime(value: Moment | None, weekday: bool = True) -> str:
    if value is None:
        return ""
    return format_datetime(value.at, with_weekday=weekday, with_time=value.has_time)


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Moment):
        value = value.date
    return format_date(value)


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Moment):
        return value.at.isoformat() if value.has_time else value.date.isoformat()
    return value.isoformat()


def prepare(env: jinja2.Environment) -> None:
    """Compile every template now (forked renderers then share them instead of compiling their own)."""
    for name in env.list_templates(extensions=["html", "xml"]):
        try:
            env.get_template(name)
        except jinja2.TemplateError:           # reported, with its line, if a page uses it
            pass
    format_datetime(dt.datetime(2021, 10, 8, 9, tzinfo=dt.timezone.utc))     # loads the locale data


def pages(site: Site, env: jinja2.Environment) -> Iterator[tuple[str, bytes]]:
    """Every HTML page of the site as (output file, bytes), in a fixed order."""
    return (render_job(site, env, job) for job in jobs(site))


def render_job(site: Site, env: jinja2.Environment, job: tuple) -> tuple[str, bytes]:
    """One page: (template, PageInfo, context) -> (output file, bytes)."""
    html = env.get_template(job[0]).render(given(site, job))
    return output_file(job), html.encode("utf-8")


def given(site: Site, job: tuple) -> dict:
    """Everything a page's template receives (the page cache keys the page by exactly this)."""
    template, info, context = job
    return {"site": site, "menu": site.menu, "counter_url": site.config.counter_url, "page": info,
            "content_policy": headers.content_policy(site.config.counter_url), "referrer": headers.REFERRER, **context}


def output_file(job: tuple) -> str:
    """The file a page job writes, relative to the output folder."""
    return U.Urls.output_file(job[1].path)


def jobs(site: Site) -> Iterator[tuple]:
    """What to render, page by page: cheap to list, so the work can be shared between processes."""
    urls = site.urls

    def page(template: str, info: PageInfo, **context) -> tuple:
        return template, info, context

    def info(kind: str, title: str, path: str, description: str = "", **extra) -> PageInfo:
        return PageInfo(title, path, urls.link(path), urls.absolute(path),
                        description or site.config.description, kind, **extra)

    home_sections = [(s, s.posts[:site.config.home_per_section]) for s in site.sections if not s.is_pages]
    yield page("home.html", info("home", site.config.title, U.home(), feed_url=urls.absolute(U.site_feed()),
                                 feed_title=site.config.title), sections=home_sections)

    for section in site.sections:
        for pager in section.pages:
            template = "pages_index.html" if section.is_pages else "list.html"
            yield page(template, info("section", _paged_title(section.title, pager), pager.path,
                                      section.config.description,
                                      feed_url="" if section.is_pages else section.feed_url,
                                      feed_title=section.title),
                       heading=section.title, pager=pager, section=section)

    for post in site.posts:
        yield post_job(site, post)

    records = site.records
    if records is not None and (records.inspections or records.units):
        filters = {"years": records.by_year, "units": records.by_unit}
        for pager in records.pages:
            yield page("inspections.html", info("inspections", _paged_title("Hồ sơ kiểm tra", pager), pager.path,
                                                "Các đợt kiểm tra: thông báo, kết luận và kết quả khắc phục"),
                       heading="Hồ sơ kiểm tra", inspections=pager.items, pager=pager, current="", **filters)
        for group in records.by_year + records.by_unit:
            yield page("inspections.html", info("inspections", f"Hồ sơ kiểm tra: {group.title}", group.path),
                       heading=f"Hồ sơ kiểm tra: {group.title}", inspections=group.inspections, pager=None,
                       current=group.path, **filters)
        for inspection in records.inspections:
            yield page("inspection.html", info("inspection", inspection.subject or inspection.id, inspection.path,
                                               f"{inspection.status_label}: {inspection.subject}"),
                       inspection=inspection)
        yield page("units.html", info("units", "Đơn vị được kiểm tra", records.units_path,
                                      "Kết quả kiểm tra và khắc phục của từng xã, thị trấn, phòng ban"), records=records)
        for unit in records.units:
            yield page("unit.html", info("unit", unit.name, unit.path, f"Kết quả kiểm tra tại {unit.name}",
                                         feed_url=unit.feed_url, feed_title=f"Kiểm tra tại {unit.name}"), unit=unit)
        yield page("open_data.html", info("data", "Dữ liệu mở về kiểm tra", U.open_data_page()),
                   files=[(name, urls.link(U.open_data(name))) for name in
                          ("kiem-tra.json", "kiem-tra.csv", "kiem-tra.schema.json")])
    if site.config.counter_url:
        yield page("privacy.html", info("privacy", "Quyền riêng tư và bộ đếm lượt xem", U.privacy(),
                                        "Bộ đếm lượt xem lưu gì và trong bao lâu"))
    yield page("catalogue.html", info("catalogue", "Danh mục thông tin công khai", U.catalogue()),
               entries=catalogue(site))

    yield page("search.html", info("search", "Tìm kiếm", U.search(), "Tìm kiếm tin bài, thông báo, kết quả kiểm tra"))
    yield page("tags.html", info("tags", "Từ khóa", U.tags_index()), tags=site.tags)
    for tag in site.tags:
        for pager in tag.pages:
            yield page("list.html", info("tag", _paged_title(f"Từ khóa: {tag.name}", pager), pager.path),
                       heading=f"Từ khóa: {tag.name}", pager=pager, section=None)

    yield page("archives.html", info("years", "Lưu trữ", U.archive_index()), years=site.years)
    for year in site.years:
        for pager in year.pages:
            yield page("list.html", info("year", _paged_title(f"Lưu trữ năm {year.year}", pager), pager.path),
                       heading=f"Lưu trữ năm {year.year}", pager=pager, section=None)

    yield page("404.html", info("404", "Không tìm thấy trang", U.not_found(), noindex=True))


def post_job(site: Site, post) -> tuple:
    """The page of one post or plain page."""
    urls = site.urls
    info = PageInfo(post.title, post.path, urls.link(post.path), urls.absolute(post.path),
                    post.summary or site.config.description, post.kind, image=post.image_url,
                    noindex=post.draft or post.future)
    return "page.html" if post.kind == "page" else "post.html", info, {"post": post}


def _paged_title(title: str, pager: Pager) -> str:
    return title if pager.number == 1 else f"{title} - Trang {pager.number}"
