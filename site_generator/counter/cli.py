"""`python build.py counter`: options and entry point (the endpoint itself lives beside this module).

    python build.py counter [serve]                 run the endpoint (gunicorn; --server dev for a quick try)
    python build.py counter import-baseline FILE    set an old portal's totals (or restore an export)
    python build.py counter export [FILE]           write everything as CSV (stdout without FILE)
    python build.py counter export-ratings [FILE]   the ratings and comments for the office (CSV for Excel)
    python build.py counter export-monthly [FILE]   views and ratings per month and page, for the office's reports
    python build.py counter --province OUT          one endpoint for every commune of OUT/sites.json
                                                    (export, import-baseline: --site-key KEY, one commune)

Only the standard library is imported here: gunicorn, waitress and redis load when used.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ACTIONS = ("serve", "import-baseline", "export", "export-ratings", "export-monthly")

TEXT = {
    "vi": {
        "action": "serve (mặc định): chạy bộ đếm; import-baseline TỆP: nhập số liệu cũ (CSV); export [TỆP]: xuất CSV; "
                  "export-ratings [TỆP]: xuất các đánh giá và góp ý của người đọc (CSV mở bằng Excel); "
                  "export-monthly [TỆP]: lượt xem và đánh giá theo tháng, theo trang (CSV cho báo cáo)",
        "file": "tệp CSV cho import-baseline / export",
        "db": "tệp cơ sở dữ liệu SQLite (mặc định counter.sqlite3)",
        "pages": "thư mục trang đã xây dựng: chỉ đếm các trang trong đó (mặc định public/ trong thư mục trang)",
        "host": "địa chỉ (mặc định 127.0.0.1)",
        "port": "cổng (mặc định 8081)",
        "redis": "dùng Redis thay cho SQLite, ví dụ redis://127.0.0.1:6379/0",
        "proxy": "địa chỉ/mạng của proxy tin cậy (nginx, Apache): chỉ khi đó mới đọc X-Forwarded-For; lặp lại được",
        "origin": "nguồn khác được phép gọi bộ đếm, ví dụ https://example.gov.vn; lặp lại được",
        "base_path": "thư mục con của base_url (mặc định: đọc từ <link rel=canonical> của trang đã xây dựng)",
        "url": "địa chỉ bộ đếm (mặc định counter.url trong site.yaml)",
        "server": "máy chủ: gunicorn (mặc định), waitress, dev (thử nghiệm)",
        "workers": "số tiến trình gunicorn",
        "rate": "giới hạn cho mỗi địa chỉ IP (IPv6: mạng /64): số yêu cầu mỗi giây (mặc định 2; 0 = không giới hạn)",
        "burst": "giới hạn cho mỗi địa chỉ IP: số yêu cầu liền một lúc (mặc định 30)",
        "per_address": "số lượt xem một trang được đếm tối đa cho mỗi địa chỉ IP mỗi ngày (1 đến 1000, mặc định 10)",
        "salt_file": "tệp giữ khóa bí mật của ngày (mặc định trong bộ nhớ: $RUNTIME_DIRECTORY, $XDG_RUNTIME_DIR "
                     "hoặc /dev/shm); nhiều máy dùng chung Redis thì mọi máy dùng một bản sao của cùng tệp",
        "cleanup": "số giây giữa hai lần dọn dữ liệu hết hạn (mặc định 60)",
        "sync": "PRAGMA synchronous của SQLite: NORMAL (mặc định) hoặc FULL (không mất gì kể cả khi mất điện)",
        "online_cache": "giây giữ con số \"Đang truy cập\" của SQLite (mặc định 10)",
        "province": "thư mục chứa sites.json của tỉnh: một bộ đếm cho mọi xã, phường trong đó (--db khi đó là "
                    "một thư mục, mặc định counter-db, mỗi xã, phường một tệp)",
        "site_key": "với --province: khóa của xã, phường (trong sites.json) cho export, export-ratings, "
                    "export-monthly, import-baseline",
        "need_key": "với --province, {action} cần --site-key KHÓA của một xã, phường; ví dụ: {keys}",
        "unknown_key": "không có xã, phường nào có khóa {key!r} trong {file}; ví dụ: {keys}",
        "key_alone": "--site-key chỉ dùng cùng --province",
        "serving_province": "Bộ đếm lượt xem cho {sites} xã, phường{province}: http://{host}:{port}{mount} "
                            "({store}, {pages} trang, máy chủ {server})",
        "no_file": "import-baseline cần tên tệp CSV",
        "imported": "Đã nhập số liệu ban đầu: {pages} trang{site}.",
        "restored": "Đã khôi phục từ bản xuất: {pages} trang, {days} ngày.",
        "exported": "Đã xuất vào {file}.",
        "exported_ratings": "Đã xuất {ratings} lượt đánh giá ({comments} góp ý) vào {file}.",
        "exported_monthly": "Đã xuất {rows} dòng (tháng, trang) vào {file}.",
        "no_server": "Chưa cài gunicorn hoặc waitress: pip install gunicorn (hoặc waitress), hay dùng --server dev.",
        "serving": "Bộ đếm lượt xem: http://{host}:{port}{mount} ({store}, {pages} trang, máy chủ {server})",
        "db_error": "counter: không dùng được cơ sở dữ liệu {db}: {reason} — kiểm tra --db: thư mục phải có sẵn, "
                    "ghi được (cả thư mục lẫn tệp) và nằm trên ổ đĩa của máy này.",
        "redis_error": "counter: không dùng được Redis {url}: {reason} — kiểm tra --redis (địa chỉ, mật khẩu), "
                       "mạng và Redis có đang chạy, ghi được không.",
        "salt_error": "counter: không dùng được tệp khóa của ngày: {reason} — kiểm tra --salt-file "
                      "(thư mục ghi được, tệp thuộc người dùng chạy bộ đếm, chmod 600).",
        "store_error": "counter: {reason}",
        "unreadable": "không mở được tệp",
        "readonly": "chỉ đọc, không ghi được",
        "full": "ổ đĩa đầy",
        "damaged": "tệp không phải cơ sở dữ liệu SQLite hoặc đã hỏng",
        "locked": "đang bị khóa bởi chương trình khác",
        "refused": "không kết nối được",
    },
    "en": {
        "action": "serve (default): run the endpoint; import-baseline FILE: import old totals (CSV); export [FILE]: CSV; "
                  "export-ratings [FILE]: readers' ratings and comments (CSV for Excel); "
                  "export-monthly [FILE]: views and ratings per month and page (CSV for reports)",
        "file": "the CSV file for import-baseline / export",
        "db": "SQLite database file (default counter.sqlite3)",
        "pages": "a built site: only its pages are counted (default: public/ in the site folder)",
        "host": "address (default 127.0.0.1)",
        "port": "port (default 8081)",
        "redis": "use Redis instead of SQLite, e.g. redis://127.0.0.1:6379/0",
        "proxy": "address/network of a trusted proxy (nginx, Apache): only then is X-Forwarded-For read; repeatable",
        "origin": "another origin allowed to call the counter, e.g. https://example.gov.vn; repeatable",
        "base_path": "base_url's sub-path (default: read from the built pages' <link rel=canonical>)",
        "url": "the counter's URL (default: counter.url in site.yaml)",
        "server": "server: gunicorn (default), waitress, dev (for trying out)",
        "workers": "number of gunicorn worker processes",
        "rate": "per-address limit (IP, IPv6 /64): requests per second (default 2; 0 = no limit)",
        "burst": "per-address limit: requests at once (default 30)",
        "per_address": "views of one page counted per address per day at most (1 to 1000, default 10)",
        "salt_file": "file holding the day's secret key (default in memory: $RUNTIME_DIRECTORY, $XDG_RUNTIME_DIR "
                     "or /dev/shm); machines sharing one Redis each use a copy of the same file",
        "cleanup": "seconds between deletions of expired data (default 60)",
        "sync": "SQLite PRAGMA synchronous: NORMAL (default) or FULL (nothing lost even on power failure)",
        "online_cache": "seconds SQLite keeps the \"online\" figure (default 10)",
        "province": "the folder of the province's sites.json: one counter for every commune in it (--db is then "
                    "a folder, default counter-db, one file per commune)",
        "site_key": "with --province: the commune's key (in sites.json) for export, export-ratings, "
                    "export-monthly, import-baseline",
        "need_key": "with --province, {action} needs --site-key KEY of one commune; for example: {keys}",
        "unknown_key": "no commune has the key {key!r} in {file}; for example: {keys}",
        "key_alone": "--site-key goes with --province only",
        "serving_province": "View counter for {sites} communes{province}: http://{host}:{port}{mount} "
                            "({store}, {pages} pages, {server} server)",
        "no_file": "import-baseline needs a CSV file name",
        "imported": "Baseline imported: {pages} pages{site}.",
        "restored": "Restored from an export: {pages} pages, {days} days.",
        "exported": "Exported to {file}.",
        "exported_ratings": "Exported {ratings} ratings ({comments} comments) to {file}.",
        "exported_monthly": "Exported {rows} rows (month, page) to {file}.",
        "no_server": "Neither gunicorn nor waitress is installed: pip install gunicorn (or waitress), or use --server dev.",
        "serving": "View counter: http://{host}:{port}{mount} ({store}, {pages} pages, {server} server)",
        "db_error": "counter: cannot use the database {db}: {reason} — check --db: its folder must exist, be "
                    "writable (the folder and the file) and be on a local disk.",
        "redis_error": "counter: cannot use Redis {url}: {reason} — check --redis (address, password), the network, "
                       "and that Redis runs and accepts writes.",
        "salt_error": "counter: cannot use the day's key file: {reason} — check --salt-file (a writable folder, a file "
                      "of the user running the counter, chmod 600).",
        "store_error": "counter: {reason}",
        "unreadable": "cannot open the file",
        "readonly": "read-only, cannot write",
        "full": "the disk is full",
        "damaged": "not an SQLite database, or damaged",
        "locked": "locked by another program",
        "refused": "cannot connect",
    },
}


def add_arguments(parser: argparse.ArgumentParser, language: str) -> None:
    t = TEXT["en" if language == "en" else "vi"]
    parser.add_argument("action", nargs="?", choices=ACTIONS, default="serve", help=t["action"])
    parser.add_argument("file", nargs="?", type=Path, help=t["file"])
    parser.add_argument("--db", type=Path, default=Path("counter.sqlite3"), help=t["db"])
    parser.add_argument("--pages", type=Path, metavar="DIR", help=t["pages"])
    parser.add_argument("--host", default="127.0.0.1", help=t["host"])
    parser.add_argument("--port", type=int, default=8081, help=t["port"])
    parser.add_argument("--redis", metavar="URL", default="", help=t["redis"])
    parser.add_argument("--proxy", action="append", default=[], metavar="CIDR", help=t["proxy"])
    parser.add_argument("--origin", action="append", default=[], metavar="URL", help=t["origin"])
    parser.add_argument("--base-path", default="", metavar="/PATH/", help=t["base_path"])
    parser.add_argument("--url", default="", help=t["url"])
    parser.add_argument("--server", choices=("auto", "gunicorn", "waitress", "dev"), default="auto", help=t["server"])
    parser.add_argument("--workers", type=int, default=0, help=t["workers"])
    parser.add_argument("--rate", type=float, default=None, help=t["rate"])
    parser.add_argument("--burst", type=float, default=None, help=t["burst"])
    parser.add_argument("--sync", choices=("NORMAL", "FULL"), type=str.upper, default=None, help=t["sync"])
    parser.add_argument("--online-cache", type=float, default=None, metavar="SECONDS", help=t["online_cache"])
    parser.add_argument("--per-address", type=int, default=None, metavar="N", help=t["per_address"])
    parser.add_argument("--salt-file", type=Path, default=None, metavar="FILE", help=t["salt_file"])
    parser.add_argument("--cleanup", type=float, default=None, metavar="SECONDS", help=t["cleanup"])
    parser.add_argument("--province", type=Path, default=None, metavar="DIR", help=t["province"])
    parser.add_argument("--site-key", default="", metavar="KEY", help=t["site_key"])


def _options(args: argparse.Namespace):
    import os

    from .config import Options, options_from_env
    options = options_from_env(os.environ, Options(site=args.site, db=args.db))
    explicit = {
        "db": args.db if args.db != Path("counter.sqlite3") or "COUNTER_DB" not in os.environ else None,
        "pages": args.pages, "redis": args.redis, "base_path": args.base_path, "url": args.url,
        "proxies": tuple(args.proxy), "origins": tuple(args.origin), "rate": args.rate, "burst": args.burst,
        "synchronous": args.sync, "online_cache": args.online_cache, "per_address": args.per_address,
        "salt_file": args.salt_file, "cleanup": args.cleanup, "province": args.province,
        "site_key": args.site_key,
    }
    for name, value in explicit.items():
        if value not in (None, "", ()):
            setattr(options, name, value)
    return options


def run(args: argparse.Namespace) -> int:
    from .config import ConfigError
    from .transfer import CSVError

    language = "en" if getattr(args, "lang", None) == "en" else "vi"
    t = TEXT[language]
    options = None
    try:
        options = _options(args)
        if options.province and args.action == "serve":
            return serve_province(options, args, t)
        if options.province:
            options = _commune(options, args.action, t)
            if options is None:
                return 2
        elif options.site_key:
            print(f"counter: {t['key_alone']}", file=sys.stderr)
            return 2
        if args.action == "export":
            return export(options, args.file, t)
        if args.action == "export-ratings":
            return export_ratings(options, args.file, t)
        if args.action == "export-monthly":
            return export_monthly(options, args.file, t)
        if args.action == "import-baseline":
            if args.file is None:
                print(t["no_file"], file=sys.stderr)
                return 2
            return import_baseline(options, args.file, t)
        return serve(options, args, t)
    except CSVError as error:
        for line in error.problems:
            print(line, file=sys.stderr)
        return 1
    except ConfigError as error:
        print(f"counter: {error}", file=sys.stderr)
        return 2
    except Exception as error:              # the store or the key file cannot be used: one line, no traceback
        message = _store_problem(error, options, t)
        if message is None:
            if not isinstance(error, OSError):
                raise
            message = f"counter: {error}"
        print(message, file=sys.stderr)
        return 2


REASONS = ((("unable to open", "cannot be opened"), "unreadable"), (("readonly", "read-only"), "readonly"),
           (("full",), "full"), (("not a database", "malformed", "damaged"), "damaged"), (("locked", "busy"), "locked"),
           (("connect",), "refused"))


def _reason(text: str, t: dict) -> str:
    lower = text.lower()
    said = next((t[key] for words, key in REASONS if any(word in lower for word in words)), None)
    return f"{said} ({text})" if said else text


def _store_problem(error, options, t: dict) -> str | None:
    """A one-line message for an error of SQLite, Redis or the key file (None: not one of theirs)."""
    import sqlite3

    from .salt import SaltError
    from .store import StoreError
    text = " ".join(str(error).split())             # one line
    if isinstance(error, SaltError):
        return t["salt_error"].format(reason=text)
    if type(error).__module__.startswith("redis") or isinstance(error, _Unhealthy) and "Redis" in text:
        return t["redis_error"].format(url=options.redis if options else "?", reason=_reason(text, t))
    if isinstance(error, (sqlite3.Error, _Unhealthy)):
        from .config import province_db
        db = "?" if options is None else f"{province_db(options)}/" if options.province else options.db
        return t["db_error"].format(db=db, reason=_reason(text, t))
    if isinstance(error, StoreError):
        return t["store_error"].format(reason=text)
    return None


class _Unhealthy(Exception):
    """The store opened but its health check failed (read-only, full, damaged)."""


def _open(options):
    from .store import open_store
    return open_store(db=options.db, redis_url=options.redis or _site_counter(options).get("redis") or None,
                      prefix=options.prefix, synchronous=options.synchronous)


def _site_counter(options) -> dict:
    from .config import read_site_yaml
    return read_site_yaml(options.site).get("counter") or {}


def import_baseline(options, file: Path, t: dict) -> int:
    from . import transfer
    from .paths import FixedPages, published_paths
    from .store import Dump
    pages_dir = Path(options.pages) if options.pages else Path(options.site) / "public"
    known = FixedPages(published_paths(pages_dir, options.base_path or None)) \
        if (pages_dir / "index.html").is_file() else None
    data = transfer.read(file.read_text(encoding="utf-8"), str(file), known)
    store = _open(options)
    try:
        if isinstance(data, Dump):
            store.restore(data)
            print(t["restored"].format(pages=len(data.pages), days=len(data.site_days)))
        else:
            store.set_baseline(data.pages, data.site_total)
            site = "" if data.site_total is None else f" + {data.site_total}"
            print(t["imported"].format(pages=len(data.pages), site=site))
    finally:
        store.close()
    return 0


def _dump(options):
    store = _open(options)
    try:
        return store.dump()
    finally:
        store.close()


def _emit(text: str, file: Path | None, encoding: str = "utf-8") -> bool:
    """Write text to FILE, or to stdout for none or "-"; True when written to a file (say so on stderr)."""
    if file is None or str(file) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode(encoding))
        sys.stdout.flush()
        return False
    file.write_bytes(text.encode(encoding))
    return True


def export(options, file: Path | None, t: dict) -> int:
    from . import transfer
    if _emit(transfer.write(_dump(options)), file):
        print(t["exported"].format(file=file), file=sys.stderr)
    return 0


def export_ratings(options, file: Path | None, t: dict) -> int:
    from .ratings import office_csv
    dump = _dump(options)
    if _emit(office_csv(dump), file):
        print(t["exported_ratings"].format(file=file, ratings=sum(dump.rating_days.values()),
                                           comments=len(dump.rating_comments)), file=sys.stderr)
    return 0


def export_monthly(options, file: Path | None, t: dict) -> int:
    from .stats import monthly_csv, monthly_rows
    dump = _dump(options)
    if _emit(monthly_csv(dump), file):
        print(t["exported_monthly"].format(file=file, rows=len(monthly_rows(dump))), file=sys.stderr)
    return 0


def serve(options, args: argparse.Namespace, t: dict) -> int:
    import time

    from . import server
    from .app import make_app
    from .config import settings
    from .periods import periods
    s = settings(options)
    app = make_app(s)
    store = s.open_store()                      # open (and migrate) now: fail before serving, not on a request
    try:
        problem = store.health()
    finally:
        store.close()
    if problem:
        raise _Unhealthy(problem)
    app.salts.for_day(periods(time.time(), s.zone).today)      # the key file too
    name = "dev" if args.server == "dev" else server.pick(args.server)
    if name == "none":
        print(t["no_server"], file=sys.stderr)
        return 2
    store = f"Redis {options.redis}" if options.redis else f"SQLite {options.db}"
    print(t["serving"].format(host=args.host, port=args.port, mount=app.mount, store=store, pages=len(s.pages),
                              server=name), flush=True)
    return _run_server(name, app, args)


def _run_server(name: str, app, args) -> int:
    from . import server
    if name == "gunicorn":
        return server.run_gunicorn(app, args.host, args.port, args.workers or server.default_workers())
    if name == "waitress":
        return server.run_waitress(app, args.host, args.port)
    return server.run_dev(app, args.host, args.port)


# ------------------------------------------------------------------ a province: every commune of sites.json
def _commune(options, action: str, t: dict):
    """The options of the commune --site-key names (for export and import-baseline), None when it names none."""
    from .config import commune_options, load_province, province_db
    province = load_province(options)
    examples = ", ".join(c.key for c in province.communes[:5]) + (", ..." if len(province.communes) > 5 else "")
    if not options.site_key:
        print(f"counter: {t['need_key'].format(action=action, keys=examples)}", file=sys.stderr)
        return None
    commune = province.commune(options.site_key)
    if commune is None:
        print(f"counter: {t['unknown_key'].format(key=options.site_key[:80], file=province.folder / 'sites.json', keys=examples)}",
              file=sys.stderr)
        return None
    if not options.redis:
        province_db(options).mkdir(mode=0o700, exist_ok=True)
    return commune_options(options, commune)


def _more_files() -> None:
    """A commune's SQLite file is 3 descriptors (database, WAL, index) per thread that uses it: with a
    few hundred communes, the usual soft limit of 1,024 would be reached. Raise it to the hard limit."""
    try:
        import resource
    except ImportError:                             # Windows: no such limit
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError):
            pass


def serve_province(options, args: argparse.Namespace, t: dict) -> int:
    import time

    from . import server
    from .config import province_app, province_db
    from .periods import periods
    _more_files()
    app = province_app(options)
    for key, commune_app in app.apps.items():   # open (and migrate) every store now: fail before serving
        store = commune_app.s.open_store()
        try:
            problem = store.health()
        finally:
            store.close()
        if problem:
            raise _Unhealthy(f"{key}: {problem}")
        commune_app.salts.for_day(periods(time.time(), commune_app.s.zone).today)
    name = "dev" if args.server == "dev" else server.pick(args.server)
    if name == "none":
        print(t["no_server"], file=sys.stderr)
        return 2
    store = f"Redis {options.redis}" if options.redis else f"SQLite {province_db(options)}/"
    first = next(iter(app.apps.values()))
    print(t["serving_province"].format(
        sites=len(app.apps), province=f" ({app.province.name})" if app.province.name else "", host=args.host,
        port=args.port, mount=first.mount, store=store, pages=sum(len(a.s.pages) for a in app.apps.values()),
        server=name), flush=True)
    return _run_server(name, app, args)
