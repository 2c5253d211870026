"""Stage 3: the portal as pure data: sections, posts, pages, tags, archives, units.

No I/O and no clock: the build's ``now`` is passed in. Every URL comes from
:mod:`urls`. Templates receive these objects with lists already sorted and
paginated.

Building is two steps because a body's links need every page's URL before
Markdown runs: :func:`plan` decides which documents are published and where,
then (after :mod:`markup` has converted the bodies) :func:`build` assembles
the site.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from . import notices as N
from . import urls as U
from .kinds import section_kind
from .load import Document
from .problems import WARNING, Problems
from .text import format_datetime, format_size, slugify, sort_key
from .validate import Config, Meta, Moment, SectionConfig

RELATED = 5


class Identified:
    """A model object that pages refer to by identity: ``IDENTITY`` names the field that gives it
    ("" for the one object of its class). The page cache (tracking.py) records what a template
    reads from such objects, and digests every other value in full. Its repr is its identity,
    so printing one shows no field that was not read."""
    IDENTITY = ""

    def __repr__(self) -> str:
        key = getattr(self, self.IDENTITY) if self.IDENTITY else ""
        return f"{type(self).__name__}({key!r})"


@dataclass(frozen=True)
class Options:
    drafts: bool = False
    future: bool = False


@dataclass
class Entry:
    """A document the build publishes, with the path of its page."""
    doc: Document
    meta: Meta
    section: SectionConfig
    path: str
    draft: bool
    future: bool
    expired: bool


@dataclass
class Plan:
    entries: list                    # Entry, in source order
    posts: dict                      # content path -> site path (published)
    unpublished: frozenset           # content paths left out (drafts, scheduled)
    planned: dict                    # content path -> site path it will have
    valid_until: dt.datetime | None = None   # the output may change by itself then (a post due, a new day)
    held: frozenset = frozenset()    # content paths of files an unpublished document names (see build)
    left_out: tuple = ()             # (document, meta, "draft" | "scheduled"): what this build does not publish


@dataclass(frozen=True)
class Attachment:
    title: str
    url: str
    file: str                        # content path
    kind: str                        # "PDF", "DOCX", ...
    size: int
    size_text: str
    sha256: str = ""
    pages: int | None = None
    text: tuple[str, ...] = ()       # a PDF's text page by page, a Word file's as one: for the search, never shown


@dataclass(frozen=True)
class TagRef:
    name: str
    slug: str
    url: str


@dataclass(eq=False)
class Pager:
    """One page of a paginated list."""
    items: list
    number: int
    count: int
    path: str
    url: str
    prev_url: str
    next_url: str
    numbers: list                    # (number, url) of the pages the pagination may show: first, last, 3 either side

    @property
    def first(self) -> bool:
        return self.number == 1


@dataclass(frozen=True)
class MaintenanceNotice:
    """A planned downtime on the pages, its times already written as readers read them."""
    start: str                       # Thứ Bảy, 20/12/2026 22:00
    end: str
    restore: str
    reason: str
    start_iso: str                   # for <time datetime>
    end_iso: str
    restore_iso: str


@dataclass(frozen=True)
class TrustMark:
    """A trust mark of the footer: a local image, its alt text, the issuer's verification page."""
    src: str
    alt: str
    link: str
    width: int
    height: int


