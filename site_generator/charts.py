"""The charts of the statistics page (/thong-ke/) drawn at build time from the open data: a pure function of
the model, giving the template every number, label and coordinate it prints (the template computes nothing).

- inspections per year, with the findings remedied and overdue (site.records);
- documents per year and type (site.registries, every documents section together).

Each chart is an SVG bar chart (role="img", with its <title> and <desc>) and the same numbers as a <table>.
The live charts (views, ratings) are drawn in the browser by js/statistics.js with the same layout.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import Site
from .text import format_number

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 12, 36
SERIES_CLASSES = 8                      # .chart .s1 ... .s8 in site.css (cycled)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    css: str                            # "s1".."s8": the series' colour (site.css)
    title: str                          # "2025 – Cuộc kiểm tra: 3"


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class Row:
    group: str
    cells: tuple                        # formatted numbers, one per series


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    group_label: str                    # the table's first column ("Năm")
    series: tuple                       # (name, css) per series
    rows: tuple                         # Row per group
    bars: tuple
    ticks: tuple
    labels: tuple
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    base: int = HEIGHT - BOTTOM         # y of the axis

    @property
    def empty(self) -> bool:
        return not self.rows


def nice_step(top: float) -> int:
    """The step of the value axis: 1, 2 or 5 times a power of ten, so that 4 steps or fewer reach ``top``."""
    target = max(1.0, top / 4)
    power = 1
    while True:
        for factor in (1, 2, 5):
            if factor * power >= target:
                return factor * power
        power *= 10


def bar_chart(id: str, title: str, description: str, group_label: str, groups: list, series: list,
              values: list) -> Chart:
    """``values[g][s]``: the value of series ``s`` in group ``g`` (whole numbers)."""
    highest = max((v for row in values for v in row), default=0)
    step = nice_step(highest)
    top = step * max(1, -(-highest // step))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = HEIGHT - BOTTOM
    slot = plot_w / max(1, len(groups))
    inner = slot * 0.8
    width = inner / max(1, len(series))
    css = [f"s{n % SERIES_CLASSES + 1}" for n in range(len(series))]
    bars, labels = [], []
    for g, (group, row) in enumerate(zip(groups, values)):
        x0 = LEFT + g * slot + (slot - inner) / 2
        labels.append(Label(round(LEFT + g * slot + slot / 2, 1), str(group)))
        for s, value in enumerate(row):
            h = plot_h * value / top
            bars.append(Bar(round(x0 + s * width, 1), round(base - h, 1), round(max(1.0, width - 1), 1), round(h, 1),
                            value, css[s], f"{group} – {series[s]}: {format_number(value)}"))
    ticks = tuple(Tick(round(base - plot_h * v / top, 1), format_number(v)) for v in range(0, top + 1, step))
    return Chart(id=id, title=title, description=description, group_label=group_label,
                 series=tuple(zip(series, css)), bars=tuple(bars), ticks=ticks, labels=tuple(labels),
                 rows=tuple(Row(str(group), tuple(format_number(v) for v in row)) for group, row in zip(groups, values)))


def inspections_chart(site: Site) -> Chart:
    by_year: dict = {}
    records = site.records
    for inspection in (records.inspections if records is not None else ()):
        counts = by_year.setdefault(inspection.year, [0, 0, 0])
        counts[0] += 1
        counts[1] += sum(1 for f in inspection.findings if f.state == "remedied")
        counts[2] += sum(1 for f in inspection.findings if f.state == "overdue")
    years = sorted(by_year)
    total = sum(by_year[y][0] for y in years)
    description = (f"{format_number(total)} cuộc kiểm tra từ năm {years[0]} đến năm {years[-1]}; mỗi năm ba cột: số "
                   f"cuộc kiểm tra, số đơn vị được kiểm tra đã khắc phục xong và số đơn vị quá hạn khắc phục."
                   if years else "Chưa có cuộc kiểm tra nào được công khai.")
    return bar_chart("kiem-tra", "Cuộc kiểm tra theo năm", description, "Năm", years,
                     ["Cuộc kiểm tra", "Đã khắc phục", "Quá hạn khắc phục"], [by_year[y] for y in years])


def documents_chart(site: Site) -> Chart:
    counts: dict = {}
    for registry in site.registries.values():
        for filed in registry.documents:
            if filed.signed is not None:
                counts[(filed.signed.year, filed.type)] = counts.get((filed.signed.year, filed.type), 0) + 1
    years = sorted({year for year, _ in counts})
    per_type: dict = {}
    for (_, kind), n in counts.items():
        per_type[kind] = per_type.get(kind, 0) + n
    types = sorted(per_type, key=lambda k: (-per_type[k], k))
    description = (f"{format_number(sum(per_type.values()))} văn bản từ năm {years[0]} đến năm {years[-1]}, theo năm "
                   f"ban hành; mỗi năm một cột cho mỗi loại: {', '.join(types)}."
                   if years else "Chưa có văn bản nào trong sổ văn bản.")
    return bar_chart("van-ban", "Văn bản theo loại và năm ban hành", description, "Năm", years, types,
                     [[counts.get((year, kind), 0) for kind in types] for year in years])


def build_time_charts(site: Site) -> tuple:
    return inspections_chart(site), documents_chart(site)
