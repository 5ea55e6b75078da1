"""Static SVG bar charts drawn on the server: no JavaScript, nothing from outside, printable, and each
bar a link to the list behind it. Colours and sizes are SVG presentation attributes (not inline CSS),
which the strict content security policy allows.

The numbers are always shown beside the chart in a table as well: a chart is for looking, the table
for reading and copying.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#b42318", "#1d5fa8", "#b7791f", "#2f7d4a", "#6b4fa0", "#4a5568"]


@dataclass
class Bar:
    label: str
    values: list[int]
    urls: list[str] = field(default_factory=list)


@dataclass
class Chart:
    key: str
    title: str
    bars: list[Bar]
    series: list[str] = field(default_factory=list)  # legend, one name per value of each bar
    horizontal: bool = False

    @property
    def maximum(self) -> int:
        return max([value for bar in self.bars for value in bar.values] or [0])

    @property
    def total(self) -> int:
        return sum(value for bar in self.bars for value in bar.values)

    def table_rows(self) -> list[dict]:
        """The numbers of the chart for the table beside it: label, (value, link) per series, total."""
        rows = []
        for bar in self.bars:
            urls = bar.urls + [""] * (len(bar.values) - len(bar.urls))
            rows.append({"label": bar.label, "cells": list(zip(bar.values, urls, strict=True)), "total": sum(bar.values)})
        return rows

    def svg(self) -> SafeString:
        return _horizontal(self) if self.horizontal else _vertical(self)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bar(x: float, y: float, width: float, height: float, colour: str, url: str, tip: str) -> str:
    rect = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{max(height, 0):.1f}" fill="{colour}">'
        f"<title>{escape(tip)}</title></rect>"
    )
    return f'<a href="{escape(url)}" class="chart-bar">{rect}</a>' if url else rect


def _legend(chart: Chart, x: float, y: float) -> list[str]:
    parts = []
    for index, name in enumerate(chart.series):
        left = x + index * 170
        parts.append(f'<rect x="{left:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{PALETTE[index % len(PALETTE)]}"/>')
        parts.append(f'<text x="{left + 14:.1f}" y="{y:.1f}" font-size="12">{escape(name)}</text>')
    return parts


def _vertical(chart: Chart) -> SafeString:
    series = max(1, len(chart.series) or max((len(bar.values) for bar in chart.bars), default=1))
    slot = 64 if series == 1 else 40 + 24 * series
    left, top, plot_height = 48, 28 if chart.series else 12, 200
    # Wide enough for the bars and for the legend above them.
    width = max(left + max(1, len(chart.bars)) * slot + 16, left + 170 * len(chart.series) + 8)
    height = top + plot_height + 44
    peak = chart.maximum or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(chart.title)}" class="chart" font-family="Liberation Serif, Times New Roman, serif">',
        f"<title>{escape(chart.title)}</title>",
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width - 8}" y2="{top + plot_height}" stroke="#667085" stroke-width="1"/>',
    ]
    if chart.series:
        parts += _legend(chart, left, 16)
    bar_width = (slot - 16) / series
    for position, bar in enumerate(chart.bars):
        x0 = left + position * slot + 8
        for index, value in enumerate(bar.values):
            bar_height = plot_height * value / peak
            x = x0 + index * bar_width
            y = top + plot_height - bar_height
            url = bar.urls[index] if index < len(bar.urls) else ""
            name = chart.series[index] if index < len(chart.series) else ""
            tip = f"{bar.label}{' – ' + name if name else ''}: {_number(value)}"
            parts.append(_bar(x, y, bar_width - 2, bar_height, PALETTE[index % len(PALETTE)], url, tip))
            parts.append(
                f'<text x="{x + (bar_width - 2) / 2:.1f}" y="{y - 3:.1f}" font-size="11" text-anchor="middle">{_number(value)}</text>'
            )
        parts.append(
            f'<text x="{x0 + (slot - 16) / 2:.1f}" y="{top + plot_height + 16}" font-size="12" text-anchor="middle">'
            f"{escape(_shorten(bar.label, 12))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _horizontal(chart: Chart) -> SafeString:
    series = max(1, len(chart.series) or max((len(bar.values) for bar in chart.bars), default=1))
    row = 22 if series == 1 else 10 + 14 * series
    label_width, plot_width, top = 260, 380, 28 if chart.series else 8
    width = label_width + plot_width + 70
    height = top + max(1, len(chart.bars)) * row + 8
    peak = chart.maximum or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(chart.title)}" class="chart" font-family="Liberation Serif, Times New Roman, serif">',
        f"<title>{escape(chart.title)}</title>",
    ]
    if chart.series:
        parts += _legend(chart, label_width, 16)
    bar_height = (row - 6) / series
    for position, bar in enumerate(chart.bars):
        y0 = top + position * row + 3
        parts.append(
            f'<text x="{label_width - 8}" y="{y0 + (row - 6) / 2 + 4:.1f}" font-size="12" text-anchor="end">'
            f"<title>{escape(bar.label)}</title>{escape(_shorten(bar.label, 40))}</text>"
        )
        for index, value in enumerate(bar.values):
            length = plot_width * value / peak
            y = y0 + index * bar_height
            url = bar.urls[index] if index < len(bar.urls) else ""
            name = chart.series[index] if index < len(chart.series) else ""
            tip = f"{bar.label}{' – ' + name if name else ''}: {_number(value)}"
            parts.append(_bar(label_width, y, length, bar_height - 2, PALETTE[index % len(PALETTE)], url, tip))
            parts.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height / 2 + 3:.1f}" font-size="11">{_number(value)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
