"""Lịch công tác: a `kind: schedule` section built into this week's page, a page per week, the list
of weeks, the home page's coming items and iCalendar files; the problems an editor gets."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from conftest import copy_sample, problem_lines, run, soup, write

SITE = """title: "Cổng thử nghiệm"
base_url: "https://example.gov.vn/xa/"
sections:
  tin-tuc: {title: "Tin tức"}
  lich-cong-tac: {title: "Lịch công tác", kind: schedule}
"""
UTC = dt.timezone.utc


def week(name: str, text: str, root: Path) -> None:
    write(root / "content" / "lich-cong-tac" / name, text)


def schedule_site(root: Path) -> Path:
    write(root / "site.yaml", SITE)
    write(root / "content" / "tin-tuc" / "2025-06-01-tin.md", "---\ntitle: Tin\ndate: 2025-06-01\n---\nTin.\n")
    week("2025-w23.md", """---
week: 2025-W23
date: 2025-05-30 16:00
items:
  - {day: Thứ Hai, time: "07:30", content: "Giao ban tuần 23"}
---
""", root)
    week("tuan-24.md", """---
start: 2025-06-11
date: 2025-06-06 16:00
updated: 2025-06-10 08:00
items:
  - day: Thứ Sáu
    time: Cả ngày
    content: "Hội nghị trực tuyến của tỉnh"
    place: "Điểm cầu UBND xã"
  - day: Thứ Hai
    time: "07:30"
    content: "Chào cờ, giao ban"
    chair: "Chủ tịch UBND xã"
    attendees: "Các Phó Chủ tịch; công chức chuyên môn"
    place: "Hội trường UBND xã"
    prepare: "Văn phòng HĐND và UBND"
  - day: 11/06/2025
    time: "14:00 - 16:30"
    content: "Kiểm tra cải cách hành chính tại thôn 3"
    changed: "Chuyển từ sáng sang chiều"
  - day: 2025-06-12
    time: 8h
    content: "Tiếp công dân"
    cancelled: true
  - day: CN
    time: Sáng
    content: "Ra quân làm sạch môi trường"
---
Lịch có thể thay đổi.
""", root)
    week("2025-w26.md", """---
week: 2025-W26
date: 2025-06-20 16:00
items:
  - {day: Thứ Ba, time: Chiều, content: "Họp bàn giao"}
