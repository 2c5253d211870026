"""`python build.py serve` driven by a real HTTP client: an edit, a broken edit, a fix, drafts, the counter."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import BUILD, NOW, copy_sample, free_port, wait_port

POST = "content/tin-tuc/2021-10-08-kiem-tra-cchc-2021.md"


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def eventually(check, seconds: float = 30):
    """Poll until ``check()`` is truthy (the rebuild runs on the server's own thread)."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


@pytest.fixture
def preview(tmp_path):
    yield from start_preview(copy_sample(tmp_path / "site"), tmp_path / "serve.log")


def start_preview(site, log, port=None):
    port = port or free_port()
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, str(BUILD), "serve", "--site", str(site), "--port", str(port),
                                    "--now", NOW], stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_port(port, process, log, seconds=60)
        get(f"http://127.0.0.1:{port}/")            # answered once the server (and its file watcher) runs
        yield site, f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_edit_broken_edit_and_fix(preview):
    site, base, log = preview
    page = f"{base}/tin-tuc/kiem-tra-cchc-2021/"
    first = get(page)
    assert "<h1>Kiểm tra cải cách hành chính trên địa bàn huyện năm 2021</h1>" in first
    assert "livereload.js" in first
    source = site / POST
    text = source.read_text(encoding="utf-8")

    source.write_text(text.replace("title: \"Kiểm tra cải cách hành chính trên địa bàn huyện năm 2021\"",
                                   "title: \"Kiểm tra CCHC năm 2021\""), encoding="utf-8")
    assert eventually(lambda: "<h1>Kiểm tra CCHC năm 2021</h1>" in get(page))
    # the post's page first, then a full build that renders again only the pages showing the post
    assert "đã cập nhật tin-tuc/kiem-tra-cchc-2021/index.html" in log.read_text(encoding="utf-8")
    assert eventually(lambda: "trang không đổi được lấy lại từ bộ nhớ đệm" in log.read_text(encoding="utf-8"))

    source.write_text(text.replace("date: 2021-10-08 09:00", "date: hôm qua"), encoding="utf-8")
    panel = eventually(lambda: 'id="loi-xem-truoc"' in get(base + "/") and get(base + "/"))
    assert panel, log.read_text()
    assert f"{POST}:3: `date` không phải ngày hợp lệ: `hôm qua`" in panel
    assert 'id="loi-xem-truoc"' in get(page)                      # on every page
    assert "<h1>Kiểm tra CCHC năm 2021</h1>" in get(page)          # the last good site is still served
    assert "hôm qua" in log.read_text(encoding="utf-8")            # and the terminal lists it too

    source.write_text(text, encoding="utf-8")
    assert eventually(lambda: 'id="loi-xem-truoc"' not in get(page))
    assert "<h1>Kiểm tra cải cách hành chính trên địa bàn huyện năm 2021</h1>" in get(page)


def test_burst_of_saves_makes_one_rebuild(preview):
    site, base, log = preview
    built = lambda: log.read_text(encoding="utf-8").count("Đã xây dựng")   # noqa: E731
    before = built()
    for name in sorted((site / "content" / "tin-tuc").glob("*.md"))[:6]:
        name.write_text(name.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    assert eventually(lambda: built() > before)
    time.sleep(1.5)
    assert built() == before + 1


def test_drafts_and_scheduled_posts_show_with_banners_and_the_counter_runs(preview):
    site, base, log = preview
    draft = get(f"{base}/tin-tuc/tong-ket-5-nam-xay-dung-nong-thon-moi-giai-doan-2021-2025-ban-nhap/")
    assert "Bản nháp" in draft
    scheduled = get(f"{base}/thong-bao/lich-tiep-cong-dan-dinh-ky-thang-6-2027/")
    assert "Hẹn giờ" in scheduled
    request = urllib.request.Request(f"{base}/api/site")
    with urllib.request.urlopen(request, timeout=10) as response:
        figures = json.loads(response.read())
    assert set(figures) >= {"online", "today", "week", "month", "total"}


def test_a_restarted_preview_with_nothing_changed_still_runs_everything(tmp_path):
    site = copy_sample(tmp_path / "site")
    port = free_port()
    first = start_preview(site, tmp_path / "first.log", port)
    next(first)
    first.close()                                             # stops the server; .preview/ and .cache/ stay
    second = start_preview(site, tmp_path / "second.log", port)   # same address: same build options
    _, base, log = next(second)
    try:
        with urllib.request.urlopen(f"{base}/api/site", timeout=10) as response:
            assert response.status == 200                     # the embedded counter runs again
        source = site / POST
        source.write_text(source.read_text(encoding="utf-8").replace("Kiểm tra cải cách hành chính trên địa bàn",
                                                                     "Kiểm tra CCHC trên địa bàn"), encoding="utf-8")
        assert eventually(lambda: "<h1>Kiểm tra CCHC trên địa bàn huyện năm 2021</h1>"
                          in get(f"{base}/tin-tuc/kiem-tra-cchc-2021/"))
        assert "đã cập nhật tin-tuc/kiem-tra-cchc-2021/index.html" in log.read_text(encoding="utf-8")
    finally:
        second.close()
