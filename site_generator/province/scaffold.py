"""``python build.py init --province DIR --code 68``: a province's repository, one folder per commune.

``province.yaml`` (commented, in Vietnamese) holds what every commune shares: the sections, the menu,
the language; each commune's folder (named by its official name, ``xa-ham-tan/``) is a normal site
whose short ``site.yaml`` says only what is its own, with the skeleton's example post and about page.
The communes and their names and codes come from divisions.py (the ``vietnam-provinces`` list); by
default every commune, ward and special zone of the province, or those ``--communes`` names.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import divisions
from .. import scaffold as S

PROVINCE_YAML = """# Cài đặt chung của các cổng xã, phường trong tỉnh. Mỗi xã là một thư mục có site.yaml riêng;
# khóa nào xã không ghi trong site.yaml của mình thì dùng khóa trong `site:` dưới đây.
# Xây dựng tất cả: python build.py province --site . --output OUT
# Đầy đủ các khóa: docs/tham-khao.md và docs/tinh.md của công cụ.

# Mã tỉnh trong danh mục đơn vị hành chính sau sắp xếp năm 2025 ({name}).
code: {code}

# Trang tổng hợp của tỉnh (kết quả kiểm tra, văn bản, tin mới của mọi xã; kiến nghị quá hạn): tên và địa chỉ.
title: {title}
base_url: {base_url}

# Cổng của tỉnh: mọi trang xã có liên kết về đây (NĐ 224/2026 Điều 11: cổng xã là thành phần của cổng tỉnh).
portal: {portal}

# Tên miền của tỉnh: địa chỉ mặc định của mỗi xã là https://tenxa.<domain>/ (Điều 11 khoản 4);
# xã nào có địa chỉ khác thì ghi `base_url:` trong site.yaml của xã.
domain: {domain}

# Những khóa site.yaml mà mọi xã dùng chung.
site:
  language: vi
  timezone: Asia/Ho_Chi_Minh
  per_page: 10
  sections:
    tin-tuc:       {{title: "Tin tức - Sự kiện"}}
    thong-bao:     {{title: "Thông báo"}}
    ket-qua:       {{title: "Kết quả kiểm tra"}}
    van-ban:       {{title: "Văn bản", kind: documents}}
    lich-cong-tac: {{title: "Lịch công tác", kind: schedule}}
    trang:         {{title: "Giới thiệu", kind: pages}}
  menu:
    - {{title: "Dịch vụ công", url: "https://dichvucong.gov.vn/"}}

# Các xã, phường có cổng trong kho này: thư mục và mã đơn vị hành chính.
communes:
{communes}"""

COMMUNE_YAML = """# Cài đặt riêng của cổng {name}. Các khóa khác (chuyên mục, menu...) lấy từ ../province.yaml;
# ghi lại một khóa ở đây để dùng giá trị riêng của xã. Tên cổng, tác giả và địa chỉ mặc định:
#   title: "Cổng thông tin điện tử {lower}"   base_url: {base_url}
description: {description}
contact:
  agency: {agency}
"""


def init(target: Path, code: int, names: list, domain: str | None, version: str, now: dt.datetime) -> S.Scaffolded:
    """Write the province's repository into ``target``; never overwrite a file."""
    province = divisions.province(code)
    if province is None:
        raise S.Refused(f"--code {code}: không có tỉnh mang mã này trong danh mục sau sắp xếp "
                        f"(dữ liệu ngày {divisions.version()}) — xem danh sách bằng `python build.py init --list`")
    if (target / "province.yaml").exists():
        raise S.Refused(f"{target / 'province.yaml'}: đã có kho của tỉnh ở thư mục này — không ghi đè")
    if target.exists() and not target.is_dir():
        raise S.Refused(f"{target}: không phải thư mục — chọn một thư mục (sẽ được tạo nếu chưa có)")
    units = divisions.units_of(code)
    if names:
        chosen = []
        for name in names:
            found = next((u for u in units if str(u.code) == str(name).strip()), None) or divisions.find(code, name)
            if found is None:
                raise S.Refused(f"--communes {name}: {province.full_name} không có xã, phường này — xem danh sách "
                                f"bằng `python build.py init --list --code {code}`")
            chosen.append(found)
        units = list(dict.fromkeys(chosen))
    domain = (domain or f"{province.label}.gov.vn").strip().strip(".")
    out = S.Scaffolded()
    listed = "".join(f"  - {{folder: {u.slug}, code: {u.code}}}   # {u.name}\n" for u in units)
    S._write(target, "province.yaml", PROVINCE_YAML.format(
        name=province.full_name, code=province.code, title=S._quoted(f"Cổng thông tin điện tử {_lower_first(province.full_name)}"),
        base_url=S._quoted(f"https://{domain}/tong-hop/"), portal=S._quoted(f"https://{domain}/"),
        domain=domain, communes=listed), out)
    for relative, source in ((".gitignore", "gitignore"), ("build.py", "build.py"), ("requirements.txt", "requirements.txt")):
        S._write(target, relative, S._fill(S._template(source), {"PACKAGE": f"site-generator=={version}",
                                                                  "VERSION": version}), out)
    example = f"{now:%Y-%m-%d}-cong-thong-tin-di-vao-hoat-dong.md"
    for unit in units:
        lower = _lower_first(unit.name)
        values = {"AUTHOR": S._quoted(f"UBND {lower}"), "AUTHOR_TEXT": lower, "DATE": f"{now:%Y-%m-%d %H:%M}",
                  "FILE": example, "TITLE": S._quoted(f"Cổng thông tin điện tử {lower}"), "VERSION": version}
        folder = f"{unit.slug}/"
        S._write(target, folder + "site.yaml", COMMUNE_YAML.format(
            name=lower, lower=lower, base_url=f"https://{unit.label}.{domain}/",
            description=S._quoted(f"Tin tức, thông báo, văn bản và kết quả kiểm tra của UBND {lower}, "
                                  f"{_lower_first(province.full_name)}"),
            agency=S._quoted(f"Ủy ban nhân dân {lower}")), out)
        S._write(target, folder + "data/units.yaml", S._fill(S._template("data/units.yaml"), values), out)
        S._write(target, folder + f"content/tin-tuc/{example}", S._fill(S._template("content/tin-tuc/example.md"), values),
                 out)
        S._write(target, folder + "content/trang/gioi-thieu.md", S._fill(S._template("content/trang/gioi-thieu.md"),
                                                                          values), out)
        for section in S.EMPTY_SECTIONS:
            S._write(target, folder + f"content/{section}/.gitkeep", "", out)
    return out


def listing(code: int | None) -> list[str]:
    """``init --list``: the provinces with their codes, or one province's communes with theirs."""
    if code is None:
        from vietnam_provinces import Province
        return [f"{int(p.code):>3}  {p.name}" for p in sorted(Province.iter_all(), key=lambda p: int(p.code))]
    return [f"{u.code:>6}  {u.name}  ({u.slug})" for u in divisions.units_of(code)]


def _lower_first(name: str) -> str:
    """"Xã Hàm Tân" -> "xã Hàm Tân", as it reads inside a sentence."""
    return name[:1].lower() + name[1:]
