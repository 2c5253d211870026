"""One counter for every commune of a province: sites.json, the choice of the commune, the dispatcher.

The province build writes ``OUT/sites.json`` (version 1) beside the communes' built pages:

    {"version": 1, "province": {"name": "Lâm Đồng", "code": 68},
     "sites": [{"key": "xa-ham-tan", "code": 23236, "name": "Xã Hàm Tân",
                "base_url": "https://hamtan.lamdong.gov.vn/", "pages": "xa-ham-tan",
                "timezone": "Asia/Ho_Chi_Minh"}, ...]}

Each commune is served by a CounterApp of its own (its pages, store, zone and derived day key); the
ProvinceApp in front picks the commune of each request:

1. the Host header, matched against the host of each base_url (not X-Forwarded-Host: the proxy sets
   Host, and nothing else is believed); when no commune has that host, the host of the Origin (or of
   the Referer), so a counter on a host of its own, called across origins, works too;
2. several communes on that host (base_urls with sub-paths, https://lamdong.gov.vn/hamtan/): the longest
   base path that starts the request's own path (``/hamtan/api/hit``, removed before the commune's app
   sees it), else the page path the request names (``{"path": ...}`` of hit and rating, the first
   ``?path=`` of views and ratings), else the path of the Referer;
3. none: 404 ``unknown_site``.

A commune's app then checks everything as for a single site: a page that is not one of that commune's
is refused (422 unknown_page), whichever commune it belongs to.
"""
from __future__ import annotations

import io
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .app import DIGITS, MAX_QUERY, ROUTES, CounterApp, Maintenance, Refusal
from .paths import normalise_base_path, spelling
from .ratings import MAX_BODY as RATING_BODY

SITES_FILE = "sites.json"
MAX_FILE = 8 << 20                  # bytes of sites.json (a province has a few hundred communes)
MAX_SITES = 5000
KEY = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# Names the stores use under their prefix: a site key equal to one would share keys with a single-site store.
RESERVED = frozenset({"schema", "seen", "address", "bucket", "page", "baseline", "page_day", "site_day", "site",
                      "online", "rated", "rated_address", "rating", "rating_day", "rating_comment", "health", "salt"})
log = logging.getLogger("site_generator.counter")


class ProvinceError(ValueError):
    """sites.json cannot be used (its message says where and what, in Vietnamese)."""


@dataclass(frozen=True)
class Commune:
    key: str
    name: str
    code: int | None
    base_url: str
    host: str                       # lower-case, IDNA, no port
    base_path: str                  # "/" or "/hamtan/"
    pages: Path
    timezone: str


@dataclass(frozen=True)
class Province:
    name: str
    code: int | None
    folder: Path
    communes: tuple[Commune, ...]

    def commune(self, key: str) -> Commune | None:
        return next((c for c in self.communes if c.key == key), None)


def host_name(text: str) -> str | None:
    """"HamTan.LamDong.gov.vn:443", "[::1]:8081", "hàmtân.vn" -> the host as compared (None: not one)."""
    text = (text or "").strip().lower()
    if not text or len(text) > 300:
        return None
    if text.startswith("["):
        end = text.find("]")
        return text[:end + 1] if end > 0 else None
    text = text.rsplit(":", 1)[0] if text.count(":") == 1 else text
    text = text.rstrip(".")
    try:
        text = text.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return None
    return text or None


