"""The fields editors may write: the engine (Field, Schema), site.yaml, posts and pages, inspections, units.

Each field has a type, whether it is required, an example and a one-line
description; the validate stage applies these, and ``python -m site_generator.schema``
prints them as the editors' reference (docs/tham-khao.md; a test keeps the two equal). The
schemas of the other kinds' files (văn bản, lịch công tác, lãnh đạo) are in their modules (kinds/).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    type: str                 # text | https (a full https:// address) | datetime | date | bool | int | texts | map | maps | dict | choice | url
                              # | link (web, mail, phone or portal path) | path (a file under content/) | email | phone
                              # | yaml (a mapping checked by its reader)
    doc: str
    example: str
    required: bool = False
    default: object = None
    choices: tuple = ()       # for "choice": accepted values; aliases map to the first form below
    schema: "Schema | None" = None
    aliases: tuple = ()       # (alias, canonical) pairs for "choice"
    widget: str = ""          # the web editor's input when the type's usual one is not it: "text" (several
                              # lines), "image" (a picture, not any file)
    refers: str = ""          # the names come from a data file: "units" (data/units.yaml)


@dataclass(frozen=True)
class Schema:
    name: str
    fields: dict = field(default_factory=dict)

    def known(self) -> str:
        return ", ".join(self.fields)


ATTACHMENT = Schema("attachment", {
    "file": Field("path", "đường dẫn tệp (tương đối với bài, hoặc /files/... tính từ content/)", "/files/ket-luan-123.pdf", required=True),
    "title": Field("text", "tên hiển thị của tệp", '"Kết luận số 123/KL-UBND"'),
})

CORRECTION = Schema("correction", {
    "date": Field("datetime", "ngày đính chính", "2021-10-12", required=True),
    "note": Field("text", "nội dung đính chính", '"Bổ sung danh sách đơn vị được kiểm tra."', required=True, widget="text"),
})

WITHDRAWN = Schema("withdrawn", {
    "date": Field("datetime", "ngày thu hồi", "2022-03-01", required=True),
    "reason": Field("text", "lý do thu hồi", '"Được thay thế bởi kết luận sửa đổi."', required=True, widget="text"),
})

PERIOD = Schema("period", {
    "start": Field("date", "ngày bắt đầu kiểm tra", "2021-10-01", required=True),
    "end": Field("date", "ngày kết thúc kiểm tra", "2021-10-06", required=True),
})

FINDING = Schema("finding", {
    "unit": Field("text", "tên đơn vị (trong data/units.yaml)", "Tân Xuân", required=True, refers="units"),
    "rating": Field("text", "xếp loại", '"Đạt"'),
    "issues": Field("texts", "các tồn tại, hạn chế", '["Chưa có hồ sơ dịch vụ công trực tuyến mức độ 3, 4"]'),
    "remedy_by": Field("date", "hạn khắc phục", "2021-12-31"),
    "remedied": Field("bool", "đã khắc phục xong (báo cáo khắc phục)", "true"),
    "note": Field("text", "ghi chú", '"Đã tiếp nhận hồ sơ trực tuyến mức độ 4."', widget="text"),
})

STAGES = ("notice", "result", "follow-up")

INSPECTION = Schema("inspection", {
    "id": Field("text", "mã đợt kiểm tra, chung cho thông báo, kết quả, khắc phục", "cchc-2021", required=True),
    "stage": Field("choice", "giai đoạn: notice | result | follow-up (thông báo | kết quả | khắc phục)", "notice",
                   required=True, choices=STAGES,
                   aliases=(("thong-bao", "notice"), ("thông báo", "notice"), ("ket-qua", "result"),
                            ("kết quả", "result"), ("followup", "follow-up"), ("khac-phuc", "follow-up"),
                            ("khắc phục", "follow-up"))),
    "subject": Field("text", "nội dung kiểm tra", '"Cải cách hành chính"'),
    "units": Field("texts", "các đơn vị được kiểm tra (tên trong data/units.yaml)", "[Tân Xuân, Tân Hà]", refers="units"),
    "period": Field("map", "thời gian kiểm tra", "{start: 2021-10-01, end: 2021-10-06}", schema=PERIOD),
    "decision": Field("text", "quyết định kiểm tra", '"Quyết định số 2345/QĐ-UBND ngày 15/9/2021"'),
    "conclusion": Field("text", "văn bản kết luận đã ký", '"Kết luận số 123/KL-UBND"'),
    "signed": Field("date", "ngày ký kết luận", "2021-10-07"),
    "findings": Field("maps", "kết quả theo từng đơn vị", "- unit: Tân Xuân", schema=FINDING),
})

POST = Schema("post", {
    "title": Field("text", "tiêu đề", '"Kiểm tra cải cách hành chính năm 2021"', required=True),
    "date": Field("datetime", "ngày giờ đăng (giờ Việt Nam nếu không ghi múi giờ)", "2021-10-08 09:00", required=True),
    "updated": Field("datetime", "ngày giờ cập nhật", "2021-10-10 15:30"),
    "slug": Field("text", "đường dẫn của bài (chữ thường không dấu)", "kiem-tra-cchc-2021"),
    "summary": Field("text", "tóm tắt (mặc định: đoạn đầu của bài)", '"Từ ngày 01/10 đến 06/10/2021 ..."', widget="text"),
    "author": Field("text", "tác giả hoặc đơn vị viết bài", '"Phòng Nội vụ"'),
    "tags": Field("texts", "từ khóa", '[CCHC, "ISO 9001:2015"]'),
    "draft": Field("bool", "bản nháp: không đăng (trừ khi --drafts)", "true", default=False),
    "expires": Field("datetime", "sau ngày này bài rời danh sách và nguồn tin (trang vẫn giữ)", "2022-10-08"),
    "image": Field("path", "ảnh đại diện", "/files/doan-kiem-tra.jpg", widget="image"),
    "attachments": Field("maps", "tệp đính kèm", "- file: /files/ket-luan-123.pdf", schema=ATTACHMENT),
    "corrections": Field("maps", "đính chính (hiện mới nhất trước)", "- date: 2021-10-12", schema=CORRECTION),
    "withdrawn": Field("map", "thu hồi: trang và đường dẫn vẫn giữ, có thông báo", "{date: 2022-03-01, reason: ...}",
                       schema=WITHDRAWN),
    "superseded_by": Field("text", "bài thay thế (đường dẫn .md)", "../ket-qua/2022-03-01-ket-luan-sua-doi.md"),
    "inspection": Field("map", "thuộc hồ sơ một đợt kiểm tra", "{id: cchc-2021, stage: notice}", schema=INSPECTION),
    "aliases": Field("texts", "địa chỉ cũ của bài (trên cổng cũ): người mở địa chỉ cũ được chuyển tới bài này",
                     '["http://hamtan.binhthuan.gov.vn/Pages/tin-tuc.aspx?ItemID=18746"]'),
})

# A plain page (a section with ``kind: pages``) takes the same keys but ``inspection`` (a record
# is a timeline of dated notices and results: a page has no date and no place in one); its date
# is optional.
PAGE = Schema("page", {**{k: v for k, v in POST.fields.items() if k != "inspection"},
                       "date": Field("datetime", "ngày đăng (không bắt buộc)", "2021-10-08")})

UNIT = Schema("unit", {
    "name": Field("text", "tên đơn vị", "Tân Xuân", required=True),
    "kind": Field("text", "loại: xã, thị trấn, phòng, ...", "xã"),
    "slug": Field("text", "đường dẫn (mặc định: từ tên)", "tan-xuan"),
    "description": Field("text", "giới thiệu ngắn", '"Xã Tân Xuân, huyện Hàm Tân (cũ)"'),
})

MENU_ITEM = Schema("menu item", {
    "title": Field("text", "chữ hiển thị", '"Dịch vụ công"', required=True),
    "url": Field("link", "địa chỉ (đầy đủ, hoặc /duong-dan/ trong cổng)", "https://dichvucong.gov.vn/", required=True),
})

CONTACT = Schema("contact", {
    "agency": Field("text", "tên cơ quan chủ quản", '"Ủy ban nhân dân xã Hàm Tân"'),
    "responsible": Field("text", "người chịu trách nhiệm", '"Chánh Văn phòng"'),
    "address": Field("text", "địa chỉ", '"Khu phố 1, xã Hàm Tân"'),
    "phone": Field("phone", "điện thoại", '"0252 3 848 123"'),
    "email": Field("email", "thư điện tử", "ubnd@example.gov.vn"),
})

DISCLOSURE = Schema("disclosure", {
    "min_days": Field("int", "số ngày tối thiểu kết luận phải được công khai", "15", default=15),
    "publish_within_days": Field("int", "số ngày tối đa từ khi ký tới khi đăng kết luận", "10", default=10),
})

COUNTER = Schema("counter", {
    "url": Field("link", "địa chỉ bộ đếm lượt xem", '"/api/"'),
    "origins": Field("texts", "các nguồn khác được phép gọi bộ đếm", '["https://example.gov.vn"]'),
    "proxies": Field("texts", "máy chủ proxy tin cậy (được tin X-Forwarded-For)", '["127.0.0.1/32"]'),
    "redis": Field("text", "dùng Redis thay cho SQLite", '"redis://127.0.0.1:6379/0"'),
})

EDITOR_BACKENDS = ("gitlab", "gitea", "github")

EDITOR = Schema("editor", {
    "backend": Field("choice", "máy chủ Git giữ nội dung: gitlab | gitea | github (Forgejo dùng gitea)", "gitlab",
                     default="gitlab", choices=EDITOR_BACKENDS, aliases=(("forgejo", "gitea"),)),
    "repo": Field("text", "kho nội dung trên máy chủ Git: nhóm/tên", '"van-phong/cong-thong-tin"'),
    "branch": Field("text", "nhánh được xây dựng và xuất bản", "main", default="main"),
    "api_root": Field("url", "địa chỉ API của máy chủ Git tự đặt", '"https://git.tinh.gov.vn/api/v4"'),
    "base_url": Field("url", "địa chỉ máy chủ đăng nhập (OAuth)", '"https://git.tinh.gov.vn"'),
    "app_id": Field("text", "mã ứng dụng OAuth đã đăng ký trên máy chủ Git", '"3f1c9a0e..."'),
})

MAINTENANCE = Schema("maintenance", {
    "start": Field("datetime", "lúc bắt đầu tạm ngừng cung cấp thông tin (giờ Việt Nam)", '"2026-12-20 22:00"',
                   required=True),
    "end": Field("datetime", "lúc kết thúc tạm ngừng", '"2026-12-21 02:00"', required=True),
    "restore": Field("datetime", "lúc dự kiến hoạt động trở lại (mặc định: lúc kết thúc)", '"2026-12-21 02:00"'),
    "announced": Field("datetime", "lúc thông báo: thông báo hiện trên mọi trang từ lúc này tới khi kết thúc; "
                       "phải trước lúc bắt đầu ít nhất 7 ngày làm việc (NĐ 224/2026, Điều 13)", '"2026-12-08 08:00"',
                       required=True),
    "reason": Field("text", "lý do tạm ngừng", '"Nâng cấp hệ thống máy chủ"', widget="text"),
})

MONITORING = Schema("monitoring", {
    "script": Field("https", "địa chỉ tệp mã giám sát do cơ quan đánh giá cấp (https://...)",
                    '"https://giamsat.example.gov.vn/ma-giam-sat.js"', required=True),
    "id": Field("text", "mã định danh của cổng do cơ quan đánh giá cấp", '"UBND-HAMTAN-01"'),
})

TRUST_MARK = Schema("trust mark", {
    "image": Field("path", "ảnh biểu tượng (PNG, JPG, GIF hoặc WebP trong content/)", "/files/tin-nhiem-mang.png",
                   required=True, widget="image"),
    "alt": Field("text", "mô tả ảnh cho người không nhìn thấy", '"Chứng nhận Tín Nhiệm Mạng"', required=True),
    "link": Field("https", "trang xác minh do đơn vị cấp chứng nhận đưa (https://...)",
                  '"https://tinnhiemmang.vn/danh-ba-tin-nhiem/hamtan"', required=True),
    "width": Field("int", "chiều rộng hiển thị, điểm ảnh (mặc định: của ảnh)", "120"),
    "height": Field("int", "chiều cao hiển thị, điểm ảnh (mặc định: của ảnh)", "40"),
})


PARENT_PORTAL = Schema("province", {
    "title": Field("text", "tên cổng của tỉnh, hiện ở đầu mọi trang", '"Cổng thông tin điện tử tỉnh Lâm Đồng"',
                   required=True),
    "url": Field("https", "địa chỉ cổng của tỉnh", '"https://lamdong.gov.vn/"', required=True),
})

COMMUNE = Schema("commune", {
    "folder": Field("text", "thư mục của xã, tương đối với province.yaml", "xa-ham-tan", required=True),
    "code": Field("int", "mã đơn vị hành chính của xã (danh mục sau sắp xếp 2025)", "23236", required=True),
})


def province_schema() -> Schema:
    """province.yaml: the province, its communes and what every commune's site.yaml inherits (inherit.py)."""
    return Schema("province.yaml", {
        "code": Field("int", "mã tỉnh (danh mục sau sắp xếp 2025)", "68", required=True),
        "title": Field("text", "tên cổng của tỉnh (trang tổng hợp)", '"Cổng thông tin điện tử tỉnh Lâm Đồng"',
                       required=True),
        "base_url": Field("url", "địa chỉ công bố trang tổng hợp của tỉnh", '"https://lamdong.gov.vn/tong-hop/"',
                          required=True),
        "portal": Field("https", "cổng của tỉnh mà mọi trang xã liên kết tới (mặc định: base_url)",
                        '"https://lamdong.gov.vn/"'),
        "domain": Field("text", "tên miền của tỉnh: địa chỉ mặc định của xã là https://tenxa.<domain>/",
                        "lamdong.gov.vn"),
        "site": Field("yaml", "các khóa site.yaml mà mọi xã dùng chung (xã ghi lại khóa nào thì dùng của xã)",
                      "{language: vi, sections: {...}}"),
        "communes": Field("maps", "các xã, phường của tỉnh có cổng trong kho này", "- {folder: xa-ham-tan, code: 23236}",
                          required=True, schema=COMMUNE),
    })


