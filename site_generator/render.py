"""Stage 4: Jinja2 templates format what the model gives them.

A site's own ``templates/`` folder overrides any default template by name.
Autoescape is on and undefined names are errors, so a typo in a template
fails the build instead of printing nothing.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from . import headers, inherit, page, sealed, tracking
from .model import Site
from .inspections import STAGE_LABEL
from .text import format_date, format_datetime, format_number
from .validate import Moment

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "theme" / "templates"   # installed with the package


def environment(site_root: Path, bytecode: Path | None = None, province: Path | None = None) -> tracking.Environment:
    """The templates: the site's own folder over its province's (inherit.py) over the default theme, in
    Jinja2's immutable sandbox.

    ``bytecode``: a folder where compiled templates are kept between builds (Jinja2 checks
    each against its source). Nothing random is offered (``lipsum``, ``random``): two builds of
    the same input give the same bytes.
    """
    folders = [str(p) for p in (site_root / "templates", *(inherit.theme_folders(province)[:1]), DEFAULT_TEMPLATES)
               if p.is_dir()]
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


def render_job(site: Site, env: jinja2.Environment, job: tuple) -> tuple[str, bytes]:
    """One page: (template, PageInfo, context) -> (output file, bytes)."""
    html = env.get_template(job[0]).render(given(site, job))
    return page.output_file(job), html.encode("utf-8")


def given(site: Site, job: tuple) -> dict:
    """Everything a page's template receives: what every page does (:func:`shared`), its PageInfo and
    its context (the page cache keys the page by exactly these three)."""
    _, info, context = job
    return {**shared(site), "page": info, **context}


def shared(site: Site) -> dict:
    """What every page's template receives."""
    policy = headers.content_policy(site.config.counter_url, headers.monitoring_origin(site.config))
    return {"site": site, "menu": site.menu, "counter_url": site.config.counter_url, "content_policy": policy,
            "referrer": headers.REFERRER}


