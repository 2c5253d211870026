"""Inspection records: the index (with filters by year and unit), each record, the units and
their feeds, the open data (JSON, its schema, CSV) and their entries in the catalogue."""
from __future__ import annotations

from typing import Iterator

from .. import opendata
from .. import schema as S
from .. import urls as U
from ..feeds import atom
from ..inspections import build_records
from ..model import CatalogueEntry, Site
from ..page import info, job, paged_title
from . import DataFile, Kind

OPEN_DATA = ("kiem-tra.json", "kiem-tra.csv", "kiem-tra.schema.json")


def pages(site: Site) -> Iterator[tuple]:
    records, urls = site.records, site.urls
    if records is None or not (records.inspections or records.units):
        return
    filters = {"years": records.by_year, "units": records.by_unit}
    for pager in records.pages:
        yield job("inspections.html", info(site, "inspections", paged_title("Hồ sơ kiểm tra", pager), pager.path,
                                           "Các đợt kiểm tra: thông báo, kết luận và kết quả khắc phục",
                                           sitemap=pager.number == 1),
                  heading="Hồ sơ kiểm tra", inspections=pager.items, pager=pager, current="", **filters)
    for group in records.by_year + records.by_unit:
        yield job("inspections.html", info(site, "inspections", f"Hồ sơ kiểm tra: {group.title}", group.path),
                  heading=f"Hồ sơ kiểm tra: {group.title}", inspections=group.inspections, pager=None,
                  current=group.path, **filters)
    for inspection in records.inspections:
        modified = max(s.post.last_modified.at for s in inspection.timeline).isoformat()
        yield job("inspection.html", info(site, "inspection", inspection.subject or inspection.id, inspection.path,
                                          f"{inspection.status_label}: {inspection.subject}",
                                          sitemap=True, lastmod=modified),
                  inspection=inspection)
    yield job("units.html", info(site, "units", "Đơn vị được kiểm tra", records.units_path,
                                 "Kết quả kiểm tra và khắc phục của từng xã, thị trấn, phòng ban", sitemap=True),
              records=records)
    for unit in records.units:
        yield job("unit.html", info(site, "unit", unit.name, unit.path, f"Kết quả kiểm tra tại {unit.name}",
                                    feed_url=unit.feed_url, feed_title=f"Kiểm tra tại {unit.name}", sitemap=True),
                  unit=unit)
    yield job("open_data.html", info(site, "data", "Dữ liệu mở về kiểm tra", U.open_data_page(), sitemap=True),
              files=[(name, urls.link(U.open_data(name))) for name in OPEN_DATA])


def files(site: Site) -> Iterator[tuple[str, bytes]]:
    if site.records is not None:
        for unit in site.records.units:
            yield unit.feed_path, atom(site, f"Kiểm tra tại {unit.name} - {site.config.title}", unit.feed_path,
                                       unit.path, unit.posts)
    yield from opendata.files(site)


def catalogue(site: Site) -> list:
    cfg = site.config
    if site.records is None or not site.records.inspections:
        return []
    return [
        CatalogueEntry("Hồ sơ kiểm tra (thông báo, kết luận, khắc phục)", site.records.index_url,
                       "Trang hồ sơ từng đợt kiểm tra và từng đơn vị; kết luận kèm toàn văn (PDF) và mã SHA-256",
                       f"Kết luận đăng trong vòng {cfg.publish_within_days} ngày kể từ ngày ký",
                       f"Niêm yết tối thiểu {cfg.min_days} ngày liên tục kể từ ngày đăng; sau đó vẫn lưu trên Cổng"),
        CatalogueEntry("Dữ liệu mở về kiểm tra", site.urls.link(U.open_data_page()),
                       "Tệp JSON (kèm lược đồ JSON Schema) và CSV (UTF-8)", "Cập nhật mỗi lần Cổng được xây dựng lại",
                       "Luôn phản ánh toàn bộ hồ sơ đã công khai"),
    ]


def build(site: Site) -> None:
    site.records = build_records(site, site.now.date(), site.config.min_days)


def read_units(node, problems, assets) -> tuple:
    from .. import validate
    return validate.units(node, problems)


def check(cfg, documents: list, metas: dict, data: dict, now, problems) -> None:
    """Inspection posts name units of data/units.yaml, and results and follow-ups a notice."""
    from .. import checks
    checks.check_units(documents, metas, data.get("units.yaml", ()), problems)
    checks.check_inspections(documents, metas, problems)


KIND = Kind("records", pages, files, catalogue, build=build, check=check,
            data=(DataFile("units.yaml", "data/units.yaml (mỗi đơn vị)", S.UNIT, read_units,
                           label="Các đơn vị được kiểm tra"),))
