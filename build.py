#!/usr/bin/env python3
"""Build the portal: `python build.py --help` lists the commands."""
import sys

try:
    from site_generator.cli import main
except ModuleNotFoundError as missing:        # run with a Python that lacks the dependencies
    if (missing.name or "").startswith("site_generator"):
        raise                                   # our own bug, not a missing install
    sys.stderr.write(
        f"Thiếu thư viện `{missing.name}`. Cài đặt một lần rồi chạy lại (missing `{missing.name}`; install once):\n"
        "  python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/python build.py\n")
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main())
