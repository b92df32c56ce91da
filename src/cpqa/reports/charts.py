"""The report's trend charts: one matplotlib figure per chart, drawn as PNG for Word and as
inline SVG for the HTML page, so both show the same picture.

Every chart also has a text alternative built from the same figures (`describe`); the HTML
page adds the data table after it, and Word puts the description in the picture's alt text.
Suppressed ("c") or unknown values are left out of the drawing, never drawn as zero.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cpqa.reports.presentation import CHARTS, Chart, format_cell, heading, month_name

PNG_DPI = 200
FIGURE_SIZE_INCHES = (7.0, 3.4)
# Analysis Function palette (dark blue, orange): readable in greyscale; the second series of a
# stacked bar is also hatched so the two never differ by colour alone.
SERIES_COLOURS = ("#12436D", "#F46A25", "#28A197", "#801650")
SERIES_HATCHES = ("", "///", "...", "xx")
REFERENCE_COLOUR = "#3D3D3D"
FONT = "DejaVu Sans"  # ships with matplotlib, so every machine draws the same figure


@dataclass(frozen=True)
class ChartData:
    chart: Chart
    months: list[str]
    series: dict[str, list[float | None]]
    reference: float | None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def chart_data(report: Mapping[str, Any], chart: Chart) -> ChartData | None:
    """The figures a chart draws, or None when the table is unavailable or empty."""
    table = (report.get("tables") or {}).get(chart.table_id)
    if not table or not table.get("available") or not table.get("rows"):
        return None
    rows = table["rows"]
    return ChartData(
        chart=chart,
        months=[str(row.get("month", "")) for row in rows],
        series={key: [_number(row.get(key)) for row in rows] for key in chart.series},
        reference=_number(table.get(chart.reference_key)) if chart.reference_key else None,
    )


def _figure(data: ChartData) -> Figure:
    figure = Figure(figsize=FIGURE_SIZE_INCHES, layout="constrained")
    FigureCanvasAgg(figure)  # the Agg canvas: no display needed, same output everywhere
    axes = figure.add_subplot()
    positions = list(range(len(data.months)))
    labels = [month_name(m)[:3] if len(m) == 7 else m for m in data.months]
    nan = math.nan
    if data.chart.kind == "stacked_bar":
        bottom = [0.0] * len(positions)
        for i, (key, values) in enumerate(data.series.items()):
            heights = [nan if v is None else v for v in values]
            axes.bar(
                positions, heights, bottom=bottom, label=heading(key), color=SERIES_COLOURS[i],
                hatch=SERIES_HATCHES[i], edgecolor="white", linewidth=0.5,
            )
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    else:
        for i, (key, values) in enumerate(data.series.items()):
            axes.plot(
                positions, [nan if v is None else v for v in values], marker="o", color=SERIES_COLOURS[i],
                label=_series_label(data, key),
            )
    if data.reference is not None:
        axes.axhline(data.reference, color=REFERENCE_COLOUR, linestyle="--", linewidth=1,
                     label=f"National {data.reference:.1f}")
    axes.set_xticks(positions, labels)
    axes.set_ylabel(data.chart.y_label)
    axes.set_ylim(bottom=0, top=data.chart.y_max)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    axes.set_axisbelow(True)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(frameon=False, fontsize=8)
    return figure


def _series_label(data: ChartData, key: str) -> str | None:
    if len(data.series) > 1:
        return heading(key)
    # A lone series needs a legend entry only beside the national line.
    return "This authority" if data.reference is not None else None


def _rc() -> dict[str, Any]:
    return {"font.family": FONT, "font.size": 9, "svg.fonttype": "none", "svg.hashsalt": "cpqa"}


def render_png(report: Mapping[str, Any], chart: Chart) -> bytes | None:
    data = chart_data(report, chart)
    if data is None:
        return None
    buffer = io.BytesIO()
    with matplotlib.rc_context(_rc()):
        _figure(data).savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


_XML_PROLOGUE = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_SIZE = re.compile(r'\s+(?:width|height)="[^"]*"')


def render_svg(report: Mapping[str, Any], chart: Chart, element_id: str) -> str | None:
    """The chart as an `<svg>` element to put straight into an HTML page.

    It names itself (role="img" with <title> and <desc>), has no namespace or metadata URIs
    (an inline SVG needs none, and the page must not mention any address), and its ids carry
    `element_id` so several charts on one page never share an id.
    """
    data = chart_data(report, chart)
    if data is None:
        return None
    buffer = io.StringIO()
    with matplotlib.rc_context(_rc()):
        _figure(data).savefig(buffer, format="svg", metadata={"Date": None})
    svg = _METADATA.sub("", _XML_PROLOGUE.sub("", buffer.getvalue()))
    svg = svg.replace("xlink:href=", "href=")
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{element_id}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{element_id}-{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{element_id}-{m.group(1)}"', svg)
    svg = svg.replace("font-family: 'DejaVu Sans'", "font-family: 'DejaVu Sans', Arial, sans-serif")
    # matplotlib's one style rule is written for a standalone file ("*{...}"); inline it would
    # apply to the whole page, so it is narrowed to this chart.
    svg = svg.replace("*{stroke-linejoin", f"#{element_id} *{{stroke-linejoin")
    opening_end = svg.index(">", svg.index("<svg")) + 1
    opening = _SIZE.sub("", _NAMESPACES.sub("", svg[:opening_end]))
    opening = opening.replace(
        "<svg",
        f'<svg id="{element_id}" role="img" aria-labelledby="{element_id}-title {element_id}-desc" class="chart"',
        1,
    )
    accessible_name = (
        f'<title id="{element_id}-title">{escape(chart.title)}</title>'
        f'<desc id="{element_id}-desc">{escape(describe(report, chart))}</desc>'
    )
    return opening + accessible_name + svg[opening_end:]


def describe(report: Mapping[str, Any], chart: Chart) -> str:
    """The chart in words, from the same figures: what is drawn, first and last, highest and lowest."""
    data = chart_data(report, chart)
    if data is None:
        return f"{chart.title}: no data."
    kind = "Bar chart (stacked)" if chart.kind == "stacked_bar" else "Line chart"
    parts = [f"{kind} of {chart.title[0].lower() + chart.title[1:]}, by month."]
    for key, values in data.series.items():
        known = [(m, v) for m, v in zip(data.months, values, strict=True) if v is not None]
        if not known:
            continue
        shown = [f"{month_name(m)} {format_cell(key, _as_shown(v))}" for m, v in known]
        high = max(known, key=lambda mv: mv[1])
        low = min(known, key=lambda mv: mv[1])
        parts.append(
            f"{heading(key)}: {', '.join(shown)}. Highest {format_cell(key, _as_shown(high[1]))} in "
            f"{month_name(high[0])}, lowest {format_cell(key, _as_shown(low[1]))} in {month_name(low[0])}."
        )
    if data.reference is not None:
        parts.append(f"Dashed line: national figure {data.reference:.1f}.")
    return " ".join(parts)


def _as_shown(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def charts_for(table_id: str) -> list[Chart]:
    return [c for c in CHARTS.values() if c.table_id == table_id]
