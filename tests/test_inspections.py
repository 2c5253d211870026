"""Inspection records and units: built from real fixture sites, asserted on the parsed output."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from conftest import ROOT, problem_lines, run, soup, write

ATOM = "{http://www.w3.org/2005/Atom}"


def test_citizen_goes_from_home_to_commune_and_sees_what_was_fixed(sample_site):
    home = soup(sample_site / "index.html")
    units_link = home.find(id="tra-cuu-don-vi").a["href"]
    assert units_link == "/don-vi/"
    commune = next(a["href"] for a in home.select(".unit-links a") if a.get_text() == "Tân Thắng")
    page = soup(sample_site / commune.strip("/") / "index.html")
    assert page.h1.get_text() == "Tân Thắng"
    rows = page.select("table.findings tbody tr")
    assert len(rows) == 1
    assert "state-overdue" in rows[0]["class"]
    assert "Quá hạn khắc phục" in rows[0].get_text()
    assert page.find(class_="banner-overdue") is not None
    remedied = soup(sample_site / "don-vi" / "tan-xuan" / "index.html")
    assert "Đã khắc phục" in remedied.select_one("table.findings tbody tr").get_text()


def test_every_unit_has_a_page_an_index_entry_and_a_feed(sample_site):
    index = soup(sample_site / "don-vi" / "index.html")
    listed = {a.get_text() for a in index.select(".unit-list a")}
    names = {line.split(":", 1)[1].strip() for line in (ROOT / "data" / "units.yaml").read_text(encoding="utf-8")
             .splitlines() if line.startswith("- name:")}
    assert listed == names
    feed = ET.parse(sample_site / "don-vi" / "tan-xuan" / "feed.xml").getroot()
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert len(titles) == 3 and all("cải cách hành chính" in t.lower() or "CCHC" in t for t in titles)


def test_record_pages_statuses_and_timelines(sample_site):
    statuses = {}
    for record in ("cchc-2021", "atvstp-2023", "tiep-cong-dan-2025", "pccc-2026"):
        page = soup(sample_site / "kiem-tra" / record / "index.html")
        statuses[record] = page.find(class_="status").get_text()
        stages = [li.find(class_="stage").get_text() for li in page.select("ol.timeline > li")]
        assert stages[0] == "Thông báo kiểm tra"
    assert statuses == {"cchc-2021": "Đã khắc phục xong", "atvstp-2023": "Đã có kết luận",
                        "tiep-cong-dan-2025": "Đã kiểm tra, chờ kết luận", "pccc-2026": "Đã có kết luận"}
    index = soup(sample_site / "kiem-tra" / "index.html")
    assert [a["href"] for a in index.select("ul.records h2 a")] == [
        "/kiem-tra/pccc-2026/", "/kiem-tra/tiep-cong-dan-2025/", "/kiem-tra/atvstp-2023/", "/kiem-tra/cchc-2021/"]
    by_year = soup(sample_site / "kiem-tra" / "nam" / "2023" / "index.html")
    assert [a["href"] for a in by_year.select("ul.records h2 a")] == ["/kiem-tra/atvstp-2023/"]
    by_unit = soup(sample_site / "kiem-tra" / "don-vi" / "tan-xuan" / "index.html")
    assert [a["href"] for a in by_unit.select("ul.records h2 a")] == ["/kiem-tra/cchc-2021/"]
    by_unit = soup(sample_site / "kiem-tra" / "don-vi" / "khu-pho-1" / "index.html")     # a unit of the new commune
    assert [a["href"] for a in by_unit.select("ul.records h2 a")] == ["/kiem-tra/pccc-2026/"]


def test_result_post_states_signed_published_and_minimum_listing(sample_site):
    page = soup(sample_site / "ket-qua" / "ket-luan-kiem-tra-cong-tac-cai-cach-hanh-chinh-nam-2021-tai-06-xa-thi-tran"
                / "index.html")
    facts = {div.dt.get_text(): div.dd.get_text(" ", strip=True) for div in page.select(".record dl.facts > div")}
    assert facts["Ngày ký"] == "07/10/2021"
    assert facts["Ngày đăng"] == "12/10/2021"
    assert facts["Công khai ít nhất đến"] == "27/10/2021"
    units = [a.get_text() for a in page.select(".record dl.facts a")]
    assert units == ["Tân Xuân", "Tân Hà", "Tân Nghĩa", "Sông Phan", "Tân Phúc", "Tân Đức"]
    assert len(page.select(".record table.findings tbody tr")) == 6
    timeline = page.select(".record ol.timeline li")
    assert len(timeline) == 3
    assert timeline[1].find("a")["aria-current"] == "page"


def test_attachment_hashes_match_the_files(sample_site):
    data = json.loads((sample_site / "du-lieu" / "kiem-tra.json").read_text(encoding="utf-8"))
    attachments = [a for record in data["inspections"] for post in record["posts"] for a in post["attachments"]]
    assert attachments
    for attachment in attachments:
        path = sample_site / attachment["url"].removeprefix("https://hamtan.lamdong.example.gov.vn/")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == attachment["sha256"]
        if attachment["type"] == "PDF":
            assert attachment["pages"] >= 1
    page = soup(sample_site / "ket-qua" / "ket-luan-kiem-tra-cong-tac-cai-cach-hanh-chinh-nam-2021-tai-06-xa-thi-tran"
                / "index.html")
    shown = page.select_one(".attachments .hash code").get_text()
    assert shown == hashlib.sha256((ROOT / "content" / "files" / "ket-luan-123-kl-ubnd.pdf").read_bytes()).hexdigest()


def test_open_data_validates_against_its_published_schema(sample_site):
    data = json.loads((sample_site / "du-lieu" / "kiem-tra.json").read_text(encoding="utf-8"))
    schema = json.loads((sample_site / "du-lieu" / "kiem-tra.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["$schema"] == "https://hamtan.lamdong.example.gov.vn/du-lieu/kiem-tra.schema.json"
    findings = {f["id"]: f for record in data["inspections"] for f in record["findings"]}
    assert findings["atvstp-2023/tan-thang"]["state"] == "overdue"
    assert findings["cchc-2021/tan-xuan"]["state"] == "remedied"
    broken = json.loads(json.dumps(data))
    broken["inspections"][0]["status"] = "lost"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_csv_opens_in_excel_with_one_row_per_finding(sample_site):
    raw = (sample_site / "du-lieu" / "kiem-tra.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    data = json.loads((sample_site / "du-lieu" / "kiem-tra.json").read_text(encoding="utf-8"))
    finding_ids = [f["id"] for record in data["inspections"] for f in record["findings"]]
    assert [r["finding_id"] for r in rows if r["finding_id"]] == finding_ids
    assert {r["inspection_id"] for r in rows} == {r["id"] for r in data["inspections"]}
    assert any(r["unit_name"] == "Tân Đức" for r in rows)


def test_catalogue_lists_every_kind_of_information(sample_site):
    page = soup(sample_site / "danh-muc-thong-tin" / "index.html")
    kinds = [th.get_text() for th in page.select("tbody th")]
    assert kinds[:4] == ["Tin tức - Sự kiện", "Thông báo", "Kết quả kiểm tra", "Giới thiệu"]
    assert "Hồ sơ kiểm tra (thông báo, kết luận, khắc phục)" in kinds
    row = next(tr for tr in page.select("tbody tr") if tr.th.get_text().startswith("Hồ sơ kiểm tra"))
    assert "10 ngày" in row.get_text() and "15 ngày" in row.get_text()


RECORD_SITE = """title: "Cổng thử"
base_url: "https://example.gov.vn/xa/"
sections:
  thong-bao: {title: "Thông báo"}
  ket-qua: {title: "Kết quả"}
