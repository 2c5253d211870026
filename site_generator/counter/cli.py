"""`python build.py counter`: options and entry point (the endpoint itself lives beside this module)."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser, language: str) -> None:
    vi = language == "vi"
    parser.add_argument("--db", type=Path, default=Path("counter.sqlite3"),
                        help="tệp cơ sở dữ liệu SQLite" if vi else "SQLite database file")
    parser.add_argument("--pages", type=Path, help="thư mục trang đã xây dựng: chỉ đếm các trang trong đó" if vi
                        else "a built site: only its pages are counted")
    parser.add_argument("--host", default="127.0.0.1", help="địa chỉ" if vi else "address")
    parser.add_argument("--port", type=int, default=8081, help="cổng" if vi else "port")


def run(args: argparse.Namespace) -> int:
    raise SystemExit("counter: not built yet")
