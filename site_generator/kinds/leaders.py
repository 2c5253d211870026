"""Lãnh đạo: the office's leaders, from ``data/leaders.yaml`` (NĐ 42/2022 Điều 4; NĐ 224/2026 Điều 9).

Each leader has a name, position, term, photo, short biography, assigned duties and the contact
the office chooses to publish. The kind adds the ``/lanh-dao/`` page (ordered by position: Chủ
tịch, Phó Chủ tịch thường trực, Phó Chủ tịch, Ủy viên...; ``order:`` decides where positions do
not), the leaders' block on the index of every ``kind: pages`` section (the "Giới thiệu"
pages), and its entry in the catalogue of published information.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import unquote

from .. import schema as S
from .. import urls as U
from ..model import CatalogueEntry, Identified, Site
from ..page import info, job
from ..problems import Problems
from ..text import fold, slugify
from ..validate import data_list
from . import DataFile, Kind

FOLDER = "lanh-dao"
# The order of positions in a People's Committee (Luật Tổ chức chính quyền địa phương 2025, Điều 5
# and the office's own rules): the first rule a folded position starts with gives its rank.
RANKS = (("bi thu", 0), ("pho bi thu", 1), ("chu tich hoi dong", 2), ("chu tich hdnd", 2),
         ("pho chu tich hoi dong", 3), ("pho chu tich hdnd", 3), ("chu tich", 4),
         ("pho chu tich thuong truc", 5), ("pho chu tich", 6), ("uy vien", 7))
PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp")

LEADER = S.Schema("leader", {
    "name": S.Field("text", "họ và tên", '"Nguyễn Văn Thành"', required=True),
    "position": S.Field("text", "chức vụ", '"Chủ tịch UBND xã"', required=True),
    "order": S.Field("int", "thứ tự hiển thị (mặc định: theo chức vụ, rồi theo thứ tự trong tệp)", "1"),
    "term": S.Field("text", "nhiệm kỳ", '"2021 - 2026"'),
    "photo": S.Field("path", "ảnh chân dung (JPG, PNG, WebP dưới content/)", "/files/lanh-dao/nguyen-van-thanh.jpg",
                      widget="image"),
    "bio": S.Field("text", "tóm tắt tiểu sử (các đoạn cách nhau một dòng trống)", '"Sinh năm 1972 ..."', widget="text"),
    "duties": S.Field("texts", "nhiệm vụ được phân công", '["Lãnh đạo, điều hành chung", "Phụ trách lĩnh vực nội vụ"]'),
    "phone": S.Field("phone", "điện thoại công vụ (chỉ ghi số cơ quan cho phép công khai)", '"0252 3 848 100"'),
    "email": S.Field("email", "thư điện tử công vụ", "chutich@hamtan.lamdong.example.gov.vn"),
    "slug": S.Field("text", "mã neo trên trang (mặc định: từ họ tên)", "nguyen-van-thanh"),
})


@dataclass(frozen=True)
class LeaderMeta:
    name: str
    position: str
    order: int | None
    term: str
    photo: str                     # content path of the photo ("" for none)
    bio: tuple                     # paragraphs
    duties: tuple
    phone: str
    email: str
    slug: str
    line: int


def rank(position: str) -> int:
    folded = " ".join(fold(position).split())
    return next((r for prefix, r in sorted(RANKS, key=lambda p: -len(p[0])) if folded.startswith(prefix)),
                len(RANKS))


def read(node, problems: Problems, assets: dict) -> tuple:
    """data/leaders.yaml -> LeaderMeta list, in the order the page shows them."""
    path = "data/leaders.yaml"
    found, seen = [], {}
    for position, (item, values, lines) in enumerate(data_list(node, "leaders", LEADER, problems)):
        if not values.get("name") or not values.get("position"):
            continue
        slug = slugify(values.get("slug") or values["name"]) or f"nguoi-{position + 1}"
        if slug in seen:
            problems.add(path, item.line, "leader-duplicate", name=values["name"], other=seen[slug])
            continue
        seen[slug] = item.line
        photo = ""
        if values.get("photo"):
            photo = U.resolve("", unquote(values["photo"])) or ""
            line = lines.get("photo", item.line)
            if not photo.lower().endswith(PHOTO_TYPES):
                problems.add(path, line, "leader-photo-type", target=values["photo"])
                photo = ""
            elif photo not in assets:
                close = difflib.get_close_matches(photo, list(assets), n=1)
                problems.add(path, line, "missing-file", target=values["photo"],
                             suggestion=("/" + close[0]) if close else "")
                photo = ""
        bio = tuple(p.strip() for p in re.split(r"\n\s*\n", values.get("bio") or "") if p.strip())
        meta = LeaderMeta(values["name"], values["position"], values.get("order"), values.get("term") or "", photo,
                          bio, tuple(values.get("duties") or ()), values.get("phone") or "",
                          values.get("email") or "", slug, item.line)
        found.append(((meta.order is None, meta.order or 0, rank(meta.position), position), meta))
    return tuple(meta for _, meta in sorted(found, key=lambda pair: pair[0]))


# ---------------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class Leader:
    meta: LeaderMeta
    url: str                       # the leaders' page at its section (id lanh-dao-<slug>, as leaders.html writes)
    photo_url: str
    phone_link: str                # tel:+84...

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def position(self) -> str:
        return self.meta.position


@dataclass(eq=False, repr=False)
class Leaders(Identified):
    IDENTITY = ""
    leaders: list = field(default_factory=list)
    path: str = ""
    url: str = ""


def _tel(phone: str) -> str:
    digits = re.sub(r"[^0-9+]", "", phone)
    return "tel:" + ("+84" + digits[1:] if digits.startswith("0") else digits) if digits else ""


def build(site: Site) -> None:
    urls = site.urls
    path = f"{FOLDER}/"
    leaders = [Leader(m, f"{urls.link(path)}#lanh-dao-{m.slug}",
                      urls.link(U.asset(m.photo)) if m.photo and m.photo in site.assets else "", _tel(m.phone))
               for m in site.data.get("leaders.yaml", ())]
    site.by_kind["leaders"] = Leaders(leaders, path, urls.link(path))


def pages(site: Site) -> Iterator[tuple]:
    found = site.by_kind["leaders"]
    if found.leaders:
        yield job("leaders.html", info(site, "leaders", "Lãnh đạo", found.path,
                                       "Họ tên, chức vụ, tiểu sử tóm tắt và nhiệm vụ được phân công của lãnh đạo",
                                       sitemap=True),
                  leaders=found)


def files(site: Site) -> Iterator[tuple[str, bytes]]:
    return iter(())


def catalogue(site: Site) -> list:
    found = site.by_kind["leaders"]
    if not found.leaders:
        return []
    return [CatalogueEntry("Lãnh đạo (tiểu sử tóm tắt, nhiệm vụ được phân công)", found.url,
                           "Trang giới thiệu từng lãnh đạo: chức vụ, nhiệm kỳ, ảnh, tiểu sử, nhiệm vụ, liên hệ công vụ",
                           "Cập nhật ngay khi có thay đổi về nhân sự, phân công",
                           "Thông tin hiện hành")]


MESSAGES = {
    "leader-duplicate": {
        "vi": ("lãnh đạo `{name}` đã có ở dòng {other}",
               "mỗi người một mục; hai người trùng họ tên thì thêm `slug:` khác nhau"),
        "en": ("the leader `{name}` is already listed on line {other}",
               "one entry per person; for two people of one name give each a different `slug:`")},
    "leader-photo-type": {
        "vi": ("ảnh `{target}` không phải tệp ảnh JPG, PNG hoặc WebP",
               "chuyển ảnh sang JPG hoặc PNG và ghi đường dẫn tới tệp đó"),
        "en": ("the photo `{target}` is not a JPG, PNG or WebP file",
               "convert the photo to JPG or PNG and name that file")},
}

KIND = Kind("leaders", pages, files, catalogue, build=build, messages=MESSAGES, folders=(FOLDER,),
            data=(DataFile("leaders.yaml", "data/leaders.yaml (mỗi lãnh đạo)", LEADER, read, label="Lãnh đạo"),))
