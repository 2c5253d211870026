"""Vietnam's provinces and communes after the 2025 reform, from the ``vietnam-provinces`` package.

That package (https://pypi.org/project/vietnam-provinces/, data 2025-10-18: 34 provinces, 3,321 communes,
wards and special zones) is kept up to date from the General Statistics Office's list; we read it through
its public API only (``Province``/``Ward`` by code). Names are official ("Xã Hàm Tân", "Phường Xuân Hương -
Đà Lạt"); the domain labels follow NĐ 224/2026 Art. 11(4): ``tenphuongxa.tentinhthanh.gov.vn``, both names
without diacritics, the unit's type ("xã", "phường") left out.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from .text import slugify

PREFIXES = ("xa_", "phuong_", "dac_khu_", "thi_tran_")


@dataclass(frozen=True)
class Unit:
    code: int
    name: str               # "Xã Hàm Tân"
    kind: str               # "xã" | "phường" | "đặc khu"
    province_code: int
    codename: str           # "xa_ham_tan"
    slug: str = ""          # its folder and output name: "xa-ham-tan" (see _named)
    label: str = ""         # its part of the domain name: "hamtan" (Art. 11(4))


def _slug(codename: str) -> str:
    return codename.replace("_", "-")


def _label(codename: str) -> str:
    name = codename
    for prefix in PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    return re.sub(r"[^a-z0-9]", "", name)


def _named(units: list) -> list:
    """Each unit with its slug and label. Names that differ only by their marks fold alike (Thái Nguyên has
    both "Xã Văn Lăng" and "Xã Văn Lang"; Thanh Hóa a "xã" and a "phường" Đông Tiến): where two units of a
    province would share one, both take their code after it ("xa-van-lang-2143"), so that no folder, output
    or address is ever claimed twice, and adding a commune later never renames another."""
    slugs = [_slug(u.codename) for u in units]
    labels = [_label(u.codename) for u in units]
    return [replace(u, slug=s if slugs.count(s) == 1 else f"{s}-{u.code}",
                    label=l if labels.count(l) == 1 else f"{l}{u.code}")
            for u, s, l in zip(units, slugs, labels)]


@dataclass(frozen=True)
class ProvinceUnit:
    code: int
    name: str               # "Lâm Đồng"
    kind: str               # "tỉnh" | "thành phố trung ương"
    codename: str           # "lam_dong"

    @property
    def label(self) -> str:
        return re.sub(r"[^a-z0-9]", "", self.codename)

    @property
    def full_name(self) -> str:
        return f"{'Tỉnh' if self.kind == 'tỉnh' else 'Thành phố'} {self.name}"


def version() -> str:
    """The data's date, said in the province's build report and its open data."""
    import vietnam_provinces
    return getattr(vietnam_provinces, "__data_version__", vietnam_provinces.__version__)


def province(code: int) -> ProvinceUnit | None:
    from vietnam_provinces import Province, ProvinceCode
    try:
        found = Province.from_code(ProvinceCode(int(code)))
    except (ValueError, TypeError):
        return None
    return ProvinceUnit(int(found.code), found.name, found.division_type.value, found.codename)


def unit(code: int) -> Unit | None:
    from vietnam_provinces import Ward, WardCode
    try:
        found = Ward.from_code(WardCode(int(code)))
    except (ValueError, TypeError):
        return None
    return next((u for u in units_of(int(found.province_code)) if u.code == int(found.code)), None)


def units_of(province_code: int) -> list[Unit]:
    """The province's communes, wards and special zones, in the package's (official) order."""
    from vietnam_provinces import ProvinceCode
    try:
        code = int(ProvinceCode(int(province_code)))
    except (ValueError, TypeError):
        return []
    return list(_units_of(code))


@functools.lru_cache(maxsize=64)
def _units_of(code: int) -> tuple:
    from vietnam_provinces import ProvinceCode, Ward
    return tuple(_named([_unit(w) for w in Ward.iter_by_province(ProvinceCode(code))]))


def find(province_code: int, name: str) -> Unit | None:
    """A commune of the province by its name, with or without diacritics or its type: "Hàm Tân", "xa ham tan"."""
    units = units_of(province_code)
    typed = " ".join(name.split()).casefold()
    exact = [u for u in units if typed in (u.name.casefold(), u.name.split(" ", 1)[-1].casefold())]
    if len(exact) == 1:
        return exact[0]
    wanted = slugify(name)
    folded = [u for u in units if wanted in (_slug(u.codename), _slug(u.codename).split("-", 1)[-1], u.label)]
    return folded[0] if len(folded) == 1 else None          # "Van Lang" in Thái Nguyên: say which, by code


def _unit(ward) -> Unit:
    return Unit(int(ward.code), ward.name, ward.division_type.value, int(ward.province_code), ward.codename)
