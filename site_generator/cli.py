"""The command line: build | check | new | serve. The only module that prints.

Exit codes: 0 success, 1 problems in the content, 2 wrong usage.
Help and messages are in Vietnamese, or in English with ``--lang en``
(problems follow site.yaml's ``language`` unless ``--lang`` is given).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import pipeline, validate
from .kinds import section_kind
from .problems import Problem, Problems
from .text import format_number, slugify

COMMANDS = ("build", "check", "new", "list", "serve", "counter", "import", "init", "province")

HELP = {
    "vi": {
        "description": "Xây dựng cổng thông tin điện tử tĩnh từ các tệp Markdown trong content/.",
        "epilog": "Ví dụ:\n  python build.py\n  python build.py check --strict\n"
                  "  python build.py new tin-tuc \"Tiêu đề bài viết\"\n  python build.py serve --port 8000",
        "commands": "lệnh (mặc định: build)",
        "build": "xây dựng trang vào thư mục public/",
        "check": "kiểm tra toàn bộ nội dung, không ghi gì",
        "new": "tạo bài viết mới với ngày hiện tại và đường dẫn",
        "serve": "xây dựng và xem trước tại http://127.0.0.1:8000, tự tải lại khi sửa",
        "counter": "chạy bộ đếm lượt xem (mặc định 127.0.0.1:8081)",
        "province": "xây dựng mọi xã của tỉnh (--site là thư mục có province.yaml) vào OUT/<xã>/ và trang tổng hợp vào OUT/tinh/",
        "province_dir": "thư mục có province.yaml của tỉnh mà cổng này thuộc về (mặc định: thư mục cha, nếu có province.yaml)",
        "province_action": "không ghi: xây dựng mọi xã; nginx, apache: in cấu hình máy chủ cho cả tỉnh; matrix: in tệp CI chia nhóm xã; aggregate: chỉ làm trang tổng hợp (xem docs/tinh-trien-khai.md)",
        "init": "tạo một cổng mới trong thư mục DIR: site.yaml có ghi chú, các chuyên mục, bài mẫu, tệp CI",
        "dir": "thư mục của cổng mới (được tạo nếu chưa có)",
        "init_title": "tên cổng, ví dụ \"Cổng thông tin điện tử xã Tân Đức\"",
        "init_base_url": "địa chỉ công bố, ví dụ https://tanduc.example.gov.vn/",
        "init_province": "tạo kho của cả tỉnh: province.yaml và một thư mục cho mỗi xã, phường (cần --code)",
        "init_code": "mã tỉnh sau sắp xếp 2025, ví dụ 68 (Lâm Đồng); xem bằng --list",
        "init_communes": "chỉ những xã này (tên hoặc mã, cách nhau bằng dấu phẩy); mặc định: mọi xã, phường của tỉnh",
        "init_domain": "tên miền của tỉnh, ví dụ lamdong.gov.vn (mặc định: tên tỉnh không dấu + .gov.vn)",
        "init_list": "liệt kê các tỉnh với mã (hoặc, với --code, các xã của tỉnh) rồi thôi",
        "ci": "viết sẵn tệp dựng và xuất bản tự động cho GitLab, GitHub, Gitea, Forgejo hoặc cả bốn",
        "import": "nhập bài của cổng cũ (thư mục trang đã lưu, tệp xuất WordPress, JSON, CSV) vào content/",
        "source": "nguồn: thư mục trang đã lưu (wget, HTTrack) hoặc tệp .xml (WordPress), .json, .csv",
        "format": "dạng của nguồn (mặc định: đoán theo tên)",
        "config": "tệp cấu hình nhập (preset, selectors, sections, default_section)",
        "site": "thư mục có site.yaml (mặc định: thư mục hiện tại)",
        "output": "thư mục kết quả (mặc định: public/ trong thư mục trang)",
        "drafts": "đăng cả bản nháp (draft: true)",
        "future": "đăng cả bài hẹn giờ (ngày trong tương lai)",
        "strict": "coi cảnh báo là lỗi",
        "lang": "ngôn ngữ của thông báo: vi hoặc en",
        "now": "coi thời điểm này là hiện tại (YYYY-MM-DD HH:MM), để kiểm thử",
        "no_cache": "không dùng bộ nhớ đệm .cache/ (xây dựng lại từ đầu)",
        "timings": "in thời gian của từng bước (đọc, Markdown, mô hình, trang...)",
        "jobs": "số tiến trình chuyển Markdown và dựng trang (mặc định: số lõi CPU)",
        "list": "liệt kê bài chưa đăng: bản nháp (drafts), hẹn giờ (scheduled), đã hết hạn (expired), "
                "hoặc lúc cần xây dựng lại tiếp theo (next)",
        "what": "drafts | scheduled | expired | next",
        "section": "thư mục chuyên mục, ví dụ tin-tuc",
        "title": "tiêu đề bài viết, trong ngoặc kép (với --from: không bắt buộc, mặc định lấy từ tệp Word)",
        "from": "tạo bản nháp từ tệp Word .docx: nội dung, bảng, ảnh, và tệp gốc làm tệp đính kèm",
        "port": "cổng (mặc định 8000)",
        "base_url": "địa chỉ gốc của cổng thay cho base_url trong site.yaml, ví dụ https://tenmien.gov.vn/tanduc/",
        "host": "địa chỉ (mặc định 127.0.0.1)",
        "help": "hiện hướng dẫn này",
    },
    "en": {
        "description": "Build a static public-disclosure news portal from the Markdown files in content/.",
        "epilog": "Examples:\n  python build.py\n  python build.py check --strict\n"
                  "  python build.py new tin-tuc \"Post title\"\n  python build.py serve --port 8000",
        "commands": "command (default: build)",
        "build": "build the site into public/",
        "check": "validate all content, write nothing",
        "new": "write a new post with the current date and a slug",
        "serve": "build and preview on http://127.0.0.1:8000 with live reload",
        "counter": "run the view-counter endpoint (default 127.0.0.1:8081)",
        "province": "build every commune of the province (--site is the folder with province.yaml) into OUT/<commune>/ and the aggregate into OUT/tinh/",
        "province_dir": "the folder with the province.yaml this portal belongs to (default: the parent folder, if it has one)",
        "province_action": "none: build every commune; nginx, apache: print the web server's configuration for the province; matrix: print the CI file in shards; aggregate: the aggregate alone (see docs/tinh-trien-khai.md)",
        "init": "make a new site in DIR: a commented site.yaml, the sections, an example post, CI files",
        "dir": "the new site's folder (made if missing)",
        "init_title": "the portal's title, e.g. \"Cổng thông tin điện tử xã Tân Đức\"",
        "init_base_url": "the address it is published at, e.g. https://tanduc.example.gov.vn/",
        "init_province": "make a whole province's repository: province.yaml and one folder per commune (needs --code)",
        "init_code": "the province's code after the 2025 reform, e.g. 68 (Lâm Đồng); see --list",
        "init_communes": "only these communes (names or codes, comma-separated); default: every commune of the province",
        "init_domain": "the province's domain, e.g. lamdong.gov.vn (default: its name without diacritics + .gov.vn)",
        "init_list": "list the provinces with their codes (or, with --code, the province's communes) and stop",
        "ci": "write ready pipelines (build and deploy) for GitLab, GitHub, Gitea, Forgejo or all four",
        "import": "bring an old portal's pages (saved pages, a WordPress export, JSON, CSV) into content/",
        "source": "the source: a folder of saved pages (wget, HTTrack) or a .xml (WordPress), .json or .csv file",
        "format": "the source's format (default: guessed from its name)",
        "config": "the import settings file (preset, selectors, sections, default_section)",
        "site": "the folder with site.yaml (default: the current folder)",
        "output": "output folder (default: public/ in the site folder)",
        "drafts": "include drafts (draft: true)",
        "future": "include posts dated in the future",
        "strict": "treat warnings as errors",
        "lang": "language of messages: vi or en",
        "now": "take this time as now (YYYY-MM-DD HH:MM), for tests",
        "no_cache": "do not use the .cache/ folder (build from scratch)",
        "timings": "print the time each stage took (load, Markdown, model, pages...)",
        "jobs": "processes converting Markdown and rendering pages (default: one per CPU core)",
        "list": "list the posts not published: drafts, scheduled, expired, or when the next build is due (next)",
        "what": "drafts | scheduled | expired | next",
        "section": "section folder, e.g. tin-tuc",
        "title": "the post's title, quoted (optional with --from: taken from the Word file)",
        "from": "make a draft from a Word .docx file: its text, tables, pictures, and the file as an attachment",
        "port": "port (default 8000)",
        "base_url": "the portal's address instead of site.yaml's base_url, e.g. https://example.gov.vn/tanduc/",
        "host": "address (default 127.0.0.1)",
        "help": "show this help",
    },
}

SAY = {
    "vi": {
        "built": "Đã xây dựng {pages} trang và chép {files} tệp vào {output} trong {seconds} giây.",
        "reused": " {reused} trang không đổi được lấy lại từ bộ nhớ đệm.",
        "up_to_date": "Không có gì thay đổi từ lần xây dựng trước: {output} vẫn đúng ({pages} trang, "
                      "kiểm tra trong {seconds} giây). Dùng --no-cache để xây dựng lại từ đầu.",
        "checked": "Nội dung hợp lệ: {pages} trang ({seconds} giây), không ghi gì.",
        "failed": "{errors} lỗi, {warnings} cảnh báo. Chưa ghi gì: {output} giữ nguyên như lần xây dựng trước.",
        "failed_check": "{errors} lỗi, {warnings} cảnh báo.",
        "strict": "Có cảnh báo và đang dùng --strict nên dừng lại.",
        "warnings": "{warnings} cảnh báo.",
        "left_out": "{what} không được đăng; xem: {commands}",
        "n_drafts": "{n} bản nháp",
        "n_scheduled": "{n} bài hẹn giờ",
        "and": " và ",
        "created": "Đã tạo {path}",
        "created_draft": "Bài đang là bản nháp (`draft: true`): chưa được đăng. Khi bài xong, đổi dòng đó thành "
                         "`draft: false` (hoặc xóa dòng đó) rồi chạy lại `python build.py`.",
        "exists": "Tệp {path} đã có; đặt tiêu đề khác hoặc sửa tệp đó.",
        "unknown_section": "Chuyên mục `{section}` không có trong site.yaml. Các chuyên mục: {known}",
        "bad_title": "Tiêu đề không tạo được đường dẫn; hãy viết tiêu đề có chữ.",
        "bad_now": "--now phải có dạng YYYY-MM-DD HH:MM",
        "no_site": "Không đọc được site.yaml trong {root}.",
        "port_busy": "Cổng {host}:{port} đang được chương trình khác dùng (có thể là một `python build.py serve` "
                     "khác vẫn đang chạy) — chọn cổng khác: `python build.py serve --port {other}`, hoặc tắt chương "
                     "trình kia.",
        "port_refused": "Không mở được cổng {host}:{port} ({reason}) — chọn cổng khác: `python build.py serve "
                        "--port {other}`; cổng dưới 1024 cần quyền quản trị.",
        "none_drafts": "Không có bản nháp nào.",
        "none_scheduled": "Không có bài hẹn giờ nào.",
        "none_expired": "Không có bài nào đã hết hạn.",
        "none_next": "Không có gì hẹn giờ: cổng chỉ đổi khi nội dung đổi (và khi sang ngày mới, với các trang theo ngày).",
        "why": {"scheduled": "bài hẹn giờ được đăng", "expires": "bài hết hạn, rời danh sách",
                "overdue": "kết luận quá hạn khắc phục", "effective": "văn bản có hiệu lực",
                "document-expires": "văn bản hết hiệu lực",
                "maintenance-shown": "thông báo tạm ngừng hoạt động hiện lên các trang",
                "maintenance-over": "thông báo tạm ngừng hoạt động rời các trang"},
        "no_title": "Thiếu tiêu đề: python build.py new CHUYÊN-MỤC \"Tiêu đề bài viết\" (hoặc --from tệp.docx)",
        "word_kind": "Chuyên mục `{section}` không nhận bài từ tệp Word (chỉ chuyên mục bài viết và trang).",
        "word_done": "Đã tạo bản nháp {path} từ {source} ({images} ảnh). Xem lại nội dung rồi xóa dòng `draft: true` để đăng.",
    },
    "en": {
        "built": "Built {pages} pages and copied {files} files into {output} in {seconds} s.",
        "reused": " {reused} unchanged pages came from the cache.",
        "up_to_date": "Nothing changed since the last build: {output} is up to date ({pages} pages, "
                      "checked in {seconds} s). Use --no-cache to rebuild from scratch.",
        "checked": "Content is valid: {pages} pages ({seconds} s), nothing written.",
        "failed": "{errors} errors, {warnings} warnings. Nothing written: {output} is as the last build left it.",
        "failed_check": "{errors} errors, {warnings} warnings.",
        "strict": "There are warnings and --strict is on, so the build stops.",
        "warnings": "{warnings} warnings.",
        "left_out": "{what} not published; see: {commands}",
        "n_drafts": "{n} drafts",
        "n_scheduled": "{n} scheduled posts",
        "and": " and ",
        "created": "Created {path}",
        "created_draft": "It is a draft (`draft: true`): not published. When it is ready, change that line to "
                         "`draft: false` (or delete it) and run `python build.py` again.",
        "exists": "{path} already exists; choose another title or edit that file.",
        "unknown_section": "The section `{section}` is not in site.yaml. Sections: {known}",
        "bad_title": "No slug can be made from this title; write a title with letters in it.",
        "bad_now": "--now must look like YYYY-MM-DD HH:MM",
        "no_site": "Could not read site.yaml in {root}.",
        "port_busy": "The port {host}:{port} is in use by another program (perhaps another `python build.py serve` "
                     "still running) — pick another: `python build.py serve --port {other}`, or stop the other one.",
        "port_refused": "Could not open the port {host}:{port} ({reason}) — pick another: `python build.py serve "
                        "--port {other}`; ports below 1024 need administrator rights.",
        "none_drafts": "No drafts.",
        "none_scheduled": "No scheduled posts.",
        "none_expired": "No expired posts.",
        "none_next": "Nothing is scheduled: the portal changes only when the content does (and at a new day, for "
                     "the pages that follow the day).",
        "why": {"scheduled": "a scheduled post appears", "expires": "a post expires, leaves the lists",
                "overdue": "a finding becomes overdue", "effective": "a document takes effect",
                "document-expires": "a document expires",
                "maintenance-shown": "a downtime notice appears on the pages",
                "maintenance-over": "a downtime notice leaves the pages"},
        "no_title": "The title is missing: python build.py new SECTION \"Post title\" (or --from file.docx)",
        "word_kind": "The section `{section}` takes no post from a Word file (only sections of posts and pages).",
        "word_done": "Created the draft {path} from {source} ({images} pictures). Read it, then delete `draft: true` to publish.",
    },
}


def _help_language(argv: list[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return "en" if argv[index + 1] == "en" else "vi"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "vi"
    return "en" if os.environ.get("SITE_GENERATOR_LANG", "") == "en" else "vi"


def parser(language: str) -> argparse.ArgumentParser:
    h = HELP[language]
    main = argparse.ArgumentParser(prog="python build.py", description=h["description"], epilog=h["epilog"],
                                   formatter_class=argparse.RawDescriptionHelpFormatter, add_help=False)
    main.add_argument("-h", "--help", action="help", help=h["help"])
    commands = main.add_subparsers(dest="command", title=h["commands"], metavar="{" + ",".join(COMMANDS) + "}")

    def common(sub: argparse.ArgumentParser, building: bool) -> None:
        sub.add_argument("-h", "--help", action="help", help=h["help"])
        sub.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help=h["site"])
        sub.add_argument("--lang", choices=("vi", "en"), help=h["lang"])
        if building:
            sub.add_argument("--output", type=Path, metavar="DIR", help=h["output"])
            sub.add_argument("--drafts", action="store_true", help=h["drafts"])
            sub.add_argument("--future", action="store_true", help=h["future"])
            sub.add_argument("--strict", action="store_true", help=h["strict"])
            sub.add_argument("--now", metavar="TIME", help=h["now"])
            sub.add_argument("--no-cache", action="store_true", help=h["no_cache"])
            sub.add_argument("--timings", action="store_true", help=h["timings"])
            sub.add_argument("--jobs", type=int, default=0, metavar="N", help=h["jobs"])
            sub.add_argument("--base-url", metavar="URL", help=h["base_url"])

    for name in ("build", "check", "serve", "province"):
        sub = commands.add_parser(name, help=h[name], description=h[name], add_help=False)
        common(sub, building=True)
        if name != "province":
            sub.add_argument("--province", type=Path, metavar="DIR", help=h["province_dir"])
        else:
            from .province import deploy
            sub.add_argument("action", nargs="?", choices=deploy.ACTIONS, help=h["province_action"])
            deploy.add_options(sub)
        if name == "serve":
            sub.add_argument("--port", type=int, default=8000, help=h["port"])
            sub.add_argument("--host", default="127.0.0.1", help=h["host"])
    counter = commands.add_parser("counter", help=h["counter"], description=h["counter"], add_help=False)
    common(counter, building=False)
    from .counter.cli import add_arguments as counter_arguments
    counter_arguments(counter, language)
    imports = commands.add_parser("import", help=h["import"], description=h["import"], add_help=False)
    common(imports, building=False)
    imports.add_argument("source", type=Path, help=h["source"])
    imports.add_argument("--format", choices=("html", "wxr", "json", "csv"), help=h["format"])
    imports.add_argument("--config", type=Path, metavar="FILE", help=h["config"])
    listing = commands.add_parser("list", help=h["list"], description=h["list"], add_help=False)
    common(listing, building=False)
    listing.add_argument("what", choices=("drafts", "scheduled", "expired", "next"), help=h["what"])
    listing.add_argument("--now", metavar="TIME", help=h["now"])
    init = commands.add_parser("init", help=h["init"], description=h["init"], add_help=False)
    init.add_argument("-h", "--help", action="help", help=h["help"])
    init.add_argument("--lang", choices=("vi", "en"), help=h["lang"])
    init.add_argument("dir", type=Path, metavar="DIR", nargs="?", help=h["dir"])
    init.add_argument("--province", action="store_true", help=h["init_province"])
    init.add_argument("--code", type=int, help=h["init_code"])
    init.add_argument("--communes", default="", metavar="TÊN,...", help=h["init_communes"])
    init.add_argument("--domain", help=h["init_domain"])
    init.add_argument("--list", action="store_true", help=h["init_list"])
    init.add_argument("--title", help=h["init_title"])
    init.add_argument("--base-url", help=h["init_base_url"])
    from .scaffold import CI_CHOICES
    init.add_argument("--ci", choices=CI_CHOICES, help=h["ci"])
    new = commands.add_parser("new", help=h["new"], description=h["new"], add_help=False)
    common(new, building=False)
    new.add_argument("section", help=h["section"])
    new.add_argument("title", nargs="?", help=h["title"])
    new.add_argument("--from", dest="source", type=Path, metavar="FILE.docx", help=h["from"])
    return main


def entry() -> None:
    """The command line's entry point: :func:`main`, then out of the process without freeing its objects one
    by one (a big portal's model takes a tenth of a second to tear down, memory the system frees at once;
    mypy ends the same way). Output is flushed and worker processes are gone by then."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):           # a closed pipe: nothing more can be said
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    help_language = _help_language(argv)
    try:
        args = parser(help_language).parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    _utf8_console()
    if args.command == "new":
        if args.source is not None:
            return new_from_word(args)
        if args.title is None:
            print(SAY[help_language]["no_title"], file=sys.stderr)
            return 2
        return new_post(args)
    if args.command == "import":
        return import_pages(args)
    if args.command == "init":
        return init_site(args)
    if args.command == "counter":
        from .counter.cli import run as run_counter
        return run_counter(args)
    if args.command == "province" and args.action:     # the web server's configuration, CI shards, the aggregate alone
        from .province import deploy
        return deploy.main(argv[1:])
    now = _now(args.now)
    if now is None:
        print(SAY[help_language]["bad_now"], file=sys.stderr)
        return 2
    if args.command == "list":
        return list_posts(args, now)
    root = args.site.resolve()
    base_url = ""
    if args.base_url is not None:
        base_url = validate.base_url(args.base_url)
        if base_url is None:
            problem = Problem("--base-url", 0, "bad-base-url", (("key", "base_url"), ("value", args.base_url)))
            print(problem.text(args.lang or help_language),
                  file=sys.stderr)
            return 2
    if args.command == "serve":
        return serve_site(root, args, base_url, args.lang or help_language)
    output = (args.output or root / "public").resolve()
    options = pipeline.BuildOptions(drafts=args.drafts, future=args.future, strict=args.strict, base_url=base_url,
                                    write=args.command in ("build", "province"), cache=not args.no_cache,
                                    jobs=args.jobs if args.command != "province" else 0,
                                    province=getattr(args, "province", None))
    if args.command == "province":
        from .province.report import build_and_report
        return build_and_report(root, output, options, now, args.jobs, args.lang or help_language)
    progress = Progress(sys.stderr, args.lang or help_language) if sys.stderr.isatty() else None
    try:
        report = pipeline.build(root, output, options, now, progress)
    finally:
        if progress is not None:
            progress.close()
    code = print_report(report, args.lang, options, output, root)
    if args.timings:
        for stage, seconds in report.timings.items():
            print(f"  {stage:<28} {seconds:7.2f} s")
    return code


