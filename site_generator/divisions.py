"""Vietnam's provinces and communes after the 2025 reform, from the ``vietnam-provinces`` package.

That package (https://pypi.org/project/vietnam-provinces/, data 2025-10-18: 34 provinces, 3,321 communes,
wards and special zones) is kept up to date from the General Statistics Office's list; we read it through
its public API only (``Province``/``Ward`` by code). Names are official ("Xã Hàm Tân", "Phường Xuân Hương -
Đà Lạt"); the domain labels follow NĐ 224/2026 Art. 11(4): ``tenphuongxa.tentinhthanh.gov.vn``, both names
without diacritics, the unit's type ("xã", "phường") left out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import slugify

PREFIXES = ("xa_", "phuong_", "dac_khu_", "thi_tran_")


@dataclass(frozen=True)
class Unit:
    code: int
    name: str               # "Xã Hàm Tân"
    kind: str               # "xã" | "phường" | "đặc khu"
    province_code: int
    codename: str           # "xa_ham_tan"

    @property
    def slug(self) -> str:
        """The commune's folder and output name: "xa-ham-tan"."""
        return self.codename.replace("_", "-")

    @property
    def label(self) -> str:
        """Its part of the domain name: "hamtan" (Art. 11(4))."""
        name = self.codename
        for prefix in PREFIXES:
            if name.startswith(prefix):
                name = name[len(prefix):]
                break
        return re.sub(r"[^a-z0-9]", "", name)


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
    return _unit(found)


def units_of(province_code: int) -> list[Unit]:
    """The province's communes, wards and special zones, in the package's (official) order."""
    from vietnam_provinces import ProvinceCode, Ward
    try:
        code = ProvinceCode(int(province_code))
    except (ValueError, TypeError):
        return []
    return [_unit(w) for w in Ward.iter_by_province(code)]


def find(province_code: int, name: str) -> Unit | None:
    """A commune of the province by its name, with or without diacritics or its type: "Hàm Tân", "xa ham tan"."""
    wanted = slugify(name)
    for found in units_of(province_code):
        if wanted in (found.slug, found.slug.split("-", 1)[-1], found.label):
            return found
    return None


def _unit(ward) -> Unit:
    return Unit(int(ward.code), ward.name, ward.division_type.value, int(ward.province_code), ward.codename)
