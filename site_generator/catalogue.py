"""The editors' list of every problem the build reports (docs/thong-bao.md), printed from the catalogue:

    python -m site_generator.catalogue > docs/thong-bao.md

It reads :data:`messages.MESSAGES` and the ``messages`` of every content kind (``kinds.kinds()``), so a
code added to either is listed without a change here, and each sentence goes through
:func:`messages.render`, the function the build uses, with a readable stand-in (``«khóa»``) for every
parameter. Codes are grouped as ``messages.py`` groups them (its ``# --- ... ---`` comment lines) and
then by the kind that declares them. A test keeps the committed copy equal to this output.
"""
from __future__ import annotations

import re
import string
import sys
from pathlib import Path

from . import messages
from .problems import problem

# What the build puts in place of each parameter, in words an editor reads. A parameter not in this
# table is shown by its own name («name»): a new one needs no change here to be listed.
PLACEHOLDERS = {
    "announced": "lúc thông báo",
    "choices": "các giá trị được phép",
    "col": "số cột",
    "date": "ngày",
    "days": "số ngày",
    "depth": "số cấp",
    "detail": "chi tiết lỗi",
    "earliest": "ngày bắt đầu sớm nhất",
    "effective": "ngày có hiệu lực",
    "end": "ngày kết thúc",
    "example": "ví dụ",
    "expected": "kiểu cần có",
    "expires": "ngày hết hạn",
    "ext": "đuôi tệp",
    "folder": "tên thư mục",
    "id": "mã đợt kiểm tra",
    "issuer": "cơ quan ban hành",
    "key": "khóa",
    "kind": "loại tệp",
    "known": "danh sách đã có",
    "latest": "ngày thông báo muộn nhất",
    "length": "số ký tự",
    "limit": "giới hạn",
    "min_days": "số ngày tối thiểu",
    "name": "tên",
    "nth": "vị trí byte",
    "number": "số ký hiệu",
    "offset": "vị trí byte",
    "other": "tệp kia",
    "output": "thư mục kết quả",
    "published": "ngày đăng",
    "reason": "lý do",
    "required": "ngày phải đạt",
    "reserved": "các tên dành riêng",
    "restore": "lúc hoạt động trở lại",
    "schemes": "các dạng địa chỉ được phép",
    "signed": "ngày ký",
    "size": "dung lượng",
    "slug": "đường dẫn",
    "src": "địa chỉ ảnh",
    "stage": "giai đoạn",
    "start": "ngày bắt đầu",
    "suggestion": "tên gần giống",
    "target": "đường dẫn được ghi",
    "top": "thư mục",
    "unit": "tên đơn vị",
    "units": "các đơn vị",
    "until": "ngày cuối",
    "url": "địa chỉ",
    "value": "giá trị đã ghi",
    "week": "tuần",
    "what": "phần thông tin",
    "why": "lý do",
}

# The group headings of messages.py (its "# --- ... ---" lines, without a trailing "(module.py)"),
# in Vietnamese; a heading not in this table is shown as it is written there.
GROUPS = {
    "reading files": "Đọc tệp: mã hóa, phần thông tin đầu tệp, YAML, thư mục",
    "bodies: sizes, depth, raw HTML, images": "Nội dung bài: độ dài, lồng nhau, HTML, ảnh",
    "input files: links, types, limits": "Tệp trong thư mục trang: liên kết tắt, loại tệp, dung lượng",
    "fields": "Các khóa trong phần thông tin và trong site.yaml",
    "whole site": "Toàn trang: đường dẫn, liên kết, tệp đính kèm, địa chỉ cũ, thư mục kết quả",
    "units and inspections": "Đơn vị và hồ sơ kiểm tra",
    "site.yaml notices: downtime, monitoring, trust marks": "site.yaml: thông báo tạm ngừng, mã giám sát, biểu tượng chứng nhận",
}
OTHER = "Các thông báo khác"

_HEADING = re.compile(r"^\s*#\s*-{2,}\s*(.*?)\s*-*\s*$")
_CODE = re.compile(r'^ {4}"([^"]+)"\s*:\s*\{')
_MODULE_NOTE = re.compile(r"\s*\([^)]*\.py[^)]*\)\s*$")


class _Stand:
    """A parameter's stand-in: formats as «words» whatever the format spec or conversion asked for."""

    def __init__(self, words: str):
        self.text = f"«{words}»"

    def __format__(self, spec: str) -> str:
        return self.text

    __str__ = __repr__ = lambda self: self.text


def _fields(template: str) -> set[str]:
    names = set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field:
            names.add(re.split(r"[.\[]", field, maxsplit=1)[0])
    return names