@functools.cache
def site_schema() -> Schema:
    """site.yaml's schema; a section's ``kind:`` takes the names the content kinds declare (kinds/)."""
    from .kinds import section_kinds
    kinds = section_kinds().values()
    section = Schema("section", {
        "title": Field("text", "tên chuyên mục", '"Tin tức - Sự kiện"', required=True),
        "kind": Field("choice", ", ".join(f"{k.name} ({k.about})" for k in kinds), "pages", default="posts",
                      choices=tuple(k.name for k in kinds)),
        "per_page": Field("int", "số bài mỗi trang danh sách", "10"),
        "description": Field("text", "mô tả chuyên mục", '"Tin hoạt động của UBND"'),
        "in_menu": Field("bool", "hiện trong menu", "true", default=True),
        "frequency": Field("text", "danh mục thông tin: thời điểm, tần suất đăng", '"Khi có thông tin mới"'),
        "retention": Field("text", "danh mục thông tin: thời hạn công khai", '"Lưu trữ lâu dài trên Cổng"'),
    })
    return Schema("site.yaml", {
        "title": Field("text", "tên cổng thông tin", '"Cổng thông tin điện tử xã Hàm Tân"', required=True),
        "description": Field("text", "mô tả ngắn", '"Thông tin của UBND xã"'),
        "base_url": Field("url", "địa chỉ công bố, có thể có thư mục con", '"https://hamtan.lamdong.example.gov.vn/"',
                          required=True),
        "language": Field("choice", "ngôn ngữ của thông báo lỗi: vi hoặc en", "vi", default="vi",
                          choices=("vi", "en")),
        "timezone": Field("text", "múi giờ", "Asia/Ho_Chi_Minh", default="Asia/Ho_Chi_Minh"),
        "author": Field("text", "tác giả mặc định", '"UBND xã Hàm Tân"'),
        "per_page": Field("int", "số bài mỗi trang danh sách", "10", default=10),
        "home_per_section": Field("int", "số bài mới của mỗi chuyên mục trên trang chủ", "5", default=5),
        "feed_limit": Field("int", "số bài trong mỗi nguồn tin Atom", "20", default=20),
        "sections": Field("dict", "các chuyên mục (thứ tự = thứ tự menu)", 'tin-tuc: {title: "Tin tức"}',
                          required=True, schema=section),
        "menu": Field("maps", "liên kết thêm vào menu", '- {title: "Dịch vụ công", url: "https://dichvucong.gov.vn/"}',
                      schema=MENU_ITEM),
        "contact": Field("map", "thông tin liên hệ ở chân trang", "{agency: ..., phone: ...}", schema=CONTACT),
        "disclosure": Field("map", "quy định công khai kết luận kiểm tra", "{min_days: 15, publish_within_days: 10}",
                            schema=DISCLOSURE),
        "counter": Field("map", "bộ đếm lượt xem (không bắt buộc)", '{url: "/api/"}', schema=COUNTER),
        "editor": Field("map", "trình soạn thảo web tại /admin/ (không bắt buộc; xem docs/huong-dan-bien-tap.md)",
                        "{backend: gitlab, repo: van-phong/cong-thong-tin}", schema=EDITOR),
        "maintenance": Field("maps", "thông báo tạm ngừng hoạt động theo kế hoạch: hiện trên mọi trang từ lúc thông "
                             "báo tới khi kết thúc", '- {start: "2026-12-20 22:00", end: "2026-12-21 02:00", ...}',
                             schema=MAINTENANCE),
        "monitoring": Field("map", "mã giám sát của cơ quan đánh giá (tệp script ngoài, gắn vào mọi trang)",
                            '{script: "https://giamsat.example.gov.vn/ma-giam-sat.js", id: "UBND-HAMTAN-01"}',
                            schema=MONITORING),
        "trust_marks": Field("maps", "biểu tượng chứng nhận ở chân trang (Tín Nhiệm Mạng, IPv6 Ready...)",
                             '- {image: /files/tin-nhiem-mang.png, alt: "...", link: "https://..."}',
                             schema=TRUST_MARK),
        "province": Field("map", "cổng của tỉnh mà cổng xã là một thành phần (NĐ 224/2026 Điều 11); province.yaml "
                          "điền sẵn", '{title: "Cổng thông tin điện tử tỉnh Lâm Đồng", url: "https://lamdong.gov.vn/"}',
                          schema=PARENT_PORTAL),
    })


