#!/usr/bin/env python3
"""Dựng cổng thông tin trong thư mục này: `python build.py --help` liệt kê các lệnh.

Cần công cụ dựng trang đã được cài: `python -m pip install -r requirements.txt`.
"""
import sys

try:
    from site_generator.cli import main
except ModuleNotFoundError as missing:
    if not (missing.name or "").startswith("site_generator"):
        raise
    sys.stderr.write("Chưa cài công cụ dựng trang. Cài bằng: python -m pip install -r requirements.txt\n")
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main())
