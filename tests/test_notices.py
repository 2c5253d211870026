"""site.yaml's notices, built for real: the planned-downtime banner (shown from its announcement until it is
over, the build stamp and `list next` knowing both moments, the 7-working-day warning with Vietnam's
holidays), the evaluator's monitoring script within the Content-Security-Policy, and the footer's trust marks."""
from __future__ import annotations

import datetime as dt
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE, minimal_site, problem_lines, run, soup, write

POST = """---
title: "Kế hoạch kiểm tra năm 2026"
date: 2026-11-02 08:00
---

Nội dung kế hoạch.
"""

MAINTENANCE = """maintenance:
  - start: "2026-12-21 22:00"
    end: "2026-12-22 02:00"
    restore: "2026-12-22 03:00"
    announced: "{announced}"
    reason: "Nâng cấp hệ thống máy chủ"
"""


def site_with(root: Path, extra: str) -> Path:
    minimal_site(root, MINIMAL_SITE + extra)
    write(root / "content" / "tin-tuc" / "2026-11-02-ke-hoach.md", POST)
    return root


def build(site: Path, now: str, *more: str):
    return run("--site", str(site), "--output", str(site / "public"), "--now", now, *more)


def banners(site: Path, page: str = "index.html") -> list:
    return soup(site / "public" / page).select("main .banner-maintenance")


POST_PAGE = "tin-tuc/ke-hoach-kiem-tra-nam-2026/index.html"


# ------------------------------------------------------------------ the downtime banner

def test_the_banner_is_on_every_page_from_its_announcement_until_it_is_over(tmp_path):
    site = site_with(tmp_path / "site", MAINTENANCE.format(announced="2026-12-08 08:00"))
    result = build(site, "2026-12-08 07:59")
    assert result.returncode == 0, result.stderr
    assert banners(site) == [] and banners(site, POST_PAGE) == []

    result = build(site, "2026-12-10 09:00")
    assert result.returncode == 0, result.stderr
    assert "ngày làm việc" not in result.stderr                     # announced 8 working days ahead: no warning
    for page in ("index.html", POST_PAGE, "tin-tuc/index.html", "404.html"):
        found = banners(site, page)
        assert len(found) == 1, page
        text = " ".join(found[0].get_text().split())
        assert "từ Thứ Hai, 21/12/2026 22:00 đến Thứ Ba, 22/12/2026 02:00" in text, text
        assert "Dự kiến hoạt động trở lại lúc Thứ Ba, 22/12/2026 03:00" in text, text
        assert "Nâng cấp hệ thống máy chủ" in text
        assert [t["datetime"] for t in found[0].select("time")] == [
            "2026-12-21T22:00:00+07:00", "2026-12-22T02:00:00+07:00", "2026-12-22T03:00:00+07:00"]

    result = build(site, "2026-12-22 02:30")                         # ended, not yet restored: still shown
    assert result.returncode == 0, result.stderr
    assert len(banners(site)) == 1
    result = build(site, "2026-12-22 03:00")
    assert result.returncode == 0, result.stderr
    assert banners(site) == [] and banners(site, POST_PAGE) == []


def test_the_stamp_ends_at_the_announcement_and_a_cached_build_equals_a_clean_one(tmp_path):
    site = site_with(tmp_path / "site", MAINTENANCE.format(announced="2026-12-08 08:00"))
    assert build(site, "2026-12-08 07:00").returncode == 0
    again = build(site, "2026-12-08 07:30")
    assert again.returncode == 0 and "Không có gì thay đổi" in again.stdout + again.stderr   # the window holds
    cached = build(site, "2026-12-08 08:30")                         # same day, same files: the notice is due
    assert cached.returncode == 0, cached.stderr
    assert "Không có gì thay đổi" not in cached.stdout + cached.stderr
    assert len(banners(site)) == 1 and len(banners(site, POST_PAGE)) == 1
    clean = run("--site", str(site), "--output", str(tmp_path / "clean"), "--now", "2026-12-08 08:30", "--no-cache")
    assert clean.returncode == 0, clean.stderr
    assert _tree(site / "public") == _tree(tmp_path / "clean")