@dataclass(eq=False, repr=False)
class Post(Identified):
    """A published post or plain page."""
    IDENTITY = "source"
    source: str                      # content/tin-tuc/a.md
    content_path: str                # tin-tuc/a.md
    kind: str                        # "post" | "page"
    section: "Section"
    meta: Meta
    path: str
    url: str
    abs_url: str
    html: str
    summary: str
    tags: tuple
    attachments: tuple
    image_url: str
    body_words: str = ""             # folded words of the body, space-separated (search index), found while converting
    superseded_url: str = ""         # the page that replaces this one, when withdrawn or superseded
    draft: bool = False
    future: bool = False
    expired: bool = False
    related: list = field(default_factory=list)
    record: object = None            # the Inspection this post belongs to (inspections.py)
    newer: "Post | None" = None
    older: "Post | None" = None

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def date(self) -> Moment | None:
        return self.meta.date

    @property
    def updated(self) -> Moment | None:
        return self.meta.updated

    @property
    def lead(self) -> str:
        """The summary the editor wrote (empty when it is taken from the body)."""
        return self.meta.summary

    @property
    def author(self) -> str:
        return self.meta.author

    @property
    def expires(self) -> Moment | None:
        return self.meta.expires

    @property
    def withdrawn(self):
        """The withdrawal (date, reason), or None."""
        return self.meta.withdrawn

    @property
    def corrections(self) -> tuple:
        """Corrections, newest first."""
        return self.meta.corrections

    @property
    def listed(self) -> bool:
        """Shown in lists and feeds (an expired or withdrawn post keeps only its page)."""
        return not self.expired and self.meta.withdrawn is None

    @property
    def last_modified(self) -> Moment | None:
        return max((m for m in (self.meta.date, self.meta.updated) if m is not None), default=None)


@dataclass(eq=False, repr=False)
class Section(Identified):
    IDENTITY = "name"
    config: SectionConfig
    path: str
    url: str
    feed_path: str
    feed_url: str
    posts: list = field(default_factory=list)      # listed posts, newest first
    pages: list = field(default_factory=list)      # Pager list

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def title(self) -> str:
        return self.config.title

    @property
    def is_pages(self) -> bool:
        return self.config.kind == "pages"

    @property
    def is_documents(self) -> bool:
        return self.config.kind == "documents"


@dataclass(eq=False, repr=False)
class Tag(Identified):
    IDENTITY = "slug"
    name: str
    slug: str
    path: str
    url: str
    posts: list = field(default_factory=list)
    pages: list = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Year(Identified):
    IDENTITY = "year"
    year: int
    path: str
    url: str
    posts: list = field(default_factory=list)
    pages: list = field(default_factory=list)


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str
    path: str                        # site path for "current page" marking ("" for external)
    external: bool


@dataclass(eq=False, repr=False)
class Site(Identified):
    config: Config
    urls: U.Urls
    now: dt.datetime
    sections: list
    posts: list                      # every published post and page, newest first
    tags: list                       # Tag, in Vietnamese alphabetical order
    years: list                      # Year, newest first
    inspections: dict                # id -> list of (Post, InspectionMeta)
    menu: list
    assets: dict                     # content path -> Asset (copied as they are)
    records: object = None           # inspections.Records, once built
    registries: dict = field(default_factory=dict)   # documents section name -> kinds.documents.Registry
    by_kind: dict = field(default_factory=dict)      # kind name -> what its build made (kinds/)
    data: dict = field(default_factory=dict)         # data/ file name -> its validated value (kinds: DataFile)
    data_roots: dict = field(default_factory=dict)   # data/ file name -> its YAML root: "map", "seq" or "" (no file)
    maintenance: tuple = ()          # MaintenanceNotice on every page now (site.yaml maintenance:, announced, not over)
    trust_marks: tuple = ()          # TrustMark of the footer (site.yaml trust_marks:)

    @property
    def units(self) -> tuple:
        """data/units.yaml, validated (UnitMeta): the records kind's data file."""
        return self.data.get("units.yaml", ())

    @property
    def listed(self) -> list:
        return [p for p in self.posts if p.kind == "post" and p.listed]

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)


# ------------------------------------------------------------------------------ step 1: plan

FAR_FUTURE = dt.timedelta(days=366)     # a date further ahead than this is most likely a typo of the year