def serve_site(root: Path, args, base_url: str, language: str) -> int:
    """``serve``: a port another program holds is said as such (exit 2), before the first build and if the
    port is taken while it runs."""
    from . import serve
    say = SAY[language]
    other = args.port + 1 if args.port < 65535 else 8001
    try:
        serve.check_port(args.host, args.port)
        return serve.serve(root, args, now_override=_now(args.now) if args.now else None, base_url=base_url)
    except OSError as err:
        import errno
        if err.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            raise
        key = "port_busy" if err.errno == errno.EADDRINUSE else "port_refused"
        print(say[key].format(host=args.host, port=args.port, other=other, reason=err.strerror or err), file=sys.stderr)
        return 2


STAGES = {
    "vi": {"load": "Đọc nội dung", "markdown": "Chuyển Markdown", "check": "Kiểm tra trang cũ", "pages": "Dựng trang",
           "swap": "Thay thư mục kết quả"},
    "en": {"load": "Reading content", "markdown": "Converting Markdown", "check": "Checking kept pages",
           "pages": "Rendering pages", "swap": "Swapping the output folder"},
}


class Progress:
    """Where a long build is (stage, n/N), on one terminal line: shown only after a couple of seconds,
    at most ten times a second, and wiped when the build ends (never written when not a terminal)."""

    def __init__(self, stream, language: str):
        self.stream, self.labels = stream, STAGES.get(language, STAGES["vi"])
        self.number = format_number if language == "vi" else str
        self.started = time.monotonic()
        self.after = float(os.environ.get("SITE_GENERATOR_PROGRESS_AFTER", "2"))
        self.last, self.width = 0.0, 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < self.after or (now - self.last < 0.1 and done != total):
            return
        self.last = now
        text = self.labels.get(stage, stage)
        if total:
            text += f" {self.number(done)}/{self.number(total)}"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(text))

    def close(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def print_report(report: pipeline.Report, lang: str | None, options: pipeline.BuildOptions, output: Path,
                 root: Path) -> int:
    language = lang or report.language
    say = SAY[language]
    problems = report.problems
    for item in problems.sorted():
        print(item.text(language), file=sys.stderr)
    errors, warnings = len(problems.errors), len(problems.warnings)
    shown_output = _shown(output, root)
    if errors or (options.strict and warnings):
        if options.strict and warnings and not errors:
            print(say["strict"], file=sys.stderr)
        key = "failed" if options.write else "failed_check"
        print(say[key].format(errors=errors, warnings=warnings, output=shown_output), file=sys.stderr)
        return 1
    number = format_number if language == "vi" else str           # 1.279 trang, 1279 pages
    seconds = f"{report.seconds:.2f}".replace(".", ",") if language == "vi" else f"{report.seconds:.2f}"
    pages, files = number(report.pages), number(report.files)
    if report.up_to_date:
        print(say["up_to_date"].format(pages=pages, output=shown_output, seconds=seconds))
    elif options.write:
        reused = say["reused"].format(reused=number(report.reused)) if report.reused else ""
        print(say["built"].format(pages=pages, files=files, output=shown_output, seconds=seconds) + reused)
    else:
        print(say["checked"].format(pages=pages, seconds=seconds))
    if warnings:
        print(say["warnings"].format(warnings=warnings))
    held = [(say[key].format(n=number(count)), f"python build.py list {name}")
            for key, name, count in (("n_drafts", "drafts", report.drafts), ("n_scheduled", "scheduled", report.scheduled))
            if count]
    if held:                         # not a problem (--strict does not fail on it), but never silent
        print(say["left_out"].format(what=say["and"].join(w for w, _ in held), commands=", ".join(c for _, c in held)))
    sys.stdout.flush()               # `serve` writes to a terminal or a log file as it goes
    return 0


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() + "/"
    except ValueError:
        return str(path)


def _now(text: str | None) -> dt.datetime | None:
    if not text:
        return dt.datetime.now(dt.timezone.utc)
    moment = validate.parse_moment(text.strip(), dt.timezone(dt.timedelta(hours=7)))
    return moment.at if moment else None


def _utf8_console() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass


@dataclass
class _Target:
    """What ``new`` writes into: the site, its configuration and the section named on the command line."""
    root: Path
    cfg: object
    section: object
    language: str
    say: dict
    problems: Problems


def _section_of(args) -> "_Target | int":
    """The site and section ``new`` names, or the exit code after saying why not (1: no usable site.yaml,
    2: no such section)."""
    from . import load
    root = args.site.resolve()
    problems = Problems()
    files = load.load_config_only(root, problems)
    cfg = validate.config(files, problems)
    language = args.lang or validate.language_of(files)
    say = SAY[language]
    if cfg is None:
        for item in problems.sorted():
            print(item.text(language), file=sys.stderr)
        print(say["no_site"].format(root=root), file=sys.stderr)
        return 1
    section = cfg.section(args.section)
    if section is None:
        print(say["unknown_section"].format(section=args.section, known=", ".join(s.name for s in cfg.sections)),
              file=sys.stderr)
        return 2
    return _Target(root, cfg, section, language, say, problems)


def new_post(args) -> int:
    """Write content/SECTION/YYYY-MM-DD-slug.md with the front matter to fill in."""
    target = _section_of(args)
    if isinstance(target, int):
        return target
    root, cfg, section, say = target.root, target.cfg, target.section, target.say
    title = " ".join(args.title.split())
    slug = slugify(title)
    if not slug:
        print(say["bad_title"], file=sys.stderr)
        return 2
    now = dt.datetime.now(cfg.tz)
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    name, text = section_kind(section.kind).new(quoted, slug, now, cfg)     # every kind's starter is a draft
    path = root / "content" / section.name / name
    if path.exists():
        print(say["exists"].format(path=path.relative_to(root).as_posix()), file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(say["created"].format(path=path.relative_to(root).as_posix()))
    print(say["created_draft"])
    return 0


def list_posts(args, now: dt.datetime) -> int:
    """``python build.py list drafts|scheduled|expired|next``: one line per post, ``path<TAB>title<TAB>date``
    (dd/mm/yyyy HH:MM, the site's time); ``next``: the first moment the portal changes by itself, one line per
    post it concerns, with why. Problems in the content are left to ``check``; only an unusable site.yaml fails."""
    root = args.site.resolve()
    found = pipeline.survey(root, pipeline.BuildOptions(write=False), now)
    language = args.lang or found.language
    say = SAY[language]
    if found.plan is None:
        for item in found.problems.sorted():
            print(item.text(language), file=sys.stderr)
        print(say["no_site"].format(root=root), file=sys.stderr)
        return 1
    shown = lambda moment: moment.astimezone(found.now.tzinfo).strftime("%d/%m/%Y %H:%M") if moment else "—"  # noqa: E731
    rows = []
    if args.what in ("drafts", "scheduled"):
        wanted = args.what[:-1] if args.what == "drafts" else "scheduled"
        rows = [(doc.path, meta.title, meta.date.at if meta.date else None)
                for doc, meta, why in found.plan.left_out if why == wanted]
    elif args.what == "expired":
        rows = [(e.doc.path, e.meta.title, e.meta.expires.at) for e in found.plan.entries if e.expired]
    else:
        events = found.events()
        rows = [(path, title, at, say["why"][why]) for at, path, title, why in events if at == events[0][0]]
    if not rows:
        print(say["none_" + args.what], file=sys.stderr)
        return 0
    for path, title, at, *why in sorted(rows, key=lambda r: (r[2] is None, r[2] or now, r[0])):
        print("\t".join((path, " ".join(title.split()), shown(at), *why)))
    return 0


def new_from_word(args) -> int:
    """``new SECTION [TITLE] --from tệp.docx``: a draft made from a Word file (see :mod:`wordin`)."""
    from . import wordin
    target = _section_of(args)
    if isinstance(target, int):
        return target
    root, cfg, section, say = target.root, target.cfg, target.section, target.say
    problems, language = target.problems, target.language
    if section.kind not in ("posts", "pages"):
        print(say["word_kind"].format(section=section.name), file=sys.stderr)
        return 2
    data = wordin.read_source(args.source, problems)
    written = None
    if data is not None:
        written = wordin.write_post(root, section.name, section.kind == "pages", args.source, data, args.title,
                                    dt.datetime.now(cfg.tz), problems)
    for item in problems.sorted():
        print(item.text(language), file=sys.stderr)
    if written is None:
        return 2 if data is None else 1
    print(say["word_done"].format(path=written.post, source=args.source.name, images=len(written.files) - 1))
    for path in written.files:
        print(f"  {path}")
    return 0


def init_site(args) -> int:
    """``init DIR``: a new site (see :mod:`scaffold`), or with ``--province`` a province's repository (see
    province/scaffold.py); 1 when DIR already holds one, 2 when it is not said which."""
    from . import scaffold
    from .province import scaffold as province_scaffold
    if args.list:
        print("\n".join(province_scaffold.listing(args.code)))
        return 0
    if args.dir is None or (args.province and args.code is None):
        print("Thiếu thư mục hoặc mã tỉnh: python build.py init DIR, hoặc python build.py init --province DIR "
              "--code MÃ_TỈNH (xem mã bằng python build.py init --list)", file=sys.stderr)
        return 2
    try:
        from importlib.metadata import PackageNotFoundError, version
        try:
            release = version("site-generator")
        except PackageNotFoundError:
            release = "0.1.0"
        now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
        if args.province:
            names = [n for n in args.communes.split(",") if n.strip()]
            done = province_scaffold.init(args.dir, args.code, names, args.domain, release, now)
        else:
            done = scaffold.init(args.dir, args.title, args.base_url, args.ci, release, now)
    except scaffold.Refused as refused:
        print(refused, file=sys.stderr)
        return 1
    except OSError as err:
        from . import messages
        print(f"{args.dir}: không ghi được ({messages.os_reason(err)}) — kiểm tra quyền ghi và chỗ trống trên đĩa",
              file=sys.stderr)
        return 1
    print(f"Đã tạo cổng mới trong {args.dir}:")
    for path in done.written:
        print(f"  {path}")
    for path in done.kept:
        print(f"  {path} (đã có, giữ nguyên)")
    if args.province:
        print(f"Tiếp theo: sửa {args.dir / 'province.yaml'}, rồi `python build.py province --site {args.dir} "
              f"--output OUT` để xây dựng mọi xã; `python build.py serve --site {args.dir}/TÊN_XÃ` để xem thử một xã.")
        return 0
    print(f"Tiếp theo: sửa {args.dir / 'site.yaml'}, rồi `python build.py serve` trong thư mục đó để xem thử.")
    return 0


def import_pages(args) -> int:
    """``python build.py import``: prints the importer's report; 2 when the source or settings are unusable."""
    from . import importer
    try:
        report = importer.run(args.source, args.site.resolve(), args.format, args.config)
    except importer.ImportError_ as err:
        print(f"{args.source}: {err}", file=sys.stderr)
        return 2
    print(report.text(), end="")
    print(f"Báo cáo: {args.site / importer.REPORT}. Chạy `python build.py check` để kiểm tra các bài vừa nhập.")
    return 0
