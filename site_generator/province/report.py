"""What ``build.py province`` prints: problems grouped by commune (``path:line`` from the province folder,
province.yaml's own once), one line per commune, and the totals."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from .. import pipeline
from ..text import format_number
from . import run

SAY = {
    "vi": {
        "province": "Tỉnh (province.yaml)",
        "commune": "{name} ({folder})",
        "built": "{name}: {pages} trang, {seconds} giây",
        "same": "{name}: không có gì thay đổi",
        "failed": "{name}: LỖI, giữ nguyên bản đã công bố trước ({folder})",
        "crashed": "{name}: lỗi của chương trình (xin báo cho nhóm phát triển, kèm đoạn sau); các xã khác vẫn được xây dựng",
        "done": "{total} xã, phường: {built} được xây dựng lại, {same} không thay đổi; trang tổng hợp {aggregate}; tất cả trong {out}, {seconds} giây.",
        "some_failed": "{failed} xã, phường có lỗi: sửa các lỗi trên rồi chạy lại; các xã khác đã được cập nhật.",
        "stopped": "Không xây dựng được: sửa các lỗi trên rồi chạy lại.",
        "progress": "[{done}/{total}] {line}",
    },
    "en": {
        "province": "Province (province.yaml)",
        "commune": "{name} ({folder})",
        "built": "{name}: {pages} pages, {seconds} s",
        "same": "{name}: nothing changed",
        "failed": "{name}: ERRORS, the last published output stays ({folder})",
        "crashed": "{name}: a bug of the program (please report it with what follows); the other communes are built",
        "done": "{total} communes and wards: {built} rebuilt, {same} unchanged; the aggregate {aggregate}; all in {out}, {seconds} s.",
        "some_failed": "{failed} communes have errors: fix them and run again; the others were updated.",
        "stopped": "Nothing was built: fix the errors above and run again.",
        "progress": "[{done}/{total}] {line}",
    },
}


def build_and_report(root: Path, out: Path, options: pipeline.BuildOptions, now: dt.datetime, workers: int,
                     language: str) -> int:
    say = SAY[language]
    tty = sys.stderr.isatty()

    def progress(outcome: run.Outcome, done: int, total: int) -> None:
        if tty:
            print(say["progress"].format(done=done, total=total, line=_line(outcome, say, language)), file=sys.stderr)

    report = run.build(root, out, options, now, workers, progress)
    print_report(report, language, out)
    return 1 if report.failed else 0


def _line(outcome: run.Outcome, say: dict, language: str) -> str:
    if outcome.crashed:
        return say["crashed"].format(name=outcome.name)
    if outcome.failed:
        return say["failed"].format(name=outcome.name, folder=outcome.folder)
    if outcome.up_to_date:
        return say["same"].format(name=outcome.name)
    return say["built"].format(name=outcome.name, pages=format_number(outcome.pages),
                               seconds=_seconds(outcome.seconds, language))


def _seconds(value: float, language: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "vi" else text


def print_report(report: run.Report, language: str, out: Path, stream=None) -> None:
    """Problems by commune; province.yaml's problems, which every commune's build repeats, said once."""
    stream = stream or sys.stdout
    say = SAY[language]
    shared = {p for p in report.problems.sorted()}
    for outcome in report.communes:
        shared.update(p for p in outcome.problems if p.path == "province.yaml")
    if shared:
        print(say["province"], file=stream)
        for problem in sorted(shared, key=lambda p: p.sort_key):
            print("  " + problem.text(language), file=stream)
    for outcome in report.communes:
        own = [p for p in outcome.problems if p.path != "province.yaml"]
        if own or outcome.crashed:
            print(say["commune"].format(name=outcome.name, folder=outcome.folder), file=stream)
            for problem in own:
                print("  " + problem.text(language), file=stream)
            if outcome.crashed:
                print("  " + say["crashed"].format(name=outcome.name), file=stream)
                print("  " + outcome.crashed.replace("\n", "\n  "), file=stream)
    if not report.communes:
        print(say["stopped"], file=stream)
        return
    built = sum(1 for o in report.communes if o.written and not o.failed and not o.up_to_date)
    same = sum(1 for o in report.communes if o.up_to_date)
    failed = sum(1 for o in report.communes if o.failed)
    aggregate = {(True, True): ("không thay đổi", "unchanged"), (True, False): ("được cập nhật", "updated"),
                 (False, False): ("không được cập nhật", "not updated")}[(report.aggregate, report.aggregate_up_to_date)]
    aggregate = aggregate[0] if language == "vi" else aggregate[1]
    print(say["done"].format(built=format_number(built), total=format_number(len(report.communes)),
                             same=format_number(same), aggregate=aggregate, out=out,
                             seconds=_seconds(report.seconds, language)), file=stream)
    if failed:
        print(say["some_failed"].format(failed=format_number(failed)), file=stream)
