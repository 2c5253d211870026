"""Posts and plain pages: sections and their lists, each post's page, tags, archives by year,
the site's and each section's Atom feed, and the sections in the catalogue."""
from __future__ import annotations

from typing import Iterator

from .. import schema as S
from .. import urls as U
from ..feeds import atom
from ..model import DEFAULT_FREQUENCY, DEFAULT_RETENTION, CatalogueEntry, Site
from ..page import PageInfo, info, job, paged_title
from . import Kind, SectionKind

OWN = ("posts", "pages")


def pages(site: Site) -> Iterator[tuple]:
    for section in site.sections:
        if section.config.kind not in OWN:        # the other kinds list their own sections
            continue
        first = section.posts[0].last_modified if section.posts else None
        for pager in section.pages:
            template = "pages_index.html" if section.is_pages else "list.html"
            yield job(template, info(site, "section", paged_title(section.title, pager), pager.path,
                                     section.config.description,
                                     feed_url="" if section.is_pages else section.feed_url,
                                     feed_title=section.title, sitemap=pager.number == 1,
                                     lastmod=first.at.isoformat() if first and pager.number == 1 else ""),
                      heading=section.title, pager=pager, section=section)

    for post in site.posts:
        if post.kind in ("post", "page"):
            yield post_job(site, post)

    yield job("tags.html", info(site, "tags", "Từ khóa", U.tags_index(), sitemap=True), tags=site.tags)
    for tag in site.tags:
        for pager in tag.pages:
            yield job("list.html", info(site, "tag", paged_title(f"Từ khóa: {tag.name}", pager), pager.path,
                                        sitemap=pager.number == 1),
                      heading=f"Từ khóa: {tag.name}", pager=pager, section=None)

    yield job("archives.html", info(site, "years", "Lưu trữ", U.archive_index(), sitemap=True), years=site.years)
    for year in site.years:
        for pager in year.pages:
            yield job("list.html", info(site, "year", paged_title(f"Lưu trữ năm {year.year}", pager), pager.path,
                                        sitemap=pager.number == 1),
                      heading=f"Lưu trữ năm {year.year}", pager=pager, section=None)


def post_job(site: Site, post) -> tuple:
    """The page of one post or plain page."""
    urls = site.urls
    modified = post.last_modified
    page_info = PageInfo(post.title, post.path, urls.link(post.path), urls.absolute(post.path),
                         post.summary or site.config.description, post.kind, image=post.image_url,
                         noindex=post.draft or post.future, sitemap=not (post.draft or post.future),
                         lastmod=modified.at.isoformat() if modified else "")
    return "page.html" if post.kind == "page" else "post.html", page_info, {"post": post}


def files(site: Site) -> Iterator[tuple[str, bytes]]:
    yield U.site_feed(), atom(site, site.config.title, U.site_feed(), U.home(), site.listed)
    for section in site.sections:
        if section.config.kind == "posts":
            yield section.feed_path, atom(site, f"{section.title} - {site.config.title}", section.feed_path,
                                          section.path, section.posts)


def catalogue(site: Site) -> list:
    entries = []
    for section in site.sections:
        if section.config.kind not in OWN:
            continue
        if section.is_pages:
            form = f"Trang thông tin tại mục “{section.title}”"
            frequency = section.config.frequency or "Cập nhật khi có thay đổi"
        else:
            form = f"Bài viết tại mục “{section.title}”, kèm tệp văn bản; nguồn tin Atom của mục"
            frequency = section.config.frequency or DEFAULT_FREQUENCY
        entries.append(CatalogueEntry(section.title, section.url, form, frequency,
                                      section.config.retention or DEFAULT_RETENTION))
    return entries


PLACEHOLDER = "Viết nội dung bài ở đây. Mỗi đoạn cách nhau một dòng trống."

STARTER = """---
title: "{title}"
date: {date}
slug: {slug}
draft: true            # bản nháp: chưa đăng. Khi bài xong, đổi thành draft: false (hoặc xóa dòng này)
summary: ""            # tóm tắt một hai câu (để trống: lấy đoạn đầu bài)
tags: []               # ví dụ: [CCHC, "Chuyển đổi số"]
# author: "Phòng Nội vụ"
# image: /files/anh-dai-dien.jpg
# attachments:
#   - file: /files/van-ban.pdf
#     title: "Tên văn bản"
---

{placeholder}
"""


def new_post(title: str, slug: str, now, cfg=None) -> tuple[str, str]:
    """``build.py new tin-tuc "..."``: a dated draft with the keys an editor fills in."""
    return f"{now:%Y-%m-%d}-{slug}.md", STARTER.format(title=title, date=f"{now:%Y-%m-%d %H:%M}", slug=slug,
                                                      placeholder=PLACEHOLDER)


def new_page(title: str, slug: str, now, cfg=None) -> tuple[str, str]:
    """``build.py new trang "..."``: a plain page (named by its slug alone), a draft too."""
    return f"{slug}.md", STARTER.format(title=title, date=f"{now:%Y-%m-%d %H:%M}", slug=slug, placeholder=PLACEHOLDER)


KIND = Kind("posts", pages, files, catalogue, sections=(
    SectionKind("posts", "Bài viết (phần đầu tệp .md)", "bài có ngày, danh sách, nguồn tin", S.POST, "post",
                label="Bài viết", new=new_post, placeholders=(PLACEHOLDER,)),
    SectionKind("pages", "Trang tĩnh (chuyên mục kind: pages)", "trang tĩnh", S.PAGE, "page", on_home=False,
                label="Trang", new=new_page, placeholders=(PLACEHOLDER,), file_name="{{slug}}")))