---
""", root)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = schedule_site(tmp_path_factory.mktemp("lich") / "site")
    out = root.parent / "public"
    result = run("--site", str(root), "--output", str(out), "--now", "2025-06-11 10:00")     # Wednesday of W24
    assert result.returncode == 0, result.stderr
    return out


def items(page) -> list[tuple[str, str]]:
    return [(li.find_parent("section").h2.time["datetime"], " ".join(li.select_one(".schedule-what").get_text().split()))
            for li in page.select(".schedule-items > li")]


def test_this_weeks_page_shows_its_items_by_day_and_time_with_changes_marked(built):
    page = soup(built / "lich-cong-tac" / "index.html")
    assert page.h1.get_text(strip=True) == "Lịch công tác"
    assert page.select_one(".lead").get_text(strip=True) == "Lịch công tác tuần 24 (09/06 - 15/06/2025)"
    assert items(page) == [
        ("2025-06-09", "07:30 Chào cờ, giao ban"),
        ("2025-06-11", "14:00 - 16:30 Kiểm tra cải cách hành chính tại thôn 3"),
        ("2025-06-12", "08:00 Hoãn: Tiếp công dân"),
        ("2025-06-13", "Cả ngày Hội nghị trực tuyến của tỉnh"),
        ("2025-06-15", "Sáng Ra quân làm sạch môi trường"),
    ]
    headings = [h.get_text(" ", strip=True) for h in page.select(".schedule-day h2")]
    assert headings[0] == "Thứ Hai, 09/06/2025" and headings[1] == "Thứ Tư, 11/06/2025 (hôm nay)"
    assert headings[-1] == "Chủ Nhật, 15/06/2025"
    first = page.select(".schedule-items > li")[0]
    fields = {d.dt.get_text(): d.dd.get_text() for d in first.select(".schedule-fields > div")}
    assert fields == {"Chủ trì": "Chủ tịch UBND xã", "Thành phần": "Các Phó Chủ tịch; công chức chuyên môn",
                      "Địa điểm": "Hội trường UBND xã", "Chuẩn bị": "Văn phòng HĐND và UBND"}
    changed = page.select(".schedule-items > li")[1]
    assert "changed" in changed["class"]
    assert changed.select_one(".schedule-change").get_text(" ", strip=True) == "Điều chỉnh: Chuyển từ sáng sang chiều"
    assert "cancelled" in page.select(".schedule-items > li")[2]["class"]
    assert "2 nội dung điều chỉnh hoặc hoãn" in page.select_one(".post-meta").get_text()
    assert "Lịch có thể thay đổi." in page.select_one(".prose").get_text()
    links = {a.get_text(strip=True): a["href"] for a in page.select(".schedule-links a")}
    assert links["Tải lịch tuần này (iCalendar, .ics)"] == "/xa/lich-cong-tac/2025-w24.ics"
    assert page.select_one(".subscribe-url").get_text() == "https://example.gov.vn/xa/lich-cong-tac/lich-cong-tac.ics"


def test_each_published_week_has_its_page_and_the_list_of_weeks_links_them(built):
    w24 = soup(built / "lich-cong-tac" / "2025-w24" / "index.html")        # from the week, whatever the file name
    assert w24.h1.get_text(strip=True) == "Lịch công tác tuần 24 (09/06 - 15/06/2025)"
    assert w24.select_one('a[rel="prev"]')["href"] == "/xa/lich-cong-tac/2025-w23/"
    assert w24.select_one('a[rel="next"]') is None                     # week 26 is not published yet
    assert not (built / "lich-cong-tac" / "2025-w26").exists()
    weeks = soup(built / "lich-cong-tac" / "cac-tuan" / "index.html")
    assert [a.get_text() for a in weeks.select(".schedule-weeks a")] == ["Tuần 24 (09/06 - 15/06/2025)",
                                                                         "Tuần 23 (02/06 - 08/06/2025)"]
    assert "(tuần này)" in weeks.select(".schedule-weeks li")[0].get_text()
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    for path in ("lich-cong-tac/", "lich-cong-tac/cac-tuan/", "lich-cong-tac/2025-w24/", "lich-cong-tac/2025-w23/"):
        assert f"<loc>https://example.gov.vn/xa/{path}</loc>" in sitemap


def test_the_home_page_lists_what_is_left_of_this_week(built):
    home = soup(built / "index.html").select_one(".home-schedule")
    coming = [" ".join(li.get_text().split()) for li in home.select(".schedule-coming li")]
    assert coming == [
        "Thứ Tư, 11/06/2025, 14:00 - 16:30: Kiểm tra cải cách hành chính tại thôn 3 (điều chỉnh)",
        "Thứ Năm, 12/06/2025, 08:00: Hoãn: Tiếp công dân",
        "Thứ Sáu, 13/06/2025, cả ngày: Hội nghị trực tuyến của tỉnh (Điểm cầu UBND xã)",
        "Chủ Nhật, 15/06/2025, sáng: Ra quân làm sạch môi trường",
    ]
    assert home.select_one(".more a")["href"] == "/xa/lich-cong-tac/"


def events(path: Path) -> list:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return [c for c in calendar.walk("VEVENT")]


def test_each_week_is_an_icalendar_file_with_times_in_utc(built):
    found = events(built / "lich-cong-tac" / "2025-w24.ics")
    assert [str(e["summary"]) for e in found] == ["Chào cờ, giao ban", "Kiểm tra cải cách hành chính tại thôn 3",
                                                  "HOÃN: Tiếp công dân", "Hội nghị trực tuyến của tỉnh",
                                                  "Ra quân làm sạch môi trường"]
    first, changed, cancelled, all_day, morning = found
    assert first["dtstart"].dt == dt.datetime(2025, 6, 9, 0, 30, tzinfo=UTC)        # 07:30 in Việt Nam
    assert "Chủ trì: Chủ tịch UBND xã" in str(first["description"])
    assert str(first["location"]) == "Hội trường UBND xã"
    assert first["url"] == "https://example.gov.vn/xa/lich-cong-tac/2025-w24/"
    assert first["dtstamp"].dt == dt.datetime(2025, 6, 10, 1, 0, tzinfo=UTC)         # the week's last update
    assert (changed["dtstart"].dt, changed["dtend"].dt) == (dt.datetime(2025, 6, 11, 7, tzinfo=UTC),
                                                            dt.datetime(2025, 6, 11, 9, 30, tzinfo=UTC))
    assert "Điều chỉnh: Chuyển từ sáng sang chiều" in str(changed["description"])
    assert str(cancelled["status"]) == "CANCELLED" and str(first["status"]) == "CONFIRMED"
    assert (all_day["dtstart"].dt, all_day["dtend"].dt) == (dt.date(2025, 6, 13), dt.date(2025, 6, 14))
    assert morning["dtstart"].dt == dt.datetime(2025, 6, 15, 0, 30, tzinfo=UTC)      # "Sáng": 07:30 - 11:30
    assert len({str(e["uid"]) for e in found}) == 5


def test_the_subscribed_calendar_holds_recent_and_coming_weeks(built):
    found = events(built / "lich-cong-tac" / "lich-cong-tac.ics")
    assert [str(e["summary"]) for e in found][:2] == ["Giao ban tuần 23", "Chào cờ, giao ban"]
    assert len(found) == 6                               # weeks 23 and 24; 26 is not published yet


def test_without_a_file_for_this_week_the_page_shows_the_nearest(tmp_path):
    root = schedule_site(tmp_path / "site")
    out = tmp_path / "public"
    result = run("--site", str(root), "--output", str(out), "--now", "2025-06-18 10:00")      # W25: no file
    assert result.returncode == 0, result.stderr
    page = soup(out / "lich-cong-tac" / "index.html")
    assert "Chưa có lịch công tác của tuần này" in page.select_one(".notice").get_text()
    assert "tuần gần nhất" in page.select_one(".notice").get_text()
    assert items(page)[0] == ("2025-06-09", "07:30 Chào cờ, giao ban")
    assert "Chưa có lịch công tác tuần này." in soup(out / "index.html").select_one(".home-schedule").get_text()
    result = run("--site", str(root), "--output", str(out), "--now", "2025-06-21 10:00", "--future")
    page = soup(out / "lich-cong-tac" / "index.html")
    assert "tuần tới" in page.select_one(".notice").get_text()
    assert items(page) == [("2025-06-24", "Chiều Họp bàn giao")]


def test_schedule_mistakes_come_back_with_their_lines(tmp_path):
    root = schedule_site(tmp_path / "site")
    week("sai.md", """---
