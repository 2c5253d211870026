"""Vietnamese text rules: slugs, folding, sort order, dates, numbers."""
import datetime as dt
from zoneinfo import ZoneInfo

from site_generator.text import fold, format_datetime, format_number, format_size, nfc, slugify, sort_key


def test_slugs_keep_every_letter_and_map_d_stroke():
    assert slugify("Đoàn kiểm tra Đà Nẵng") == "doan-kiem-tra-da-nang"
    assert slugify("Kiểm tra CCHC: Đợt 1/2021") == "kiem-tra-cchc-dot-1-2021"
    assert slugify("ISO 9001:2015") == "iso-9001-2015"
    assert slugify("Ðảm bảo") == "dam-bao"            # U+00D0 look-alike
    assert slugify("Thủy sản, hoà bình") == "thuy-san-hoa-binh"


def test_nfd_input_gives_the_same_slug_and_fold():
    decomposed = "Cải cách hành chính".encode("utf-8").decode("utf-8")
    import unicodedata
    nfd = unicodedata.normalize("NFD", decomposed)
    assert nfd != decomposed
    assert slugify(nfd) == slugify(decomposed) == "cai-cach-hanh-chinh"
    assert nfc(nfd) == decomposed


def test_fold_strips_tones_and_d_stroke():
    assert fold("Cải cách hành chính") == "cai cach hanh chinh"
    assert fold("Đăng ký") == "dang ky"


def test_vietnamese_alphabetical_order():
    words = ["Đường", "Dương", "Ân", "An", "Ăn", "Bình", "Ơn", "On", "Ôn", "Zô", "Ưu", "Uy"]
    assert sorted(words, key=sort_key) == ["An", "Ăn", "Ân", "Bình", "Dương", "Đường", "On", "Ôn", "Ơn", "Uy",
                                           "Ưu", "Zô"]


def test_dates_and_numbers():
    moment = dt.datetime(2021, 10, 8, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert format_datetime(moment) == "Thứ Sáu, 08/10/2021 09:00"
    assert format_datetime(moment.replace(day=10)) == "Chủ Nhật, 10/10/2021 09:00"
    assert format_datetime(moment, with_time=False) == "Thứ Sáu, 08/10/2021"
    assert format_number(1279920) == "1.279.920"
    assert format_size(250_000) == "244 KB"
    assert format_size(1_300_000) == "1,2 MB"


def test_a_text_carries_its_digest_through_pickling_and_digests_like_a_str():
    import pickle
    from site_generator import tracking
    from site_generator.markup import Converter, Links
    from site_generator.text import Text, text_digest
    from site_generator import urls as U
    body = Converter().convert("content/tin-tuc/a.md", "tin-tuc/a.md", "Thông báo **kế hoạch** tiếp công dân.\n", 5,
                               Links(U.Urls("https://xa.gov.vn/"), {}, frozenset(), {}, frozenset()))
    assert type(body.html) is Text and type(body.words) is Text
    assert body.html.digest == text_digest(str(body.html)) and body.words.digest == text_digest(str(body.words))
    again = pickle.loads(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.html == body.html and type(again.html) is Text and again.html.__dict__ == {"digest": body.html.digest}
    digests = tracking.Digests({})
    assert digests.of(again.html) == digests.of(str(body.html)) == tracking._plain(again.html, Text)
    assert digests.of([again.html, "x"]) == digests.of([str(body.html), "x"])