def _tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_list_next_names_when_the_banner_appears_and_when_it_leaves(tmp_path):
    site = site_with(tmp_path / "site", MAINTENANCE.format(announced="2026-12-08 08:00"))
    before = run("list", "next", "--site", str(site), "--now", "2026-12-01 10:00")
    assert before.returncode == 0, before.stderr
    assert before.stdout.splitlines() == [
        "site.yaml\tNâng cấp hệ thống máy chủ\t08/12/2026 08:00\tthông báo tạm ngừng hoạt động hiện lên các trang"]
    during = run("list", "next", "--site", str(site), "--now", "2026-12-10 10:00")
    assert during.stdout.splitlines() == [
        "site.yaml\tNâng cấp hệ thống máy chủ\t22/12/2026 03:00\tthông báo tạm ngừng hoạt động rời các trang"]
    after = run("list", "next", "--site", str(site), "--now", "2026-12-23 10:00")
    assert after.returncode == 0 and after.stdout == ""


def _line_of(site: Path, text: str) -> int:
    lines = (site / "site.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_an_announcement_less_than_seven_working_days_ahead_is_a_warning_at_its_line(tmp_path):
    site = site_with(tmp_path / "site", MAINTENANCE.format(announced="2026-12-14 08:00"))
    result = build(site, "2026-12-14 09:00")
    assert result.returncode == 0, result.stderr                    # a warning: the portal is still built
    line = _line_of(site, "announced:")
    said = [p for p in problem_lines(result.stderr) if "ngày làm việc" in p]
    assert len(said) == 1 and said[0].startswith(f"site.yaml:{line}: "), result.stderr
    assert "chỉ được đưa trước 4 ngày làm việc" in said[0]            # 15, 16, 17, 18/12
    assert "muộn nhất ngày 09/12/2026" in said[0] and "24/12/2026" in said[0], said[0]
    assert len(banners(site)) == 1
    strict = build(site, "2026-12-14 09:00", "--strict")
    assert strict.returncode == 1
    over = build(site, "2026-12-23 09:00")                           # over: nothing to warn of any more
    assert over.returncode == 0 and "ngày làm việc" not in over.stderr


@pytest.mark.parametrize("announced,start,days", [
    ("2026-04-20 08:00", "2026-05-04 08:00", 6),    # 27/4 (Giỗ Tổ, observed), 30/4 and 1/5 are days off
    ("2026-05-04 08:00", "2026-05-18 08:00", None),  # the same weekdays two weeks later: 9 working days
    ("2027-02-01 08:00", "2027-02-15 08:00", 4),    # Tết Đinh Mùi: 4 to 10/02/2027
])
def test_holidays_change_the_count(tmp_path, announced, start, days):
    notice = f"""maintenance:
  - start: "{start}"
    end: "{start[:11]}12:00"
    announced: "{announced}"
"""
    site = site_with(tmp_path / "site", notice)
    result = build(site, announced[:11] + "09:00")
    assert result.returncode == 0, result.stderr
    said = [p for p in problem_lines(result.stderr) if "ngày làm việc" in p]
    if days is None:
        assert said == [], result.stderr
    else:
        assert len(said) == 1 and f"trước {days} ngày làm việc" in said[0], result.stderr


def test_the_holiday_calendar_knows_vietnam_s_public_holidays_2025_to_2027():
    from site_generator import notices
    off = {  # Tết (lunar), Giỗ Tổ Hùng Vương (10/3 lunar), 30/4, 1/5, Quốc khánh: the days off that fall on weekdays
        2025: ["2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-07", "2025-04-30",
               "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"],
        2026: ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-27", "2026-04-30",
               "2026-05-01", "2026-09-01", "2026-09-02"],
        2027: ["2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-04-16", "2027-04-30",
               "2027-05-03", "2027-09-02", "2027-09-03"],
    }
    for days in off.values():
        for day in days:
            assert not notices.working_day(dt.date.fromisoformat(day)), day
    assert notices.working_day(dt.date(2026, 4, 28)) and notices.working_day(dt.date(2027, 2, 11))
    assert not notices.working_day(dt.date(2026, 12, 19))            # a Saturday
    assert notices.working_days_between(dt.date(2027, 2, 1), dt.date(2027, 2, 15)) == 4


def test_times_in_the_wrong_order_are_errors_at_their_line(tmp_path):
    notice = """maintenance:
  - start: "2026-12-21 22:00"
    end: "2026-12-21 20:00"
    announced: "2026-12-01 08:00"
  - start: "2026-12-28 22:00"
    end: "2026-12-29 02:00"
"""
    site = site_with(tmp_path / "site", notice)
    result = build(site, "2026-12-10 09:00")
    assert result.returncode == 1
    lines = problem_lines(result.stderr)
    end = _line_of(site, '"2026-12-21 20:00"')
    assert any(p.startswith(f"site.yaml:{end}: ") and "kết thúc" in p for p in lines), result.stderr
    second = _line_of(site, '"2026-12-28 22:00"')
    assert any(p.startswith(f"site.yaml:{second}: ") and "`maintenance.1.announced`" in p for p in lines), result.stderr