def plan(cfg: Config, documents: list, metas: dict, now: dt.datetime, options: Options,
         problems: Problems) -> Plan:
    """Decide which documents are published and the path of each page; report URL collisions."""
    entries, posts, unpublished, planned, held, left_out = [], {}, set(), {}, set(), []
    far = now + FAR_FUTURE
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0), tzinfo=now.tzinfo)
    changes = [tomorrow]                    # overdue findings and disclosure periods turn by the day
    owners: dict[str, tuple] = {}           # path -> (file, line of its slug or title)
    paging = {U.paged(f"{s.name}/", 2).split("/")[1] for s in cfg.sections}     # "trang"
    for doc in documents:
        meta: Meta | None = metas.get(doc.path)
        section = cfg.section(doc.section)
        if meta is None or section is None:
            continue
        path = U.post(section.name, meta.slug)
        planned[doc.content_path] = path
        draft = meta.draft
        future = meta.date is not None and meta.date.at > now
        changes += [m.at for m in (meta.date, meta.expires) if m is not None and m.at > now]
        if meta.date is not None and meta.date.at > far:     # 2052 for 2025: the post would vanish for decades
            problems.add(doc.path, meta.line("date"), "date-far-future", severity=WARNING,
                         date=meta.date.at.strftime("%d/%m/%Y"), year=now.year)
        if (draft and not options.drafts) or (future and not options.future):
            unpublished.add(doc.content_path)
            held.update(files_named(doc, meta))
            left_out.append((doc, meta, "draft" if draft and not options.drafts else "scheduled"))
            continue
        if section.kind != "pages" and meta.slug in paging | section_kind(section.kind).reserved:
            problems.add(doc.path, meta.line("slug", meta.line("title")), "reserved-slug", slug=meta.slug,
                         url=U.Urls(cfg.base_url).link(U.section(section.name, 2)))
            continue
        line = meta.line("slug", meta.line("title"))
        if path in owners:
            first, first_line = owners[path]
            problems.add(doc.path, line, "duplicate-url", other=first, url=U.Urls(cfg.base_url).link(path))
            problems.add(first, first_line, "duplicate-url", other=doc.path, url=U.Urls(cfg.base_url).link(path))
            continue
        owners[path] = (doc.path, line)
        expired = meta.expires is not None and meta.expires.at <= now
        entries.append(Entry(doc, meta, section, path, draft, future, expired))
        posts[doc.content_path] = path
    changes += [at for at, *_ in N.moments(cfg, now)]      # a downtime notice appears, or leaves the pages
    held.difference_update(U.resolve("", m.image) for m in cfg.trust_marks)   # on every page: published
    return Plan(entries, posts, frozenset(unpublished), planned, min(changes), frozenset(held), tuple(left_out))


