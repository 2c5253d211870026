"""Lãnh đạo: data/leaders.yaml shown on /lanh-dao/ ordered by position, listed on the Giới thiệu
index, in the catalogue; and the problems an editor gets for a bad file."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

from conftest import NOW, problem_lines, run, soup, write

SITE = """title: "Cổng thử nghiệm"
base_url: "https://example.gov.vn/xa/"
sections:
  tin-tuc: {title: "Tin tức"}
  gioi-thieu: {title: "Giới thiệu", kind: pages}
"""
# In the file: an Ủy viên first, then two Phó Chủ tịch, the Chủ tịch last, and one whose order is given.
LEADERS = """- name: "Ngô Văn Bốn"
  position: "Ủy viên UBND xã, Trưởng Công an xã"
- name: "Trần Thị Hai"
  position: "Phó Chủ tịch UBND xã"
  term: "2021 - 2026"
  photo: /files/hai.png
  bio: |
    Sinh năm 1980.

    Cử nhân Luật.
  duties: ["Văn hóa - xã hội", "Giáo dục"]
  phone: "0252 3 848 102"
  email: "pct.hai@example.gov.vn"
- name: "Lê Văn Ba"
  position: "Phó Chủ tịch thường trực UBND xã"
- name: "Nguyễn Văn Một"
  position: "Chủ tịch UBND xã"
- name: "Phạm Thị Năm"
  position: "Chánh Văn phòng"
  order: 1
"""


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def leaders_site(root: Path, leaders: str = LEADERS) -> Path:
    write(root / "site.yaml", SITE)
    write(root / "content" / "tin-tuc" / "2025-06-01-tin.md", "---\ntitle: Tin\ndate: 2025-06-01\n---\nTin.\n")
    write(root / "content" / "gioi-thieu" / "chung.md", "---\ntitle: Giới thiệu chung\n---\nXã ở phía tây.\n")
    (root / "content" / "files").mkdir(parents=True, exist_ok=True)
    (root / "content" / "files" / "hai.png").write_bytes(png())
    write(root / "data" / "leaders.yaml", leaders)
    return root


def test_leaders_are_shown_by_order_then_position_then_file_order(tmp_path):
    root = leaders_site(tmp_path / "site")
    out = tmp_path / "public"
    result = run("--site", str(root), "--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    page = soup(out / "lanh-dao" / "index.html")
    names = [s.h2.get_text() for s in page.select("section.leader")]
    assert names == ["Phạm Thị Năm", "Nguyễn Văn Một", "Lê Văn Ba", "Trần Thị Hai", "Ngô Văn Bốn"]
    hai = page.select_one("#lanh-dao-tran-thi-hai")
    assert hai.select_one(".leader-position").get_text(" ", strip=True) == "Phó Chủ tịch UBND xã (nhiệm kỳ 2021 - 2026)"
    assert [p.get_text() for p in hai.select(".leader-text > p")][1:3] == ["Sinh năm 1980.", "Cử nhân Luật."]
    assert [li.get_text() for li in hai.select(".leader-duties li")] == ["Văn hóa - xã hội", "Giáo dục"]
    photo = hai.select_one("img.leader-photo")
    assert photo["src"] == "/xa/files/hai.png" and photo["alt"] == "Ảnh chân dung Trần Thị Hai"
    assert (out / "files" / "hai.png").read_bytes() == png()
    contact = {a.get_text(): a["href"] for a in hai.select(".leader-contact a")}
    assert contact == {"0252 3 848 102": "tel:+842523848102", "pct.hai@example.gov.vn": "mailto:pct.hai@example.gov.vn"}
    assert page.select_one("#lanh-dao-ngo-van-bon img") is None           # no photo: no empty image
    index = soup(out / "gioi-thieu" / "index.html").select_one(".leaders-list")
    links = [(a.get_text(), a["href"]) for a in index.select("li a")]
    assert links[1] == ("Nguyễn Văn Một", "/xa/lanh-dao/#lanh-dao-nguyen-van-mot")
    assert all(page.select_one(href.split("/xa/lanh-dao/")[1]) is not None for _, href in links)
    catalogue = soup(out / "danh-muc-thong-tin" / "index.html").get_text()
    assert "Lãnh đạo (tiểu sử tóm tắt, nhiệm vụ được phân công)" in catalogue
    assert "<loc>https://example.gov.vn/xa/lanh-dao/</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_without_leaders_there_is_no_page_and_no_block(tmp_path):
    root = leaders_site(tmp_path / "site")
    (root / "data" / "leaders.yaml").unlink()
    out = tmp_path / "public"
    result = run("--site", str(root), "--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert not (out / "lanh-dao").exists()
    assert soup(out / "gioi-thieu" / "index.html").select_one(".leaders-list") is None


def test_leader_mistakes_come_back_with_their_lines(tmp_path):
    root = leaders_site(tmp_path / "site", """- name: "Nguyễn Văn Một"
  position: "Chủ tịch UBND xã"
  photo: /files/khong-co.png
- name: "Nguyễn Văn Một"
  position: "Phó Chủ tịch"
- name: "Lê Văn Ba"
  position: "Phó Chủ tịch"
  photo: /files/tai-lieu.pdf
  email: "khong phai thu"
  nhiem_vu: "x"
- position: "Ủy viên"
""")
    (root / "content" / "files" / "tai-lieu.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = run("check", "--site", str(root))
    assert result.returncode == 1
    lines = problem_lines(result.stderr)
    expect = [("data/leaders.yaml:3:", "khong-co.png"), ("data/leaders.yaml:4:", "đã có ở dòng 1"),
              ("data/leaders.yaml:8:", "không phải tệp ảnh"), ("data/leaders.yaml:9:", "khong phai thu"),
              ("data/leaders.yaml:10:", "nhiem_vu"), ("data/leaders.yaml:11:", "name")]
    for where, what in expect:
        assert any(line.startswith(where) and what in line for line in lines), (where, what, lines)


def test_a_section_cannot_take_the_leaders_address(tmp_path):
    root = leaders_site(tmp_path / "site")
    write(root / "site.yaml", SITE + '  lanh-dao: {title: "Lãnh đạo"}\n')
    result = run("check", "--site", str(root))
    assert result.returncode == 1
    assert any(line.startswith("site.yaml:") and "lanh-dao" in line for line in problem_lines(result.stderr))


def test_the_sample_portal_shows_its_leaders_where_giới_thiệu_links_them(sample_site):
    page = soup(sample_site / "lanh-dao" / "index.html")
    leaders = page.select("section.leader")
    assert leaders[0].h2.get_text() == "Nguyễn Văn Thành" and len(leaders) == 5
    for img in page.select("img.leader-photo"):
        assert (sample_site / img["src"].lstrip("/")).stat().st_size > 0
    intro = soup(sample_site / "trang" / "gioi-thieu" / "index.html")
    assert intro.select_one('.prose a[href="/lanh-dao/"]') is not None
    assert soup(sample_site / "trang" / "index.html").select(".leaders-list li")
