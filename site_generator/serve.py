"""Live preview: build into .preview/, serve it on 127.0.0.1, rebuild and reload on change.

Sits beside the pipeline and calls it; a content mistake never stops the
server: the last good site stays served and the problems are printed.
Drafts and scheduled posts are shown (with their banners).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import pipeline

WATCHED = ("content", "templates", "static", "data", "site.yaml")


def serve(root: Path, args, now_override: dt.datetime | None = None) -> int:
    from livereload import Server

    from .cli import print_report

    output = (args.output or root / ".preview").resolve()
    base_url = f"http://{args.host}:{args.port}/"
    options = pipeline.BuildOptions(drafts=True, future=True, strict=args.strict, base_url=base_url)

    def rebuild() -> None:
        now = now_override or dt.datetime.now(dt.timezone.utc)
        report = pipeline.build(root, output, options, now)
        print_report(report, args.lang, options, output, root)

    rebuild()
    if not output.is_dir():
        return 1
    server = Server()
    for name in WATCHED:
        target = root / name
        if target.exists():
            server.watch(str(target), rebuild, delay=0.3)
    server.serve(root=str(output), host=args.host, port=args.port, open_url_delay=None, restart_delay=0)
    return 0