def sentence(code: str, entry: dict) -> tuple[str, str]:
    """The Vietnamese sentence and fix of one code, with stand-ins for its parameters."""
    names = set()
    for texts in entry.values():
        for template in texts:
            names |= _fields(template)
    params = {name: _Stand(PLACEHOLDERS.get(name, name)) for name in names}
    try:
        return messages.render(code, params, "vi")
    except (KeyError, IndexError, AttributeError, ValueError, TypeError):     # a template we cannot fill
        what, fix = entry.get("vi") or entry["en"]
        fill = lambda m: _Stand(PLACEHOLDERS.get(m.group(1), m.group(1))).text     # noqa: E731
        field = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}(?!\})")
        return (field.sub(fill, what).replace("{{", "{").replace("}}", "}"),
                field.sub(fill, fix).replace("{{", "{").replace("}}", "}"))


def _messages_groups() -> list[tuple[str, list[str]]]:
    """The codes of MESSAGES under the headings of messages.py, in its order."""
    codes = messages.MESSAGES
    groups: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    try:
        source = Path(messages.__file__).read_text(encoding="utf-8").splitlines()
    except OSError:
        source = []
    current: list[str] | None = None
    for line in source:
        heading = _HEADING.match(line)
        if heading and heading.group(1):
            title = _MODULE_NOTE.sub("", heading.group(1))
            current = []
            groups.append((GROUPS.get(title, title), current))
            continue
        found = _CODE.match(line)
        if found and found.group(1) in codes and found.group(1) not in seen:
            seen.add(found.group(1))
            (current if current is not None else _add(groups, OTHER)).append(found.group(1))
    rest = [code for code in codes if code not in seen]
    if rest:
        _add(groups, OTHER).extend(rest)
    return [(title, items) for title, items in groups if items]


def _add(groups: list, title: str) -> list:
    for name, items in groups:
        if name == title:
            return items
    groups.append((title, []))
    return groups[-1][1]


def _kind_title(kind) -> str:
    for part in (*kind.sections, *kind.data):
        return part.title
    return kind.name


def groups() -> list[tuple[str, list[tuple[str, dict]]]]:
    """(heading, [(code, entry)]) for every code the build can report, each once."""
    from .kinds import kinds

    out = [(title, [(code, messages.MESSAGES[code]) for code in codes]) for title, codes in _messages_groups()]
    listed = set(messages.MESSAGES)
    for kind in kinds():
        items = [(code, entry) for code, entry in kind.messages.items() if code not in listed]
        listed.update(code for code, _ in items)
        if items:
            out.append((_kind_title(kind), items))
    return out


def _anchor(title: str) -> str:
    """The anchor GitHub, GitLab and Gitea give a heading."""
    return re.sub(r"\s", "-", re.sub(r"[^\w\- ]", "", title.strip().lower()))


def catalogue_markdown() -> str:
    parts = [
        "# Các thông báo khi kiểm tra và xây dựng trang",
        "",
        "Tệp này được tạo từ danh mục thông báo của chương trình (`site_generator/messages.py` và các tệp "
        "trong `site_generator/kinds/`) bằng lệnh `python -m site_generator.catalogue > docs/thong-bao.md`. "
        "Đừng sửa tay: sửa danh mục rồi chạy lại lệnh.",
        "",
        "Mỗi vấn đề được in trên một dòng, dạng `đường-dẫn:dòng: vấn đề là gì — cách sửa`, ví dụ:",
        "",
        "```",
        problem("content/tin-tuc/2025-06-02-hop-giao-ban.md", 6, "unknown-key", key="titel", suggestion="title",
                known="title, date, updated, ...").text("vi"),
        "```",
        "",
        f"Dòng có chữ `{messages.warning_label('vi').strip()}` ngay sau `đường-dẫn:dòng:` là cảnh báo: trang "
        "vẫn được xây dựng (trừ khi dùng `--strict`), nhưng nên sửa. Các dòng khác là lỗi: khi còn lỗi, "
        "không có gì được ghi ra và trang đang đăng giữ nguyên. Cùng một thông báo có thể là lỗi ở chỗ "
        "này, cảnh báo ở chỗ khác.",
        "",
        "Dưới đây, chữ trong ngoặc «» là phần chương trình điền vào khi báo (tên khóa, tên tệp, ngày...). "
        "Muốn tìm một thông báo, bấm Ctrl+F và gõ vài chữ cố định của nó (không gõ phần trong «»). "
        "Hướng dẫn chung: [huong-dan-bien-tap.md](huong-dan-bien-tap.md).",
        "",
    ]
    found = groups()
    parts += [f"- [{title}](#{_anchor(title)})" for title, _ in found] + [""]
    for title, items in found:
        parts += [f"## {title}", ""]
        for code, entry in items:
            what, fix = sentence(code, entry)
            parts += [f"### `{code}`", "", f"**Thông báo:** {what}", "", f"**Cách sửa:** {fix}", ""]
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.buffer.write(catalogue_markdown().encode("utf-8"))
