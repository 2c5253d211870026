"""Văn bản: a `kind: documents` section built into a registry, its lists, each document's page,
its feed and open data; and the problems an editor gets for a bad registry."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from conftest import NOW, problem_lines, run, soup, write

SITE = """title: "Cổng thử nghiệm"
base_url: "https://example.gov.vn/xa/"
sections:
  tin-tuc: {title: "Tin tức"}
  van-ban: {title: "Văn bản", kind: documents, description: "Văn bản của UBND xã"}
"""


def document(number: str, title: str, signed: str, extra: str = "", type_: str = "Kế hoạch",
             issuer: str = "UBND huyện Hàm Tân", field: str = "Cải cách hành chính", body: str = "Nội dung.") -> str:
    return (f'---\ntitle: "{title}"\ndate: {signed} 08:00\ndocument:\n  number: "{number}"\n  type: "{type_}"\n'
            f'  issuer: "{issuer}"\n  signed: {signed}\n  field: "{field}"\n{extra}---\n{body}\n')


def registry_site(root: Path) -> Path:
    write(root / "site.yaml", SITE)
    folder = root / "content" / "van-ban"
    write(folder / "2024-02-01-kh-12.md", document("12/KH-UBND", "Kế hoạch kiểm tra năm 2024", "2024-02-01",
                                                   '  expires: 2024-12-31\n  replaced_by: "45/KH-UBND"\n'))
    write(folder / "2025-03-10-kh-45.md", document("45/KH-UBND", "Kế hoạch kiểm tra năm 2025", "2025-03-10",
                                                   '  replaces: ["12/KH-UBND"]\n  effective: 2025-03-15\n'
                                                   '  signer: "Phó Chủ tịch Trần Văn Bình"\n'))
    write(folder / "2023-06-01-qd-1520.md", document("1520/QĐ-UBND", "Quyết định thành lập Đoàn kiểm tra",
                                                     "2023-06-01", "  expires: 2023-12-31\n", type_="Quyết định",
                                                     field="Nội vụ"))
    write(folder / "2026-12-20-nq-30.md", document("30/2026/NQ-HĐND", "Nghị quyết về dự toán ngân sách năm 2027",
                                                   "2026-11-20", "  effective: 2027-01-01\n", type_="Nghị quyết",
                                                   issuer="HĐND huyện Hàm Tân", field="Tài chính"))
    write(root / "content" / "tin-tuc" / "2025-03-12-bai.md", "---\ntitle: Tin\ndate: 2025-03-12\n---\nTin.\n")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = registry_site(tmp_path_factory.mktemp("van-ban") / "site")
    out = root.parent / "public"
    result = run("--site", str(root), "--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    return out


def rows(page) -> list[list[str]]:
    return [[" ".join(td.get_text().split()) for td in tr.find_all("td")] for tr in page.select("table.documents tbody tr")]


def test_the_registry_lists_every_document_newest_signed_first_with_its_status(built):
    page = soup(built / "van-ban" / "index.html")
    assert page.h1.get_text(strip=True) == "Văn bản"
    assert [(r[0], r[1], r[4]) for r in rows(page)] == [
        ("30/2026/NQ-HĐND", "20/11/2026", "Chưa có hiệu lực"), ("45/KH-UBND", "10/03/2025", "Còn hiệu lực"),
        ("12/KH-UBND", "01/02/2024", "Đã được thay thế"), ("1520/QĐ-UBND", "01/06/2023", "Hết hiệu lực")]
    links = {a.get_text(strip=True): a["href"] for a in page.select("nav.filters a")}
    assert links["Kế hoạch"] == "/xa/van-ban/loai/ke-hoach/" and links["2025"] == "/xa/van-ban/nam/2025/"
    assert links["HĐND huyện Hàm Tân"] == "/xa/van-ban/co-quan/hdnd-huyen-ham-tan/"


@pytest.mark.parametrize("path,numbers", [
    ("van-ban/loai/ke-hoach/", ["45/KH-UBND", "12/KH-UBND"]),
    ("van-ban/nam/2023/", ["1520/QĐ-UBND"]),
    ("van-ban/co-quan/hdnd-huyen-ham-tan/", ["30/2026/NQ-HĐND"]),
    ("van-ban/linh-vuc/noi-vu/", ["1520/QĐ-UBND"]),
])
def test_static_lists_by_year_type_issuer_and_field_work_without_javascript(built, path, numbers):
    page = soup(built / path / "index.html")
    assert [r[0] for r in rows(page)] == numbers
    assert page.select_one("nav.filters a[aria-current=page]") is not None


def test_a_document_page_shows_every_field_and_links_its_replacements_both_ways(built):
    new = soup(built / "van-ban" / "45-kh-ubnd-2025" / "index.html")
    fields = {div.dt.get_text(strip=True): div.dd for div in new.select("dl.document-fields > div")}
    assert fields["Số, ký hiệu"].get_text(strip=True) == "45/KH-UBND"
    assert fields["Ngày có hiệu lực"].get_text(strip=True) == "15/03/2025"
    assert fields["Người ký"].get_text(strip=True) == "Phó Chủ tịch Trần Văn Bình"
    assert fields["Thay thế văn bản"].a["href"] == "/xa/van-ban/12-kh-ubnd-2024/"
    old = soup(built / "van-ban" / "12-kh-ubnd-2024" / "index.html")
    fields = {div.dt.get_text(strip=True): div.dd for div in old.select("dl.document-fields > div")}
    assert fields["Được thay thế bởi"].a["href"] == "/xa/van-ban/45-kh-ubnd-2025/"
    assert fields["Tình trạng hiệu lực"].get_text(strip=True) == "Đã được thay thế"


def test_open_data_feed_sitemap_catalogue_and_search_know_the_registry(built):
    data = json.loads((built / "du-lieu" / "van-ban.json").read_text(encoding="utf-8"))
    schema = json.loads((built / "du-lieu" / "van-ban.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert [d["number"] for d in data["documents"]][:2] == ["30/2026/NQ-HĐND", "45/KH-UBND"]
    table = list(csv.DictReader(io.StringIO((built / "du-lieu" / "van-ban.csv").read_text(encoding="utf-8-sig"))))
    assert table[2]["replaced_by"] == "45/KH-UBND" and table[2]["status"] == "replaced"
    feed = (built / "van-ban" / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 4
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    for path in ("van-ban/", "van-ban/loai/ke-hoach/", "van-ban/45-kh-ubnd-2025/"):
        assert f"<loc>https://example.gov.vn/xa/{path}</loc>" in sitemap
    catalogue = soup(built / "danh-muc-thong-tin" / "index.html").get_text()
    assert "Văn bản (sổ văn bản)" in catalogue
    index = "".join(p.read_text(encoding="utf-8") for p in (built / "tim-kiem").rglob("t*.json"))
    assert "Kế hoạch kiểm tra năm 2025" in index
    news = soup(built / "tin-tuc" / "index.html").get_text()
    assert "Kế hoạch kiểm tra năm 2025" not in news                 # documents are not news


def test_a_bad_registry_gets_every_problem_at_once(tmp_path):
    root = registry_site(tmp_path / "site")
    folder = root / "content" / "van-ban"
    write(folder / "2025-04-01-trung.md", document("45/KH-UBND", "Bản trùng", "2025-04-01"))
    write(folder / "2025-05-01-lech.md", document("50/KH-UBND", "Ngày lệch", "2025-05-01",
                                                  '  effective: 2025-04-01\n  replaced_by: "51/KH-UBND"\n'))
    write(folder / "2022-01-01-cu.md", document("3/KH-UBND", "Cũ", "2022-01-01",
                                                "  expires: 2022-12-31\n  status: in-force\n"))
    write(folder / "2022-02-01-so.md", document("số 7 KH UBND", "Số lạ", "2022-02-01"))
    write(folder / "2022-03-01-thieu.md", "---\ntitle: Thiếu\ndate: 2022-03-01\n---\nx\n")
    result = run("--site", str(root), "--output", str(tmp_path / "out"), "--now", NOW)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = problem_lines(result.stderr)
    said = "\n".join(lines)
    assert "content/van-ban/2025-04-01-trung.md:5: số ký hiệu `45/KH-UBND` của UBND huyện Hàm Tân đã có ở" in said
    assert "content/van-ban/2025-05-01-lech.md:10: ngày có hiệu lực 01/04/2025 trước ngày ban hành 01/05/2025" in said
    assert "`replaced_by` nêu văn bản số `51/KH-UBND`" in said and "`50/KH-UBND`" in said
    assert "content/van-ban/2022-01-01-cu.md:11: văn bản ghi `status: in-force`" in said and "31/12/2022" in said
    assert "content/van-ban/2022-02-01-so.md:5: cảnh báo: số ký hiệu `số 7 KH UBND`" in said
    assert "content/van-ban/2022-03-01-thieu.md" in said and "`document`" in said
    assert not (tmp_path / "out").exists()


def test_an_inspection_that_names_a_number_links_to_it_and_the_document_knows(tmp_path):
    root = registry_site(tmp_path / "site")
    write(root / "content" / "tin-tuc" / "2023-06-05-kiem-tra.md",
          "---\ntitle: Thông báo kiểm tra công tác nội vụ\ndate: 2023-06-05\ninspection:\n  id: noi-vu-2023\n"
          "  stage: notice\n  subject: Công tác nội vụ năm 2023\n"
          '  decision: "Quyết định số 1520/QĐ-UBND ngày 01/06/2023 của UBND huyện"\n---\nThông báo.\n')
    out = tmp_path / "out"
    result = run("--site", str(root), "--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    record = soup(out / "kiem-tra" / "noi-vu-2023" / "index.html")
    fields = {div.dt.get_text(strip=True): div.dd for div in record.select("dl > div") if div.dt}
    assert fields["Văn bản trong sổ văn bản"].a["href"] == "/xa/van-ban/1520-qd-ubnd-2023/"
    decision = soup(out / "van-ban" / "1520-qd-ubnd-2023" / "index.html")
    cited = decision.select_one("section[aria-labelledby=van-ban-duoc-neu]")
    assert cited is not None and cited.a["href"] == "/xa/kiem-tra/noi-vu-2023/"
