"""The HTML report, parsed with html.parser: captions, th scope, no external addresses,
charts named by <title>/<desc>, every string escaped."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest

from cpqa.reports.render_html import render_html
from tests.reports.sample_report import sample_report


class _Page(HTMLParser):
    """Collects what the accessibility checks need: tags with attributes and their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text_in: dict[str, list[str]] = {}
        self.captions: list[str] = []
        self.tables = 0
        self._caption: list[str] | None = None
        self._open_tags: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self._caption = []
        for name, value in attrs:
            if name == "id" and value:
                self._open_tags[value] = len(self.stack)
                self.text_in[value] = []
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.captions.append("".join(self._caption))
            self._caption = None
        if self.stack:
            self.stack.pop()
        for element_id, depth in list(self._open_tags.items()):
            if depth >= len(self.stack):
                del self._open_tags[element_id]

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        for element_id in self._open_tags:
            self.text_in[element_id].append(data)

    def text_of(self, element_id: str) -> str:
        return "".join(self.text_in[element_id])


@pytest.fixture(scope="module")
def page_source() -> str:
    return render_html(sample_report(), generated_on=dt.date(2018, 11, 1))


@pytest.fixture(scope="module")
def page(page_source: str) -> _Page:
    parser = _Page()
    parser.feed(page_source)
    return parser


def test_every_available_table_has_a_caption_and_scoped_headers(page: _Page) -> None:
    assert page.tables == 25  # every available table of the sample; the unavailable one is text
    assert len(page.captions) == 25
    assert page.captions[0] == "Table 1: Children subject of a child protection plan at each month end"
    headers = [attrs for tag, attrs in page.starts if tag == "th"]
    assert headers and all(attrs.get("scope") in ("col", "row") for attrs in headers)


def test_month_row_is_headed_by_its_month_and_totals_are_in_the_footer(page_source: str) -> None:
    assert '<tr><th scope="row">April 2017</th><td class="num">80</td><td class="num">11</td>' in page_source
    assert '<tfoot><tr><th scope="row">Total 2017-18</th><td class="num">737</td>' in page_source
    assert '<th scope="row">Total 2016-17</th><td class="num">417</td>' in page_source


def test_no_external_address_anywhere(page: _Page, page_source: str) -> None:
    assert "http:" not in page_source and "https:" not in page_source
    assert "//" not in page_source
    for tag, attrs in page.starts:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        assert "src" not in attrs, tag
        for name in ("href", "xlink:href", "action"):
            if attrs.get(name) is not None:
                assert attrs[name].startswith("#"), (tag, name, attrs[name])  # type: ignore[union-attr]
    csp = next(attrs for tag, attrs in page.starts if tag == "meta" and attrs.get("http-equiv"))
    assert csp["content"].startswith("default-src 'none'")  # type: ignore[union-attr]


def test_each_chart_is_an_image_named_by_its_title_and_desc(page: _Page) -> None:
    charts = [attrs for tag, attrs in page.starts if tag == "svg"]
    assert len(charts) == 4
    for attrs in charts:
        assert attrs["role"] == "img"
        title_id, desc_id = attrs["aria-labelledby"].split()  # type: ignore[union-attr]
        assert page.text_of(title_id)
        assert page.text_of(desc_id)
    first = charts[0]["aria-labelledby"].split()  # type: ignore[union-attr]
    assert page.text_of(first[0]) == "Children subject of a child protection plan at each month end"
    assert "April 391" in page.text_of(first[1]) and "March 559" in page.text_of(first[1])


def test_ids_are_unique_across_charts(page: _Page) -> None:
    ids = [attrs["id"] for _, attrs in page.starts if attrs.get("id")]
    assert len(ids) == len(set(ids))


def test_headings_facts_commentary_and_unavailable_reason(page_source: str, page: _Page) -> None:
    h2 = [page.text_of(attrs["id"]) for tag, attrs in page.starts if tag == "h2" and attrs.get("id", "").startswith("section")]  # type: ignore[union-attr]
    assert h2[0] == "1. Introduction" and h2[-1] == "7. Data" and len(h2) == 7
    assert "The number of children subject of a plan rose from 391 in April to 559 in March." in page_source
    assert "[Author&#x27;s commentary: " in page_source
    assert "Not available: Quoracy was not recorded for the conferences held in the year." in page_source


def test_every_string_is_escaped() -> None:
    report = sample_report()
    report["authority"] = '<script>alert("x")</script> & Co'
    report["tables"]["factors_at_year_end"]["rows"][0]["label"] = "<b>bold</b>"
    source = render_html(report)
    parser = _Page()
    parser.feed(source)
    assert not any(tag in ("script", "b") for tag, _ in parser.starts)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in source
    assert "&lt;b&gt;bold&lt;/b&gt;" in source