_BODY_TARGET = re.compile(r"""\]\(\s*<?([^)\s>]+)|^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)|\b(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.M)


def files_named(doc, meta: Meta) -> set:
    """Content paths an unpublished document names: its attachments, image, and the links and images of
    its body (read as text: drafts are not converted)."""
    targets = [ref.file for ref in meta.attachments] + ([meta.image] if meta.image else [])
    targets += [next(g for g in match.groups() if g) for match in _BODY_TARGET.finditer(doc.body)]
    named = (U.resolve(doc.content_path, unquote(t.split("#", 1)[0])) for t in targets if not U.is_external(t))
    return {n for n in named if n}


def published_files(entries: list, bodies: dict, assets: dict, held: frozenset) -> dict:
    """The files under content/ the portal publishes: all but those only unpublished documents name
    (a draft's attachment must not be readable at its predictable address before the post is out)."""
    if not held:
        return assets
    named = set()
    for entry in entries:
        meta, path = entry.meta, entry.doc.content_path
        targets = [ref.file for ref in meta.attachments] + ([meta.image] if meta.image else [])
        targets += [target for target, *_ in bodies[entry.doc.path].resolutions]
        named.update(U.resolve(path, unquote(t.split("#", 1)[0])) for t in targets if not U.is_external(t))
    return {path: asset for path, asset in assets.items() if path not in held or path in named}


# ------------------------------------------------------------------------------ step 2: build

def _newest_first(post: Post) -> tuple:
    stamp = post.date.at.timestamp() if post.date else 0.0
    return (-stamp, post.source)


def paginate(items: list, per_page: int, path_of, urls: U.Urls) -> list:
    """Split ``items`` into Pagers; ``path_of(n)`` gives the path of page n. An empty list still has page 1."""
    per_page = max(1, per_page)
    count = max(1, -(-len(items) // per_page))
    links = [urls.link(path_of(n)) for n in range(1, count + 1)]
    pagers = []
    for n in range(1, count + 1):
        shown = sorted({1, count} | set(range(max(1, n - 3), min(count, n + 3) + 1)))   # not all: lists stay linear
        pagers.append(Pager(items[(n - 1) * per_page:n * per_page], n, count, path_of(n), links[n - 1],
                            links[n - 2] if n > 1 else "", links[n] if n < count else "",
                            [(k, links[k - 1]) for k in shown]))
    return pagers


def file_kind(content_path: str) -> str:
    extension = posixpath.splitext(content_path)[1].lstrip(".").upper()
    return {"JPEG": "JPG"}.get(extension, extension or "TỆP")


def resolve_file(entry: Entry, target: str, assets: dict) -> str | None:
    """A file named in front matter (attachments, image) -> its content path (checks.py reports bad ones)."""
    if U.is_external(target):
        return None
    resolved = U.resolve(entry.doc.content_path, unquote(target))
    return resolved if resolved in assets else None


def build(cfg: Config, the_plan: Plan, bodies: dict, assets: dict, now: dt.datetime,
          data: dict | None = None) -> Site:
    urls = U.Urls(cfg.base_url)
    assets = published_files(the_plan.entries, bodies, assets, the_plan.held)
    sections = [Section(s, U.section(s.name), urls.link(U.section(s.name)), U.section_feed(s.name),
                        urls.absolute(U.section_feed(s.name))) for s in cfg.sections]
    by_name = {s.name: s for s in sections}
    tags: dict[str, Tag] = {}
    posts = []
    for entry in the_plan.entries:
        meta, body = entry.meta, bodies[entry.doc.path]
        attachments = []
        for ref in meta.attachments:
            resolved = resolve_file(entry, ref.file, assets)
            if resolved is not None:
                asset = assets[resolved]
                attachments.append(Attachment(ref.title or posixpath.basename(resolved), urls.link(U.asset(resolved)),
                                              resolved, file_kind(resolved), asset.size, format_size(asset.size),
                                              asset.sha256, asset.pages, asset.text or ()))
        image_url = ""
        if meta.image:                    # a path (validate refuses addresses)
            resolved = resolve_file(entry, meta.image, assets)
            image_url = urls.link(U.asset(resolved)) if resolved else ""
        tag_refs = []
        for name in meta.tags:
            slug = slugify(name)
            if not slug or any(ref.slug == slug for ref in tag_refs):
                continue
            tag = tags.get(slug)
            if tag is None:
                tag = tags[slug] = Tag(name, slug, U.tag(slug), urls.link(U.tag(slug)))
            tag_refs.append(TagRef(tag.name, slug, tag.url))
        section = by_name[entry.section.name]
        replacement = U.resolve(entry.doc.content_path, meta.superseded_by) if meta.superseded_by else None
        superseded_url = urls.link(the_plan.posts[replacement]) if replacement in the_plan.posts else ""
        posts.append(Post(
            source=entry.doc.path, content_path=entry.doc.content_path,
            kind=section_kind(section.config.kind).post_kind, section=section, meta=meta, path=entry.path,
            url=urls.link(entry.path), abs_url=urls.absolute(entry.path), html=body.html,
            summary=meta.summary or body.summary, tags=tuple(tag_refs), attachments=tuple(attachments),
            image_url=image_url, body_words=body.words, superseded_url=superseded_url, draft=entry.draft, future=entry.future, expired=entry.expired))

    posts.sort(key=_newest_first)
    for section in sections:
        members = [p for p in posts if p.section is section]
        if section.is_pages:
            members.sort(key=lambda p: p.content_path)
            section.posts = members
            section.pages = paginate(members, len(members) or 1, lambda n, s=section: U.section(s.name, n), urls)
            continue
        section.posts = [p for p in members if p.listed]
        section.pages = paginate(section.posts, section.config.per_page,
                                 lambda n, s=section: U.section(s.name, n), urls)
        _link_neighbours(section.posts)
        positions = {id(p): i for i, p in enumerate(section.posts)}
        for post in members:
            post.related = _related(post, section.posts, positions.get(id(post)))

    listed = [p for p in posts if p.kind == "post" and p.listed]
    for post in (p for p in posts if p.kind in ("post", "document") and p.listed):   # a tag gathers documents too
        for ref in post.tags:
            tags[ref.slug].posts.append(post)
    tag_list = sorted((t for t in tags.values() if t.posts), key=lambda t: sort_key(t.name))
    for tag in tag_list:
        tag.pages = paginate(tag.posts, cfg.per_page, lambda n, t=tag: U.tag(t.slug, n), urls)

    years: dict[int, Year] = {}
    for post in listed:
        year = post.date.at.year
        if year not in years:
            years[year] = Year(year, U.archive(year), urls.link(U.archive(year)))
        years[year].posts.append(post)
    year_list = [years[y] for y in sorted(years, reverse=True)]
    for year in year_list:
        year.pages = paginate(year.posts, max(cfg.per_page, 50), lambda n, y=year: U.archive(y.year, n), urls)

    inspections: dict[str, list] = {}
    for post in posts:
        if post.meta.inspection is not None:
            inspections.setdefault(post.meta.inspection.id, []).append((post, post.meta.inspection))

    menu = [MenuItem("Trang chủ", urls.link(U.home()), U.home(), False)]
    menu += [MenuItem(s.title, s.url, s.path, False) for s in sections if s.config.in_menu]
    if inspections:
        menu.append(MenuItem("Hồ sơ kiểm tra", urls.link(U.inspections_index()), U.inspections_index(), False))
    menu.append(MenuItem("Tìm kiếm", urls.link(U.search()), U.search(), False))
    for title, target in cfg.menu:
        external = U.is_external(target)
        path = "" if external else target.strip("/") + "/"
        menu.append(MenuItem(title, target if external else urls.link(path if path != "/" else ""),
                             "" if external else path, external))
    return Site(cfg, urls, now, sections, posts, tag_list, year_list, inspections, menu, assets,
                data=dict(data or {}), maintenance=maintenance_notices(cfg, now),
                trust_marks=tuple(TrustMark(urls.link(U.asset(m.image)), m.alt, m.link, m.width, m.height)
                                  for m in cfg.trust_marks if m.image in assets and m.width and m.height))


def maintenance_notices(cfg: Config, now: dt.datetime) -> tuple:
    """The downtime notices shown at ``now``, with their times in the site's zone, as readers read them."""
    shown = []
    for notice in N.shown(cfg, now):
        start, end, restore = (t.astimezone(cfg.tz) for t in (notice.start, notice.end, notice.restore))
        shown.append(MaintenanceNotice(format_datetime(start), format_datetime(end), format_datetime(restore),
                                       notice.reason, start.isoformat(), end.isoformat(), restore.isoformat()))
    return tuple(shown)


def _link_neighbours(listed: list) -> None:
    for index, post in enumerate(listed):
        post.newer = listed[index - 1] if index > 0 else None
        post.older = listed[index + 1] if index + 1 < len(listed) else None


def _related(post: Post, listed: list, index: int | None) -> list:
    """"Tin cùng chuyên mục": the posts published just before this one, then just after."""
    if index is None:                       # an expired or withdrawn post: the newest of its section
        return listed[:RELATED]
    older = listed[index + 1:index + 1 + RELATED]
    newer = listed[max(0, index - RELATED):index][::-1]
    return (older + newer)[:RELATED]


@dataclass(frozen=True)
class CatalogueEntry:
    """One kind of information the portal publishes: where, how, when, for how long."""
    title: str
    url: str
    form: str
    frequency: str
    retention: str


@dataclass(frozen=True)
class MapEntry:
    """One line of the readable site map ("Sơ đồ cổng"): a section or a page, how many items it lists
    ("12 bài viết", empty for a single page) and, for a section of plain pages, those pages."""
    title: str
    url: str
    count: str = ""
    children: tuple = ()


DEFAULT_FREQUENCY = ("Khi có thông tin mới, chậm nhất 05 ngày làm việc kể từ ngày tạo ra thông tin "
                     "(Luật Tiếp cận thông tin, Điều 18)")
DEFAULT_RETENTION = "Lưu trữ lâu dài trên Cổng; bài hết hạn hoặc bị thu hồi vẫn giữ trang để tra cứu"