def reference_markdown() -> str:
    """The editors' field reference (docs/tham-khao.md is this text; a test keeps them equal)."""
    out = ["# Tham khảo: các khóa được dùng", "",
           "Tệp này được tạo từ `site_generator/schema.py` bằng `python -m site_generator.schema > docs/tham-khao.md`.",
           "Khóa in đậm là bắt buộc.", ""]
    seen = set()

    def table(schema: Schema, title: str) -> None:
        if schema.name in seen:
            return
        seen.add(schema.name)
        out.extend([f"## {title}", "", "| khóa | kiểu | ý nghĩa | ví dụ |", "|---|---|---|---|"])
        nested = []
        for key, spec in schema.fields.items():
            name = f"**{key}**" if spec.required else key
            kind = spec.type + (f" ({' / '.join(spec.choices)})" if spec.choices else "")
            example = spec.example.replace("|", "\\|")
            out.append(f"| {name} | {kind} | {spec.doc} | `{example}` |")
            if spec.schema is not None:
                nested.append((spec.schema, f"{title} › {key}"))
        out.append("")
        for child, child_title in nested:
            table(child, child_title)

    from .kinds import data_files, section_kinds
    table(site_schema(), "site.yaml")
    table(province_schema(), "province.yaml (kho của tỉnh: xem docs/tinh.md)")
    for kind in section_kinds().values():
        table(kind.schema, kind.title)
    for data in data_files().values():
        table(data.schema, data.title)
    return "\n".join(out)


if __name__ == "__main__":
    print(reference_markdown())