"""
UNITS = "- name: Tân Xuân\n  kind: xã\n- name: Tân Hà\n"
NOTICE = """---
title: "Thông báo kiểm tra"
date: 2024-03-01 08:00
inspection:
  id: kt-2024
  stage: notice
  subject: "Kiểm tra công vụ"
  units: [Tân Xuân, Tân Hà]
  period: {start: 2024-03-10, end: 2024-03-15}
---
Nội dung.
"""
RESULT = """---
title: "Kết luận kiểm tra"
date: {date}
{extra}inspection:
  id: kt-2024
  stage: result
  conclusion: "Kết luận số 9/KL-UBND"
  signed: 2024-03-20
  findings:
    - unit: Tân Xuân
      rating: Đạt
      issues: ["Chưa niêm yết đủ thủ tục"]
      remedy_by: 2024-06-30
    - unit: Tân Hà
      rating: Tốt
---
Nội dung.
"""
FOLLOW_UP = """---
title: "Báo cáo khắc phục"
date: 2024-06-20 08:00
inspection:
  id: kt-2024
  stage: follow-up
  findings:
    - unit: Tân Xuân
      remedied: true
      note: "Đã niêm yết đủ."
---
Nội dung.
"""


def record_site(root, result_date="2024-03-25 08:00", extra="", follow_up=True):
    write(root / "site.yaml", RECORD_SITE)
    write(root / "data" / "units.yaml", UNITS)
    write(root / "content" / "thong-bao" / "tb.md", NOTICE)
    write(root / "content" / "ket-qua" / "kl.md", RESULT.format(date=result_date, extra=extra))
    if follow_up:
        write(root / "content" / "ket-qua" / "kp.md", FOLLOW_UP)
    return root


@pytest.mark.parametrize("now, expected", [
    ("2024-03-05 08:00", "Đã thông báo"),
    ("2024-03-12 08:00", "Đang kiểm tra"),
    ("2024-03-18 08:00", "Đã kiểm tra, chờ kết luận"),
    ("2024-04-01 08:00", "Đã có kết luận"),
    ("2024-07-01 08:00", "Đã khắc phục xong"),
])
def test_status_follows_the_calendar(tmp_path, now, expected):
    site = record_site(tmp_path / "site")
    result = run("--site", str(site), "--now", now)
    assert result.returncode == 0, result.stderr
    page = soup(site / "public" / "kiem-tra" / "kt-2024" / "index.html")
    assert page.find(class_="status").get_text() == expected


def test_overdue_without_follow_up(tmp_path):
    site = record_site(tmp_path / "site", follow_up=False)
    assert run("--site", str(site), "--now", "2024-07-01 08:00").returncode == 0
    unit = soup(site / "public" / "don-vi" / "tan-xuan" / "index.html")
    assert "Quá hạn khắc phục" in unit.select_one("table.findings tbody tr").get_text()
    other = soup(site / "public" / "don-vi" / "tan-ha" / "index.html")
    assert "Không có tồn tại" in other.select_one("table.findings tbody tr").get_text()
    before = run("--site", str(site), "--now", "2024-06-01 08:00")
    assert before.returncode == 0
    unit = soup(site / "public" / "don-vi" / "tan-xuan" / "index.html")
    assert "Trong hạn khắc phục" in unit.select_one("table.findings tbody tr").get_text()


def test_late_publication_and_short_listing_are_warnings_and_errors_under_strict(tmp_path):
    site = record_site(tmp_path / "site", result_date="2024-04-15 08:00", extra="expires: 2024-04-20\n")
    result = run("--site", str(site), "--now", "2024-07-01 08:00")
    assert result.returncode == 0, result.stderr
    assert problem_lines(result.stderr) == [
        "content/ket-qua/kl.md:4: cảnh báo: kết luận đăng ngày 15/04/2024 chỉ được công khai tới 20/04/2024, "
        "chưa đủ 15 ngày (đến 30/04/2024) — để `expires:`/`withdrawn:` từ ngày 30/04/2024 trở đi",
        "content/ket-qua/kl.md:9: cảnh báo: kết luận ký ngày 20/03/2024 nhưng đăng ngày 15/04/2024, muộn 26 ngày "
        "(tối đa 10 ngày) — đăng kết luận trong vòng 10 ngày kể từ ngày ký; kiểm tra lại `signed:` và `date:`"]
    strict = run("--site", str(site), "--now", "2024-07-01 08:00", "--strict")
    assert strict.returncode == 1


def test_withdrawn_result_stays_in_the_timeline_but_leaves_lists(tmp_path):
    site = record_site(tmp_path / "site", extra='withdrawn: {date: 2024-05-01, reason: "Thay bằng kết luận sửa đổi."}\n')
    result = run("--site", str(site), "--now", "2024-07-01 08:00")
    assert result.returncode == 0, result.stderr
    public = site / "public"
    page = soup(public / "ket-qua" / "ket-luan-kiem-tra" / "index.html")
    assert "Đã thu hồi" in page.find(class_="banner-withdrawn").get_text()
    listed = {a["href"] for a in soup(public / "ket-qua" / "index.html").select("li.item a")}
    assert "/xa/ket-qua/ket-luan-kiem-tra/" not in listed
    timeline = soup(public / "kiem-tra" / "kt-2024" / "index.html").select("ol.timeline > li")
    assert any("đã thu hồi" in li.get_text() for li in timeline)
    feed = (public / "ket-qua" / "feed.xml").read_text(encoding="utf-8")
    assert "ket-luan-kiem-tra/" not in feed