def load(where: Path) -> Province:
    """Read and check sites.json (``where``: the file, or the folder that holds it)."""
    path = Path(where)
    if path.is_dir():
        path = path / SITES_FILE
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE:
            raise ProvinceError(f"{name}: tệp quá lớn (tối đa {MAX_FILE >> 20} MB)")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProvinceError(f"{name}: không có tệp này — hãy xây dựng các trang của tỉnh trước") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProvinceError(f"{name}: không đọc được ({error})") from None
    except (ValueError, RecursionError) as error:
        raise ProvinceError(f"{name}: không phải JSON hợp lệ ({str(error)[:100]})") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ProvinceError(f'{name}: cần {{"version": 1, ...}} (phiên bản 1 của sites.json)')
    province = data.get("province") if isinstance(data.get("province"), dict) else {}
    sites = data.get("sites")
    if not isinstance(sites, list) or not sites:
        raise ProvinceError(f'{name}: "sites" phải là danh sách các xã, phường (không rỗng)')
    if len(sites) > MAX_SITES:
        raise ProvinceError(f'{name}: quá nhiều xã, phường ({len(sites)}; tối đa {MAX_SITES})')
    communes, keys, places = [], set(), {}
    for index, entry in enumerate(sites):
        commune = _commune(entry, path.parent, f"{name}: sites[{index}]")
        if commune.key in keys:
            raise ProvinceError(f'{name}: sites[{index}]: khóa "{commune.key}" bị trùng')
        place = (commune.host, commune.base_path)
        if place in places:
            raise ProvinceError(f'{name}: sites[{index}]: base_url {commune.base_url} trùng với của '
                                f'"{places[place]}"')
        keys.add(commune.key)
        places[place] = commune.key
        communes.append(commune)
    return Province(name=str(province.get("name") or "")[:200], code=_code(province.get("code")),
                    folder=path.parent, communes=tuple(communes))


