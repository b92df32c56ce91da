"""The report as one accessible, self-contained HTML page.

No network requests: the CSS is inline, charts are inline SVG, there are no scripts, and a
Content-Security-Policy in the page forbids fetching anything should a browser be asked to.
Every table has a <caption> and <th scope>; every chart is role="img" with <title> and <desc>,
and its data table follows it as the full text alternative. Every string from the report is
escaped, so an odd authority name or label can never become markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from cpqa.core.clock import service_today
from cpqa.reports.charts import render_svg
from cpqa.reports.outline import (
    Bullets,
    Commentary,
    FigureBlock,
    Heading,
    Note,
    Sentences,
    TableBlock,
    outline,
    report_title,
    title_lines,
)
from cpqa.reports.presentation import (
    display_columns,
    format_cell,
    heading,
    is_numeric_column,
    summary_rows,
    table_cell,
    table_scalars,
)

# Arial and GOV.UK-like colours (the GOV.UK font and crown are not a council's to use).
STYLE = """
body { font-family: Arial, sans-serif; font-size: 1rem; line-height: 1.5; color: #0b0c0c; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 2rem; line-height: 1.2; }
h2 { margin-top: 2.5rem; border-top: 2px solid #0b0c0c; padding-top: 0.75rem; }
a { color: #1d70b8; }
a:focus { outline: 3px solid #ffdd00; background: #ffdd00; color: #0b0c0c; }
.skip { position: absolute; left: -9999px; }
.skip:focus { position: static; }
dl.title-block { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dl.title-block dt { font-weight: bold; }
dl.title-block dd { margin: 0; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.5rem; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 0.3rem 0.6rem 0.3rem 0; text-align: left; vertical-align: top; }
th.num, td.num { text-align: right; }
tfoot th, tfoot td { font-weight: bold; border-top: 2px solid #0b0c0c; }
.commentary { background: #fff7bf; border-left: 5px solid #ffdd00; padding: 0.5rem 1rem; font-style: italic; }
.unavailable { border-left: 5px solid #b1b4b6; padding: 0.5rem 1rem; }
figure { margin: 1.5rem 0 0.5rem; }
figcaption { font-weight: bold; }
svg.chart { width: 100%; height: auto; max-width: 46rem; }
.facts { font-size: 1.05rem; }
"""

# Nothing may be fetched: no scripts, fonts, images or styles from anywhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(report: Mapping[str, Any], table_id: str, number: int) -> str:
    table = report["tables"][table_id]
    caption = f"Table {number}: {table.get('title', table_id)}"
    if not table.get("available"):
        return (f'<div class="unavailable" id="table-{_e(table_id)}"><p><strong>{_e(caption)}</strong></p>'
                f"<p>Not available: {_e(table.get('reason', 'no reason given'))}</p></div>")
    shown = display_columns(table_id, table)
    columns = [key for key, _ in shown]
    rows = table.get("rows") or []
    if not rows:
        return f"<p><strong>{_e(caption)}</strong>: no rows for this year.</p>"
    numeric = [is_numeric_column(table, c) for c in columns]

    def cls(i: int) -> str:
        return ' class="num"' if numeric[i] else ""

    out = [f'<table id="table-{_e(table_id)}"><caption>{_e(caption)}</caption><thead><tr>']
    out += [f'<th scope="col"{cls(i)}>{_e(text)}</th>' for i, (_, text) in enumerate(shown)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = [table_cell(table_id, c, row.get(c)) for c in columns]
        # The first column names the row (a month, an age band, a code), so it is the row's header.
        out.append(f'<tr><th scope="row"{cls(0)}>{_e(cells[0])}</th>')
        out += [f"<td{cls(i)}>{_e(text)}</td>" for i, text in enumerate(cells[1:], start=1)]
        out.append("</tr>")
    out.append("</tbody>")
    totals = summary_rows(report, table)
    if totals:
        out.append("<tfoot>")
        for label, values in totals:
            out.append(f'<tr><th scope="row">{_e(label)}</th>')
            out += [f"<td{cls(i)}>{_e(table_cell(table_id, c, values[c]) if c in values else '')}</td>"
                    for i, c in enumerate(columns[1:], start=1)]
            out.append("</tr>")
        out.append("</tfoot>")
    out.append("</table>")
    scalars = table_scalars(table)
    if scalars:
        out.append("<p>" + "; ".join(f"{_e(heading(k))}: {_e(format_cell(k, v))}" for k, v in scalars) + "</p>")
    return "".join(out)


def _figure(report: Mapping[str, Any], block: FigureBlock) -> str:
    svg = render_svg(report, block.chart, f"chart-{block.chart.chart_id}")
    if svg is None:
        return ""
    return (f"<figure>{svg}<figcaption>Figure {block.number}: {_e(block.chart.title)}. "
            f'The figures are in <a href="#table-{_e(block.chart.table_id)}">the table above</a>.'
            "</figcaption></figure>")


def _contents(blocks: list[Any]) -> str:
    items = [f'<li><a href="#{_e(b.anchor)}">{_e(b.number)}. {_e(b.title)}</a></li>'
             for b in blocks if isinstance(b, Heading) and b.level == 1]
    return f'<nav aria-labelledby="contents-title"><h2 id="contents-title">Contents</h2><ol>{"".join(items)}</ol></nav>'


def render_html(report: Mapping[str, Any], *, generated_on: dt.date | None = None) -> str:
    title = report_title(report)
    blocks = outline(report)
    day = generated_on or service_today()
    body: list[str] = [
        '<a class="skip" href="#main">Skip to the report</a>',
        f'<main id="main"><h1>{_e(title)}</h1><dl class="title-block">',
    ]
    for label, value in title_lines(report):
        body.append(f"<dt>{_e(label or 'Authority')}</dt><dd>{_e(value)}</dd>")
    body.append(f"<dt>Produced</dt><dd>by cpqa on {day.day} {day:%B %Y}</dd></dl>")
    body.append(_contents(blocks))
    for block in blocks:
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)  # h1 is the report's title
            body.append(f'<h{level} id="{_e(block.anchor)}">{_e(block.number)}. {_e(block.title)}</h{level}>')
        elif isinstance(block, TableBlock):
            body.append(_table(report, block.table_id, block.number))
        elif isinstance(block, FigureBlock):
            body.append(_figure(report, block))
        elif isinstance(block, Sentences):
            body.append(f'<p class="facts">{_e(" ".join(block.items))}</p>')
        elif isinstance(block, Commentary):
            body.append(f'<p class="commentary">{_e(block.text)}</p>')
        elif isinstance(block, Note):
            body.append(f"<p>{_e(block.text)}</p>")
        elif isinstance(block, Bullets):
            body.append("<ul>" + "".join(f"<li>{_e(item)}</li>" for item in block.items) + "</ul>")
    body.append("</main>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}: {_e(report.get('authority', ''))}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def write_html(report: Mapping[str, Any], path: Path, *, generated_on: dt.date | None = None) -> None:
    path.write_text(render_html(report, generated_on=generated_on), encoding="utf-8")
