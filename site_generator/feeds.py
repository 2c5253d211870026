"""Atom feeds (RFC 4287), latest posts first: each kind says which (kinds/).

A function of the model: absolute URLs everywhere (bodies included), dates
with their offset, no build clock, so two builds give the same bytes.
"""
from __future__ import annotations

import re

from .model import Post, Site
from .text import xml_attribute as quoteattr, xml_text as escape

_ROOT_RELATIVE = re.compile(r'(\s(?:href|src))="/(?!/)')
EPOCH = "2000-01-01T00:00:00+07:00"


def absolutize(html: str, origin: str) -> str:
    """Root-relative links in a body ("/tanduc/files/a.pdf") -> absolute ones for feed readers."""
    return _ROOT_RELATIVE.sub(lambda m: f'{m.group(1)}="{origin}/', html)


def _stamp(post: Post) -> str:
    return post.last_modified.at.isoformat()


def atom(site: Site, title: str, path: str, page_path: str, posts: list) -> bytes:
    urls = site.urls
    entries = posts[:site.config.feed_limit]
    updated = max((_stamp(p) for p in entries), default=EPOCH)
    author = site.config.author or site.config.title
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
           f"  <title>{escape(title)}</title>",
           f"  <id>{escape(urls.absolute(page_path))}</id>",
           f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(urls.absolute(path))}/>",
           f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(urls.absolute(page_path))}/>",
           f"  <updated>{updated}</updated>",
           f"  <author><name>{escape(author)}</name></author>",
           "  <generator>site_generator</generator>"]
    for post in entries:
        out += ["  <entry>",
                f"    <title>{escape(post.title)}</title>",
                f"    <id>{escape(post.abs_url)}</id>",
                f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(post.abs_url)}/>",
                f"    <published>{post.date.at.isoformat()}</published>",
                f"    <updated>{_stamp(post)}</updated>",
                f"    <author><name>{escape(post.meta.author or author)}</name></author>",
                f"    <category term={quoteattr(post.section.name)} label={quoteattr(post.section.title)}/>"]
        out += [f"    <category term={quoteattr(t.slug)} label={quoteattr(t.name)}/>" for t in post.tags]
        if post.summary:
            out.append(f"    <summary>{escape(post.summary)}</summary>")
        out.append(f"    <content type=\"html\">{escape(absolutize(post.html, urls.origin))}</content>")
        out.append("  </entry>")
    out.append("</feed>\n")
    return "\n".join(out).encode("utf-8")
