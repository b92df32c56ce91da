"""Read a page the way a person does: the rows of its tables and its summary list, as text."""

from __future__ import annotations

import html as entities
import re
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, object]] = []
        self._caption: list[str] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._hidden_depth = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._depth += 1
        classes = dict(attrs).get("class") or ""
        if "govuk-visually-hidden" in classes and self._hidden_depth == 0:
            self._hidden_depth = self._depth
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None and self.tables:
            self.tables[-1]["caption"] = _clean("".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(_clean("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1]["rows"].append(self._row)  # type: ignore[union-attr]
            self._row = None
        if self._hidden_depth == self._depth:
            self._hidden_depth = 0
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        # A caption names its table whether or not it is shown (a hidden one is for screen readers).
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None and not self._hidden_depth:
            self._cell.append(data)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", entities.unescape(text)).strip()


def tables(html: str) -> dict[str, list[list[str]]]:
    """Each table's rows (header row first), keyed by its caption (visually hidden text left out
    of cells, as a sighted reader sees them)."""
    parser = _Tables()
    parser.feed(html)
    return {str(t["caption"]): t["rows"] for t in parser.tables}  # type: ignore[misc]


def summary(html: str) -> dict[str, str]:
    """A GOV.UK summary list's rows as key -> value text."""
    pairs = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*<dd class="govuk-summary-list__value">(.*?)</dd>', html, re.S
    )
    return {_clean(re.sub(r"<[^>]+>", " ", k)): _clean(re.sub(r"<[^>]+>", " ", v)) for k, v in pairs}


def text(html: str) -> str:
    """The page's words, tags and visually hidden text left out."""
    html = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", html, flags=re.S)
    return _clean(re.sub(r"<[^>]+>", " ", html))
