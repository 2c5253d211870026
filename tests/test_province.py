"""A province's communes from one repository (issue 18): inheritance, `build.py province`, the aggregate.

Real builds of the sample province (tinh-mau/: Hàm Tân at the repository's root with the district
archive, and three communes of its own) into temporary folders, asserted on the parsed HTML, the
merged open data and the files' bytes.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, copy_sample, problem_lines, run, soup, write

NOW = "2026-12-03 10:00"
COMMUNES = ("xa-ham-tan", "xa-tan-minh", "phuong-la-gi", "xa-son-my")


def _province(tmp: Path) -> Path:
    """A copy of the sample province, with the root sample (its commune at ``..``) beside it."""
    copy_sample(tmp / "repo")
    shutil.copytree(ROOT / "tinh-mau", tmp / "repo" / "tinh-mau", ignore=shutil.ignore_patterns(".cache"))
    return tmp / "repo" / "tinh-mau"


def _build(province: Path, out: Path, *more: str):
    return run("province", "--site", str(province), "--output", str(out), "--now", NOW, *more)


def _tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("province")
    province = _province(tmp)
    out = tmp / "out"
    result = _build(province, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return province, out, result


def test_every_commune_and_the_aggregate_are_built(built):
    province, out, result = built
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted((*COMMUNES, "tinh"))
    sites = json.loads((out / "sites.json").read_text(encoding="utf-8"))
    assert [s["key"] for s in sites["sites"]] == list(COMMUNES)
    assert sites["province"] == {"name": "Tỉnh Lâm Đồng", "code": 68}
    tan_minh = next(s for s in sites["sites"] if s["key"] == "xa-tan-minh")
    assert tan_minh["code"] == 23230 and tan_minh["name"] == "Xã Tân Minh"
    assert tan_minh["base_url"] == "https://tanminh.lamdong.example.gov.vn/"      # Art. 11(4), from domain:
    assert "4 xã, phường: 4 được xây dựng lại" in result.stdout


def test_a_commune_inherits_the_province_settings_and_its_official_names(built):
    _, out, _ = built
    page = soup(out / "xa-tan-minh" / "index.html")
    assert page.title.get_text() == "Cổng thông tin điện tử xã Tân Minh"        # from its code, not written anywhere
    parent = page.select_one(".parent-portal a")
    assert parent.get_text() == "Cổng thông tin điện tử tỉnh Lâm Đồng" and parent["href"] == "https://lamdong.example.gov.vn/"
    menu = [a.get_text() for a in page.select("#menu-chinh a")]
    assert "Kết quả kiểm tra" in menu and "Dịch vụ công" in menu                # sections and menu of province.yaml
    # Hàm Tân writes its own title, sections and base_url: they win over the province's
    ham_tan = soup(out / "xa-ham-tan" / "index.html")
    assert ham_tan.title.get_text() == "Cổng thông tin điện tử xã Hàm Tân"
    assert ham_tan.select_one(".parent-portal a")["href"] == "https://lamdong.example.gov.vn/"
    assert "Lịch công tác" in [a.get_text() for a in ham_tan.select("#menu-chinh a")]


def test_the_aggregate_puts_overdue_findings_first_and_links_each_commune(built):
    _, out, _ = built
    page = soup(out / "tinh" / "index.html")
    first = page.select_one("main section h2")
    assert first.get_text() == "Kiến nghị quá hạn khắc phục"
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in page.select("main section")[0].select("tbody tr")]
    assert ["Xã Tân Minh", "Thôn 1", "Cải cách hành chính", "31/10/2026"] in rows     # due 31/10, not reported by 03/12
    assert not any(r[1] == "Khu phố 2" for r in rows)                                 # due 31/03/2027: not yet
    communes = {tr.th.get_text(strip=True): tr.th.a["href"] for tr in page.select("main section")[1].select("tbody tr")}
    assert communes["Phường La Gi"] == "https://lagi.lamdong.example.gov.vn/"
    news = [a["href"] for a in page.select("#tin-moi ~ ul a, section[aria-labelledby=van-ban-moi] a")]
    assert "https://sonmy.lamdong.example.gov.vn/van-ban/" in " ".join(news)


def test_merged_open_data_has_the_commune_code_in_every_row(built):
    _, out, _ = built
    rows = list(csv.DictReader(io.StringIO((out / "tinh" / "du-lieu" / "kiem-tra.csv").read_text(encoding="utf-8"))))
    assert rows and all(r["commune_code"] in {"23236", "23230", "23235", "23266"} for r in rows)
    assert {r["commune_code"] for r in rows} == {"23236", "23230", "23235", "23266"}
    own = list(csv.DictReader(io.StringIO((out / "xa-ham-tan" / "du-lieu" / "kiem-tra.csv").read_text(encoding="utf-8"))))
    assert len([r for r in rows if r["commune_code"] == "23236"]) == len(own)
    documents = json.loads((out / "tinh" / "du-lieu" / "van-ban.json").read_text(encoding="utf-8"))
    assert {d["commune_code"] for d in documents["documents"]} == {23236, 23230, 23235, 23266}


def test_one_search_over_all_communes(built):
    _, out, _ = built
    folder = out / "tinh" / "tim-kiem" / "du-lieu"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["notext"] is True and set(meta["sections"]) == {"Xã Hàm Tân", "Xã Tân Minh", "Phường La Gi", "Xã Sơn Mỹ"}
    shards = {}
    for shard in folder.glob("s*.json"):
        shards.update(json.loads(shard.read_text(encoding="utf-8")))
    hits = shards["95khubnd"][0]                                    # the documents' number, folded as typed
    assert len(hits.split(",")) == 3                                 # one per commune that issued 95/KH-UBND
    page = soup(out / "tinh" / "tim-kiem" / "index.html")
    assert [o.get_text() for o in page.select("#loc-muc option")][1:] == sorted(meta["sections"])


def test_one_commune_built_alone_is_what_the_province_builds(built, tmp_path):
    province, out, _ = built
    alone = tmp_path / "alone"
    result = run("build", "--site", str(province / "xa-son-my"), "--output", str(alone), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert _tree(alone) == _tree(out / "xa-son-my")


def test_only_what_changed_is_rebuilt_and_cached_equals_clean(tmp_path):
    province = _province(tmp_path)
    out = tmp_path / "out"
    assert _build(province, out).returncode == 0
    again = _build(province, out)
    assert "0 được xây dựng lại, 4 không thay đổi; trang tổng hợp không thay đổi" in again.stdout
    post = province / "xa-son-my" / "content" / "thong-bao" / "2026-11-25-lich-tiep-cong-dan-thang-12-2026.md"
    post.write_text(post.read_text(encoding="utf-8").replace("tháng 12 năm 2026", "tháng 12/2026 (sửa đổi)", 1),
                    encoding="utf-8")
    edited = _build(province, out)
    assert "1 được xây dựng lại, 3 không thay đổi; trang tổng hợp được cập nhật" in edited.stdout, edited.stdout
    assert "tháng 12/2026 (sửa đổi)" in (out / "tinh" / "index.html").read_text(encoding="utf-8")
    write(province / "static" / "css" / "tinh.css", "body { color: #111; }\n")        # the province's theme
    themed = _build(province, out)
    assert "4 được xây dựng lại" in themed.stdout
    assert (out / "xa-tan-minh" / "css" / "tinh.css").exists()
    clean = tmp_path / "clean"
    assert _build(province, clean, "--no-cache").returncode == 0
    for name in (*COMMUNES, "tinh"):
        assert _tree(out / name) == _tree(clean / name), name


def test_a_failed_commune_keeps_its_last_output_and_blocks_no_other(tmp_path):
    province = _province(tmp_path)
    out = tmp_path / "out"
    assert _build(province, out).returncode == 0
    before = _tree(out / "phuong-la-gi")
    write(province / "phuong-la-gi" / "content" / "tin-tuc" / "hong.md", "---\ntitle: [\n---\nThân bài.\n")
    news = province / "xa-tan-minh" / "content" / "thong-bao" / "2026-12-01-moi.md"
    write(news, '---\ntitle: "Thông báo mới của xã Tân Minh"\ndate: 2026-12-01 08:00\n---\nNội dung thông báo.\n')
    result = _build(province, out)
    assert result.returncode == 1
    assert "Phường La Gi (phuong-la-gi)" in result.stdout
    assert any(line.strip().startswith("phuong-la-gi/content/tin-tuc/hong.md:3:") for line in problem_lines(result.stdout))
    assert _tree(out / "phuong-la-gi") == before                                      # untouched
    assert "Thông báo mới của xã Tân Minh" in (out / "tinh" / "index.html").read_text(encoding="utf-8")
    assert "Phường La Gi" in soup(out / "tinh" / "index.html").select_one("main section:nth-of-type(2)").get_text()


def test_a_problem_in_an_inherited_value_names_province_yaml(tmp_path):
    province = _province(tmp_path)
    text = (province / "province.yaml").read_text(encoding="utf-8")
    (province / "province.yaml").write_text(text.replace("  per_page: 10", "  per_page: mười"), encoding="utf-8")
    line = next(n for n, l in enumerate((province / "province.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if "per_page: mười" in l)
    result = _build(province, tmp_path / "out")
    assert result.returncode == 1
    said = [l.strip() for l in problem_lines(result.stdout)]
    assert len([l for l in said if l.startswith(f"province.yaml:{line}:")]) == 1          # once, not once per commune
    alone = run("check", "--site", str(province / "xa-tan-minh"), "--now", NOW)
    assert any(l.startswith(f"../province.yaml:{line}:") for l in problem_lines(alone.stderr)), alone.stderr


def test_unknown_codes_and_missing_folders_are_problems_with_lines(tmp_path):
    province = tmp_path / "p"
    write(province / "province.yaml", 'code: 68\ntitle: "Tỉnh thử"\nbase_url: "https://t.example.gov.vn/"\n'
                                      "communes:\n  - {folder: a, code: 99999}\n  - {folder: b, code: 70}\n")
    result = _build(province, tmp_path / "out")
    assert result.returncode == 1
    said = problem_lines(result.stdout)
    assert any("province.yaml:5:" in l and "99999" in l for l in said), result.stdout
    assert any("province.yaml:6:" in l and "Phường Hoàn Kiếm" in l for l in said), result.stdout   # in Hà Nội
    assert "Traceback" not in result.stdout + result.stderr
    write(province / "province.yaml", 'code: 68\ntitle: "Tỉnh thử"\nbase_url: "https://t.example.gov.vn/"\n'
                                      "communes:\n  - {folder: c, code: 23230}\n")
    missing = _build(province, tmp_path / "out")
    assert missing.returncode == 1 and any("province.yaml:5:" in l and "`c`" in l for l in problem_lines(missing.stdout))


def test_init_province_scaffolds_a_repository_that_builds(tmp_path):
    target = tmp_path / "tinh"
    made = run("init", "--province", str(target), "--code", "68", "--communes", "Hàm Tân,23235",
               "--domain", "lamdong.example.gov.vn")
    assert made.returncode == 0, made.stderr
    assert (target / "xa-ham-tan" / "site.yaml").exists() and (target / "phuong-la-gi" / "site.yaml").exists()
    result = _build(target, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    assert soup(tmp_path / "out" / "phuong-la-gi" / "index.html").title.get_text() == "Cổng thông tin điện tử phường La Gi"
    listed = run("init", "--list", "--code", "68")
    assert "23236  Xã Hàm Tân  (xa-ham-tan)" in listed.stdout
    assert run("init", "--province", str(target), "--code", "68").returncode == 1        # never over an existing one


def test_names_that_fold_alike_never_share_a_folder_or_an_address():
    from site_generator import divisions
    from vietnam_provinces import Province
    for province in Province.iter_all():
        units = divisions.units_of(int(province.code))
        assert len({u.slug for u in units}) == len({u.label for u in units}) == len(units), province.name
    lang, lang_hat = divisions.unit(2143), divisions.unit(5665)          # Văn Lang and Văn Lăng, Thái Nguyên
    assert {lang.name, lang_hat.name} == {"Xã Văn Lang", "Xã Văn Lăng"}
    assert lang.slug == "xa-van-lang-2143" and lang_hat.slug == "xa-van-lang-5665"
    assert divisions.find(19, "Văn Lăng") == lang_hat and divisions.find(19, "van lang") is None   # ambiguous
    assert divisions.unit(23236).slug == "xa-ham-tan" and divisions.unit(23236).label == "hamtan"


HEAD = 'code: 68\ntitle: "T"\nbase_url: "https://t.example.gov.vn/"\n'
ONE = "communes:\n  - {folder: xa-tan-minh, code: 23230}\n"


@pytest.mark.parametrize("text", [
    HEAD + "communes: 5\n", HEAD + "communes: [1, 2]\n", HEAD + 'communes:\n  - {folder: "../../../../etc", code: 23230}\n',
    HEAD + 'communes:\n  - {folder: xa-tan-minh, code: "abc"}\n', HEAD + ONE + "site: [1]\n",
    HEAD + ONE + "site: {sections: 5, title: [1]}\n", HEAD + ONE + 'domain: "a b/c"\n',
    HEAD + "communes:\n  - {folder: xa-tan-minh, code: 99999999999999999999}\n",
    'code: -1\ntitle: ""\nbase_url: "javascript:alert(1)"\ncommunes: []\n', "[]\n", "\x00\n",
    HEAD + 'communes:\n  - {folder: "xa-tan-minh\\x00", code: 23230}\n', HEAD + 'communes:\n  - {folder: "/", code: 23230}\n',
    HEAD + "communes:\n  - &a {folder: xa-tan-minh, code: 23230}\n  - *a\n",
], ids=range(14))
def test_a_hostile_province_yaml_gets_problems_at_its_lines_and_no_traceback(tmp_path, text):
    province = tmp_path / "p"
    write(province / "xa-tan-minh" / "site.yaml", 'description: "x"\n')
    (province / "xa-tan-minh" / "content" / "tin-tuc").mkdir(parents=True)
    (province / "province.yaml").write_text(text, encoding="utf-8")
    result = _build(province, tmp_path / "out")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert any(line.strip().startswith(("province.yaml:", "xa-tan-minh/")) for line in problem_lines(result.stdout))
    assert not (tmp_path / "out" / "xa-tan-minh" / "index.html").exists()       # nothing half-built published


def test_a_commune_added_to_the_list_rebuilds_no_other(tmp_path):
    province = _province(tmp_path)
    out = tmp_path / "out"
    assert _build(province, out).returncode == 0
    made = run("init", "--province", str(tmp_path / "scaffold"), "--code", "68", "--communes", "Tân Hải")
    assert made.returncode == 0, made.stderr
    shutil.copytree(tmp_path / "scaffold" / "xa-tan-hai", province / "xa-tan-hai")
    with open(province / "province.yaml", "a", encoding="utf-8") as handle:
        handle.write("  - {folder: xa-tan-hai, code: 23246}\n")
    added = _build(province, out)
    assert "5 xã, phường: 1 được xây dựng lại, 4 không thay đổi; trang tổng hợp được cập nhật" in added.stdout, \
        added.stdout
    assert "Xã Tân Hải" in soup(out / "tinh" / "index.html").select_one("main section:nth-of-type(2)").get_text()
    text = (province / "province.yaml").read_text(encoding="utf-8")                # what every commune shares
    (province / "province.yaml").write_text(text.replace("  per_page: 10", "  per_page: 7"), encoding="utf-8")
    shared = _build(province, out)
    assert "5 xã, phường: 5 được xây dựng lại" in shared.stdout, shared.stdout
    sites = json.loads((out / "sites.json").read_text(encoding="utf-8"))["sites"]
    assert [s["base_url"] for s in sites if s["key"] == "xa-tan-hai"] == ["https://tanhai.lamdong.example.gov.vn/"]
