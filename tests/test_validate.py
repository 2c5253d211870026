"""Front matter: raw text keeps its type, dates in every accepted form sort together."""
import datetime as dt
from zoneinfo import ZoneInfo

from site_generator.load import parse_yaml
from site_generator.problems import Problems
from site_generator.validate import parse_moment

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_dates_with_and_without_offsets_sort_together():
    values = ["2021-10-08", "2021-10-08 09:00", "2021-10-08T01:30:00Z", "2021-10-08T09:00:00+07:00",
              "08/10/2021 10:00", "2021-10-07T23:00:00-05:00"]
    moments = [parse_moment(v, TZ) for v in values]
    assert all(moments)
    ordered = [values[i] for i in sorted(range(len(values)), key=lambda i: moments[i].at)]
    assert ordered == ["2021-10-08", "2021-10-08T01:30:00Z", "2021-10-08 09:00", "2021-10-08T09:00:00+07:00",
                       "08/10/2021 10:00", "2021-10-07T23:00:00-05:00"]
    assert moments[2].at.utcoffset() == dt.timedelta(hours=7)      # shown in Vietnam time
    assert moments[2].at.hour == 8 and moments[2].at.minute == 30


def test_impossible_dates_are_refused():
    for value in ("2021-02-30", "2021-13-01", "hôm qua", "2021-10-08 25:00",
                  # at the ends of the calendar: a time zone or a number of days added once overflowed
                  "9999-12-31 23:59", "9999-12-31T23:00:00Z", "9999-12-31T23:59:00-12:00", "0001-01-01T00:00:00+14:00",
                  "31/12/9999", "1799-12-31", "2200-01-01"):
        assert parse_moment(value, TZ) is None, value
    for value in ("1800-01-01", "2199-12-31T23:59:00Z", "02/09/1945"):
        assert parse_moment(value, TZ) is not None, value


def test_yaml_values_stay_as_typed_and_keep_lines():
    problems = Problems()
    node = parse_yaml('title: Yes\ntags: [CCHC, 2021]\ninspection:\n  id: x\n  units:\n    - Tân Xuân\n', "a.md", 2,
                      problems)
    assert not problems.items
    assert node.value["title"].value == "Yes"
    assert [t.value for t in node.value["tags"].value] == ["CCHC", "2021"]
    assert node.value["title"].line == 2
    assert node.value["inspection"].value["units"].value[0].line == 7


def test_yaml_error_is_located_in_the_file():
    problems = Problems()
    assert parse_yaml('title: "a"\nsummary: Kết luận: số 1\n', "a.md", 2, problems) is None
    (item,) = problems.items
    assert (item.path, item.line, item.column) == ("a.md", 3, 18)   # the second colon