def _code(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _commune(entry, folder: Path, where: str) -> Commune:
    if not isinstance(entry, dict):
        raise ProvinceError(f"{where}: phải là một đối tượng JSON")
    key = entry.get("key")
    if not isinstance(key, str) or not KEY.fullmatch(key) or key in RESERVED:
        raise ProvinceError(f'{where}: "key" phải gồm chữ thường không dấu, số và dấu gạch ngang '
                            f'(tối đa 63 ký tự), ví dụ "xa-ham-tan"')
    where = f'{where} ("{key}")'
    base_url = entry.get("base_url")
    parts = urlsplit(base_url) if isinstance(base_url, str) and len(base_url) <= 500 else None
    host = host_name(parts.netloc.rsplit("@", 1)[-1]) if parts else None
    if not parts or parts.scheme not in ("http", "https") or not host or parts.query or parts.fragment:
        raise ProvinceError(f'{where}: "base_url" phải là địa chỉ http(s) đầy đủ, ví dụ '
                            f'"https://hamtan.lamdong.gov.vn/"')
    pages = entry.get("pages")
    if not isinstance(pages, str) or not pages or Path(pages).is_absolute() or ".." in Path(pages).parts:
        raise ProvinceError(f'{where}: "pages" phải là thư mục con, tính từ thư mục chứa sites.json')
    pages_dir = folder / pages
    if not (pages_dir / "index.html").is_file():
        raise ProvinceError(f"{where}: {pages_dir}: không có trang đã xây dựng (index.html)")
    timezone = entry.get("timezone", "Asia/Ho_Chi_Minh")
    if not isinstance(timezone, str) or not timezone:
        raise ProvinceError(f'{where}: "timezone" phải là tên múi giờ, ví dụ "Asia/Ho_Chi_Minh"')
    return Commune(key=key, name=str(entry.get("name") or key)[:200], code=_code(entry.get("code")),
                   base_url=base_url, host=host, base_path=normalise_base_path(parts.path or "/"),
                   pages=pages_dir, timezone=timezone)


# ------------------------------------------------------------------ choosing the commune of a request
def _folder_form(path: str | None) -> str | None:
    """A path in the form base paths are compared in: decoded, NFC, ending in "/"."""
    found = spelling(path) if isinstance(path, str) and len(path) <= 2048 else None
    if found is None:
        return None
    return found if found.endswith("/") else found + "/"


def longest_prefix(candidates, path: str | None, exclude_root: bool = False):
    """The candidate (commune, app) whose base path is the longest start of ``path``."""
    form = _folder_form(path)
    if form is None:
        return None
    best = None
    for candidate in candidates:
        base = candidate[0].base_path
        if exclude_root and base == "/":
            continue
        if form.startswith(base) and (best is None or len(base) > len(best[0].base_path)):
            best = candidate
    return best


UNKNOWN = "unknown_site"


class ProvinceApp:
    """The WSGI application in front of one CounterApp per commune."""

    def __init__(self, province: Province, apps: dict[str, CounterApp], cleanup_every: float = 60.0):
        self.province = province
        self.apps = apps
        self.by_host: dict[str, list] = {}
        for commune in province.communes:
            self.by_host.setdefault(commune.host, []).append((commune, apps[commune.key]))
        self.maintenance = Maintenance(cleanup_every, self.maintain)

    # -------------------------------------------------------------- maintenance: one thread for all
    def start_maintenance(self) -> None:
        self.maintenance.start()

    def stop_maintenance(self) -> None:
        self.maintenance.stop()

    def maintain(self) -> None:
        """Every commune's maintenance; one commune's failing store does not stop the others'."""
        for key, app in self.apps.items():
            if self.maintenance.stopped.is_set():
                return
            try:
                app.maintain()
                app.store.close()           # SQLite: this thread's connection (a file each); Redis: nothing
            except Exception as error:
                app._log_now_and_then(f"counter cleanup of {key} failed: {error!r}")

    # -------------------------------------------------------------- WSGI
    def __call__(self, environ, start_response):
        self.maintenance.start()                        # once per process (a no-op after)
        head = environ.get("REQUEST_METHOD", "GET").upper() == "HEAD"
        try:
            commune, app, environ = self.choose(environ)
        except Refusal as refusal:
            return CounterApp._answer(start_response, refusal.status,
                                      {"error": refusal.code, "message": refusal.message}, _HEADERS, head)
        except Exception:
            log.exception("counter: unexpected error choosing the commune")
            return CounterApp._answer(start_response, "500 Internal Server Error",
                                      {"error": "internal", "message": "internal error, try later"}, _HEADERS, head)
        return app(environ, start_response)

    def choose(self, environ):
        """(commune, its app, the environ it is given) for a request; Refusal 404 when none."""
        candidates = self.by_host.get(host_name(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")))
        if not candidates:
            origin = _url(environ.get("HTTP_ORIGIN") or environ.get("HTTP_REFERER"))
            candidates = self.by_host.get(host_name(origin.netloc) if origin else None)
        if not candidates:
            raise Refusal("404 Not Found", UNKNOWN, "no commune is served at this host name")
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        found = longest_prefix(candidates, path, exclude_root=True)
        if found is not None and path.startswith(found[0].base_path):   # /hamtan/api/hit -> /api/hit
            environ = dict(environ, SCRIPT_NAME="", PATH_INFO=path[len(found[0].base_path) - 1:])
            return (*found, environ)
        if len(candidates) == 1:
            return (*candidates[0], environ)
        page, environ = _named_page(environ, max(app.s.max_body for _, app in candidates))
        found = longest_prefix(candidates, page)
        if found is None:
            referer = _url(environ.get("HTTP_REFERER"))
            found = longest_prefix(candidates, referer.path if referer else None)
        if found is None:
            raise Refusal("404 Not Found", UNKNOWN, "several communes share this host name: name the page "
                                                    "(path) or send the Referer of the page")
        return (*found, environ)


_HEADERS = [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff")]


def _url(text: str | None):
    """An absolute URL's parts, or None (nothing, garbage: "http://[")."""
    if not text or "://" not in text or len(text) > 4096:
        return None
    try:
        return urlsplit(text)
    except ValueError:
        return None


def _named_page(environ, max_body: int) -> tuple[str | None, dict]:
    """The page path the request names, and the environ to pass on (a body read here is given back)."""
    route = (environ.get("PATH_INFO") or "").rsplit("/", 1)[-1]
    method = environ.get("REQUEST_METHOD", "GET").upper()
    if route in ("views", "ratings") and method in ROUTES[route]:
        text = environ.get("QUERY_STRING", "")
        if len(text) > MAX_QUERY:
            return None, environ
        try:
            paths = parse_qs(text, keep_blank_values=True, max_num_fields=51).get("path", [])
        except ValueError:
            return None, environ
        return (paths[0] if paths else None), environ
    if route not in ("hit", "rating") or method != "POST":
        return None, environ
    declared = (environ.get("CONTENT_LENGTH") or "").strip()
    limit = RATING_BODY if route == "rating" else max_body
    if not DIGITS.fullmatch(declared) or len(declared) > 9 or int(declared) > limit:
        return None, environ                            # the commune's app will refuse it... if there is one
    data = environ["wsgi.input"].read(int(declared)) if int(declared) else b""
    environ = dict(environ, **{"wsgi.input": io.BytesIO(data)})
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, environ
    return (body.get("path") if isinstance(body, dict) else None), environ