def test_english_messages_too(tmp_path):
    site = site_with(tmp_path / "site", "language: en\n" + MAINTENANCE.format(announced="2026-12-14 08:00"))
    result = build(site, "2026-12-14 09:00")
    assert "announced only 4 working days ahead" in result.stderr, result.stderr


# ------------------------------------------------------------------ the monitoring script

MONITORING = """monitoring:
  script: "https://giamsat.example.gov.vn/v2/ma-giam-sat.js"
  id: "UBND-HAMTAN-01"
"""


def _policy(text: str) -> dict:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in text.split(";")) if d}


def test_the_monitoring_script_is_on_every_page_and_the_policy_allows_exactly_its_origin(tmp_path):
    site = site_with(tmp_path / "site", MONITORING)
    result = build(site, "2026-12-10 09:00")
    assert result.returncode == 0, result.stderr
    public = site / "public"
    pages = [p for p in public.rglob("*.html") if "http-equiv" in p.read_text(encoding="utf-8")]
    assert len(pages) >= 5
    for page in pages:
        html = soup(page)
        scripts = [s for s in html.find_all("script") if "giamsat" in (s.get("src") or "")]
        assert len(scripts) == 1, page
        script = scripts[0]
        assert script["src"] == "https://giamsat.example.gov.vn/v2/ma-giam-sat.js"
        assert script.has_attr("async") and script["data-id"] == "UBND-HAMTAN-01"
        assert all(s.get("src") for s in html.find_all("script")), f"{page}: an inline script"
        meta = html.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        policy = _policy(meta)
        assert policy["script-src"] == ["'self'", "https://giamsat.example.gov.vn"], meta
        assert policy["connect-src"] == ["'self'", "https://giamsat.example.gov.vn"], meta
        assert policy["img-src"] == ["'self'"] and policy["default-src"] == ["'self'"]
    meta = soup(public / "index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    served = meta + "; frame-ancestors 'self'"
    htaccess = (public / ".htaccess").read_text(encoding="utf-8")
    assert f'Header always set Content-Security-Policy "{served}"' in htaccess
    config = ET.fromstring((public / "web.config").read_bytes())
    added = {e.get("name"): e.get("value") for e in config.find("system.webServer").iter("add") if e.get("name")}
    assert added["Content-Security-Policy"] == served

    from site_generator import headers
    assert f'add_header Content-Security-Policy "{served}" always;' in \
        headers.nginx("", "https://giamsat.example.gov.vn")


def test_without_monitoring_there_is_no_script_and_no_other_origin(tmp_path):
    site = site_with(tmp_path / "site", "")
    assert build(site, "2026-12-10 09:00").returncode == 0
    html = soup(site / "public" / "index.html")
    assert not [s for s in html.find_all("script") if (s.get("src") or "").startswith("https://")]
    policy = _policy(html.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"])
    assert policy["script-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    assert "https://" not in (site / "public" / ".htaccess").read_text(encoding="utf-8").split("Content-Security")[1]


@pytest.mark.parametrize("script", ["http://giamsat.example.gov.vn/ma.js", "/js/ma.js", "javascript:alert(1)",
                                    "https://giamsat.example.gov.vn/ma.js\" onload=\"x"])
def test_a_monitoring_script_that_is_not_https_is_an_error_at_its_line(tmp_path, script):
    quoted = script.replace("\\", "\\\\").replace('"', '\\"')
    site = site_with(tmp_path / "site", f'monitoring:\n  script: "{quoted}"\n')
    result = build(site, "2026-12-10 09:00")
    assert result.returncode == 1
    line = _line_of(site, "script:")
    assert any(p.startswith(f"site.yaml:{line}: ") and "https://" in p for p in problem_lines(result.stderr)), \
        result.stderr


# ------------------------------------------------------------------ trust marks

def png(width: int, height: int) -> bytes:
    """A real PNG of one colour (what an issuer's badge is, in miniature)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + b"\x1f\x5f\xa0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


TRUST = """trust_marks:
  - image: /files/chung-nhan/tin-nhiem-mang.png
    alt: "Chứng nhận Tín Nhiệm Mạng"
    link: "https://tinnhiemmang.vn/danh-ba-tin-nhiem/hamtan"
  - image: /files/chung-nhan/ipv6-ready.png
    alt: "IPv6 Ready"
    link: "https://www.ipv6ready.org/?page=logo-db"
    height: 30
"""


def test_trust_marks_are_in_every_footer_lazy_with_their_size_and_link(tmp_path):
    site = site_with(tmp_path / "site", TRUST)
    (site / "content" / "files" / "chung-nhan").mkdir(parents=True)
    (site / "content" / "files" / "chung-nhan" / "tin-nhiem-mang.png").write_bytes(png(120, 40))
    (site / "content" / "files" / "chung-nhan" / "ipv6-ready.png").write_bytes(png(90, 60))
    result = build(site, "2026-12-10 09:00")
    assert result.returncode == 0, result.stderr
    for page in ("index.html", POST_PAGE, "404.html"):
        marks = soup(site / "public" / page).select("footer .trust-marks li a")
        assert [(a["href"], a.img["alt"], a.img["width"], a.img["height"], a.img["loading"]) for a in marks] == [
            ("https://tinnhiemmang.vn/danh-ba-tin-nhiem/hamtan", "Chứng nhận Tín Nhiệm Mạng", "120", "40", "lazy"),
            ("https://www.ipv6ready.org/?page=logo-db", "IPv6 Ready", "45", "30", "lazy")], page
        assert marks[0].img["src"] == "/files/chung-nhan/tin-nhiem-mang.png"
    assert (site / "public" / "files" / "chung-nhan" / "tin-nhiem-mang.png").read_bytes() == png(120, 40)


def test_no_trust_marks_no_footer_section(tmp_path):
    site = site_with(tmp_path / "site", "")
    assert build(site, "2026-12-10 09:00").returncode == 0
    assert soup(site / "public" / "index.html").select(".trust-marks") == []


def test_bad_trust_marks_are_errors_at_their_lines(tmp_path):
    marks = """trust_marks:
  - image: /files/khong-co.png
    alt: "Chứng nhận Tín Nhiệm Mạng"
    link: "https://tinnhiemmang.vn/danh-ba-tin-nhiem/hamtan"
  - image: /files/ipv6-ready.png
    link: "https://www.ipv6ready.org/"
  - image: /files/ipv6-ready.png
    alt: "IPv6 Ready"
    link: "http://www.ipv6ready.org/"
  - image: /files/bai.pdf
    alt: "Không phải ảnh"
    link: "https://example.gov.vn/"
"""
    site = site_with(tmp_path / "site", marks)
    write(site / "content" / "files" / "bai.pdf", "%PDF-1.4\n%%EOF\n")
    (site / "content" / "files" / "ipv6-ready.png").write_bytes(png(90, 60))
    result = build(site, "2026-12-10 09:00")
    assert result.returncode == 1
    lines = problem_lines(result.stderr)

    def said(line: int, words: str) -> bool:
        return any(p.startswith(f"site.yaml:{line}: ") and words in p for p in lines)

    assert said(_line_of(site, "khong-co.png"), "khong-co.png"), result.stderr
    second = [n for n, line in enumerate((site / "site.yaml").read_text().splitlines(), 1)
              if "image: /files/ipv6-ready.png" in line][0]
    assert said(second, "`trust_marks.1.alt`"), result.stderr
    assert said(_line_of(site, "http://www.ipv6ready.org/"), "https://"), result.stderr
    assert said(_line_of(site, "bai.pdf"), "PNG, JPG"), result.stderr
    assert not re.search(r"Traceback", result.stderr)


@pytest.mark.parametrize("start,end,announced", [
    ("0001-01-01 00:00", "2026-12-30 00:00", "0001-01-01 00:00"),
    ("2026-12-21 22:00", "9999-12-31 23:59", "2026-12-01 08:00"),
    ("2026-12-21 22:00", "2026-12-22 02:00", "9999-12-31 23:59"),
])
def test_years_out_of_reach_are_errors_not_crashes(tmp_path, start, end, announced):
    notice = f'maintenance:\n  - start: "{start}"\n    end: "{end}"\n    announced: "{announced}"\n'
    site = site_with(tmp_path / "site", notice)
    result = build(site, "2026-12-10 09:00")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert any(p.startswith("site.yaml:") and "không phải ngày hợp lệ" in p for p in problem_lines(result.stderr))
    listed = run("list", "next", "--site", str(site), "--now", "2026-12-10 09:00")
    assert "Traceback" not in listed.stderr
