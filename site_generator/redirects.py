"""Old addresses keep working: a post's ``aliases`` (its addresses on the portal it came from) redirect to it.

An alias is read as the path and query string of an old address (``http://huyen.gov.vn/Pages/
tin-tuc.aspx?ItemID=18746`` and ``/Pages/tin-tuc.aspx?ItemID=18746`` are the same alias; the host
is dropped: the old domain is expected to point at the new portal). Every redirect is emitted in
each form a host can use, all relative to the folder the portal is served from:

- a static page at the old path (``meta refresh`` and a canonical link, readable without
  JavaScript), for hosts where nothing can be configured - only for paths a static server
  serves as a page (a folder, no extension, ``.html``/``.htm``), never ``.aspx``/``.php``,
  which a server might run;
- Apache rules in ``.htaccess`` (``mod_rewrite``: query strings too), IIS ``<location>``
  redirects in ``web.config`` (built into IIS, paths only: a query string needs the URL Rewrite
  module, whose absence would break the whole site, so those are listed in a comment), and an
  nginx ``map`` in ``redirects.nginx.conf`` (exact ``$request_uri``, query strings too).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

MAX_LENGTH = 1000                # characters of an old address
_BAD_CHARACTER = re.compile(r"[\x00-\x1f\x7f\\]")
STUB_SUFFIXES = (".html", ".htm")


class BadAlias(ValueError):
    """An old address that cannot be kept (the message names why, for the editor)."""


@dataclass(frozen=True)
class Alias:
    path: str                    # decoded, without the leading "/": "Pages/tin-tuc.aspx", "tin-tuc/bai-cu/"
    query: str                   # as written: "ItemID=18746&CateID=0", or ""
    raw: str                     # the path as written (percent-encoded): what $request_uri holds

    @property
    def stub(self) -> str | None:
        """The page path of the static page at the old address, or None (server rules only)."""
        if self.query or not self.path:
            return None
        last = self.path.rstrip("/").rsplit("/", 1)[-1]
        if self.path.endswith("/") or "." not in last:
            return self.path.rstrip("/") + "/"
        return self.path if last.lower().endswith(STUB_SUFFIXES) else None

    @property
    def key(self) -> tuple:
        """What two aliases share when they lead to the same place (``/a`` and ``/a/``: one page)."""
        return self.stub or self.path, self.query

    @property
    def shown(self) -> str:
        return "/" + self.path + ("?" + self.query if self.query else "")


def parse(text: str) -> Alias:
    """An old address -> Alias; raises BadAlias with the reason (in Vietnamese) for one that cannot be kept."""
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise BadAlias(f"dài quá {MAX_LENGTH} ký tự")
    try:
        parts = urlsplit(text)
    except ValueError as err:
        raise BadAlias("không đọc được địa chỉ") from err
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        raise BadAlias("chỉ nhận địa chỉ http://, https:// hoặc đường dẫn bắt đầu bằng /")
    if not parts.scheme and not text.startswith("/"):
        raise BadAlias("đường dẫn phải bắt đầu bằng / (hoặc là địa chỉ đầy đủ http://...)")
    if text.startswith("//") and not parts.scheme:
        raise BadAlias("thiếu http:// hoặc https:// trước tên miền")
    raw = parts.path or "/"
    path = unquote(raw)
    segments = path.split("/")[1:]
    if any(s in (".", "..") or s.startswith(".") for s in segments) or _BAD_CHARACTER.search(path):
        raise BadAlias("đường dẫn có thành phần không cho phép (.., tệp ẩn, ký tự điều khiển, \\)")
    if any(len(s.encode("utf-8")) > 200 for s in segments):
        raise BadAlias("một phần của đường dẫn dài quá 200 byte")
    if not path.strip("/") and not parts.query:
        raise BadAlias("là trang chủ của cổng")
    return Alias(path.lstrip("/"), parts.query, raw)


@dataclass(frozen=True)
class Redirect:
    alias: Alias
    post: object                 # model.Post: the page the old address leads to

    @property
    def target(self) -> str:     # the absolute URL of that page
        return self.post.abs_url


def redirects(site) -> list[Redirect]:
    """Every alias of every published post and page, in the order of their old addresses."""
    found = [Redirect(alias, post) for post in site.posts for alias in post.meta.aliases]
    return sorted(found, key=lambda r: (r.alias.path, r.alias.query, r.post.source))


# ------------------------------------------------------------------------ the servers' forms

def htaccess(found: list[Redirect]) -> list[str]:
    if not found:
        return []
    lines = ["# The old portal's addresses (aliases:), redirected to their pages.", "<IfModule mod_rewrite.c>",
             "  RewriteEngine On"]
    for r in found:
        if r.alias.query:
            lines.append(f'  RewriteCond "%{{QUERY_STRING}}" "^{_apache(re.escape(r.alias.query))}$"')
        pattern = "^" + _apache(re.escape(r.alias.path)) + "$"
        lines.append(f'  RewriteRule "{pattern}" "{_apache(r.target)}?" [R=301,L]')
    return lines + ["</IfModule>"]


def _apache(text: str) -> str:
    return text.replace('"', '\\"')


def web_config(found: list[Redirect]) -> str:
    """``<location>`` elements (paths only) and a comment listing the rest."""
    out, listed = [], []
    for r in found:
        path = r.alias.path.rstrip("/")
        if r.alias.query or not path or re.search(r'[*?:<>|"%&]', path):
            listed.append(r.alias.shown + " -> " + r.target)
            continue
        out.append(f'  <location path="{html.escape(path)}">\n    <system.webServer>\n'
                   f'      <httpRedirect enabled="true" destination="{html.escape(r.target)}" exactDestination="true"'
                   f' httpResponseStatus="Permanent" />\n    </system.webServer>\n  </location>\n')
    if listed:
        shown = "\n".join("    " + line.replace("--", "- -") for line in listed)
        out.append("  <!-- Old addresses with a query string: IIS redirects these only with the URL Rewrite module\n"
                   f"       (see the admins' guide):\n{shown}\n  -->\n")
    return "".join(out)


def nginx_map(found: list[Redirect]) -> bytes:
    entries = []
    for r in found:
        if "$" in r.alias.raw + r.alias.query + r.target:    # nginx strings cannot escape a variable sign
            continue
        keys = {quote(unquote(r.alias.raw), safe="/:@!$&'()*+,;=-._~"), r.alias.raw}
        for key in sorted(keys):
            uri = key + ("?" + r.alias.query if r.alias.query else "")
            entries.append((uri, r.target))
    longest = max((len(uri.encode("utf-8")) for uri, _ in entries), default=0)
    lines = ["# The old portal's addresses (aliases:). In nginx's http { } block: include this file;",
             "# in the portal's server { }: if ($portal_redirect) { return 301 $portal_redirect; }",
             "# (the hash sizes below fit these addresses: leave out your own map_hash_* lines, or raise them)",
             f"map_hash_bucket_size {_power_of_two(longest + 32, 64)};",
             f"map_hash_max_size {_power_of_two(2 * len(entries), 2048)};",
             "map $request_uri $portal_redirect {", "    default \"\";"]
    lines += [f'    "{_nginx(uri)}" "{_nginx(target)}";' for uri, target in entries]
    return ("\n".join(lines + ["}", ""])).encode("utf-8")


def _power_of_two(at_least: int, floor: int) -> int:
    size = floor
    while size < at_least:
        size *= 2
    return size


def _nginx(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