week: 2025-W60
items: []
---
""", root)
    week("khong-tuan.md", "---\ntitle: Lịch\nitems: []\n---\n", root)
    week("nam-0.md", "---\nweek: 0000-W01\n---\n", root)                  # no traceback at the edges of time
    week("nam-9999.md", "---\nstart: 9999-12-31\n---\n", root)
    week("lech.md", "---\nweek: 2025-W30\nstart: 2025-06-02\n---\n", root)
    week("trung.md", "---\nweek: 2025-W23\nslug: trung\n---\n", root)
    week("muc.md", """---
week: 2025-W40
items:
  - day: Thứ Mười
    content: "Họp"
  - day: 2025-10-20
    content: "Ngoài tuần"
  - day: Thứ Ba
    time: "25:00"
    content: "Giờ sai"
  - day: Thứ Tư
    time: "14:00 - 13:00"
    content: "Kết thúc trước khi bắt đầu"
  - day: Thứ Năm
    chair: "Thiếu nội dung"
---
""", root)
    result = run("check", "--site", str(root))
    assert result.returncode == 1
    lines = problem_lines(result.stderr)
    expect = [
        ("content/lich-cong-tac/sai.md:2:", "`week: 2025-W60` không phải một tuần"),
        ("content/lich-cong-tac/khong-tuan.md:1:", "không ghi tuần nào"),
        ("content/lich-cong-tac/nam-0.md:2:", "`week: 0000-W01` không phải một tuần"),
        ("content/lich-cong-tac/nam-9999.md:2:", "`start` không phải ngày hợp lệ: `9999-12-31`"),
        ("content/lich-cong-tac/lech.md:3:", "`start: 02/06/2025` không thuộc tuần `2025-W30`"),
        ("content/lich-cong-tac/trung.md:2:", "tuần 2025-W23 đã có lịch ở `content/lich-cong-tac/2025-w23.md`"),
        ("content/lich-cong-tac/muc.md:4:", "ngày `Thứ Mười` không thuộc tuần từ 29/09/2025 đến 05/10/2025"),
        ("content/lich-cong-tac/muc.md:6:", "ngày `2025-10-20` không thuộc tuần"),
        ("content/lich-cong-tac/muc.md:8:", "không đọc được giờ `25:00`"),
        ("content/lich-cong-tac/muc.md:11:", "không đọc được giờ `14:00 - 13:00`"),
        ("content/lich-cong-tac/muc.md:14:", "content"),
    ]
    for where, what in expect:
        assert any(line.startswith(where) and what in line for line in lines), (where, what, lines)
    assert "Traceback" not in result.stderr


def test_the_sample_portal_schedule_and_its_new_command(tmp_path):
    site = copy_sample(tmp_path / "site")
    out = tmp_path / "public"
    result = run("--site", str(site), "--output", str(out), "--now", "2025-06-18 10:00")
    assert result.returncode == 0, result.stderr
    page = soup(out / "lich-cong-tac" / "index.html")
    assert page.select_one(".lead").get_text(strip=True).startswith("Lịch công tác tuần 25")
    assert [e["uid"] for e in events(out / "lich-cong-tac" / "2025-w25.ics")]
    before = set((site / "content" / "lich-cong-tac").iterdir())
    result = run("new", "--site", str(site), "lich-cong-tac", "Lịch tuần tới")
    assert result.returncode == 0, result.stderr
    created = set((site / "content" / "lich-cong-tac").iterdir()) - before
    assert len(created) == 1 and created.pop().name.endswith(".md")
    result = run("check", "--site", str(site))
    assert result.returncode == 0, result.stderr
