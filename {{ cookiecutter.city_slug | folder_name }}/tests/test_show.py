"""The display helper and the chart module: small counts flagged or hidden, values escaped, charts as SVG
with their text kept literal (a "$" from the data is a dollar sign), "unknown" last and grey."""

from __future__ import annotations

import io
import re
from html import unescape
from urllib.parse import unquote

import pandas as pd
from matplotlib.colors import to_hex

from safety_toolkit import charts, show
from safety_toolkit.page import NotReady

from .html_page import Page

FRAME = pd.DataFrame(
    {
        "group": ["black", "<b>white</b>", "other"],
        "stops": [1200, 400, 6],
        "searched": [130, 4, 0],
        "rate": [130 / 1200, 4 / 400, 0.0],
    }
)


def shown(small: show.SmallCounts) -> pd.DataFrame:
    block = show.table(FRAME, "t", "Searches", small, counts=["stops", "searched"], percents=["rate"], base="stops")
    return Page(block.html).table("t", index=0)


def test_small_rows_are_shaded_when_flagging():
    block = show.table(FRAME, "t", "Searches", show.SmallCounts(10), counts=["stops", "searched"],
                       percents=["rate"], base="stops")  # fmt: skip
    table = Page(block.html).table("t", index=0)
    assert table.loc["other", "stops"] == "6"
    assert table.loc["black", "rate"] == "10.8%"
    assert re.search(r'<td class="count small">6</td>', block.html)
    assert "Shaded cells rest on fewer than 10 records" in block.html


def test_suppressing_hides_every_small_count_and_the_numbers_built_on_it():
    table = shown(show.SmallCounts(10, suppress=True))
    assert table.loc["other"].tolist() == ["<10", "0", "—"]  # a small base hides its row
    assert table.loc["<b>white</b>"].tolist() == ["400", "<10", "—"]  # 4 of 400: 1.0% would give the 4 away
    assert table.loc["black"].tolist() == ["1,200", "130", "10.8%"]


def test_the_csv_download_holds_what_the_table_shows():
    block = show.table(FRAME, "t", "Searches", show.SmallCounts(10, suppress=True), counts=["stops", "searched"],
                       percents=["rate"], base="stops", fold=True)  # fmt: skip
    assert "<details" in block.html
    assert 'download="t.csv"' in block.html
    href = re.search(r'href="data:text/csv;charset=utf-8,([^"]*)"', block.html).group(1)
    csv = pd.read_csv(io.StringIO(unquote(unescape(href))), dtype=str)
    assert csv.set_index("group").loc["other", "stops"] == "<10"
    assert csv.set_index("group").loc["black", "stops"] == "1200"


def test_values_from_the_data_are_escaped():
    block = show.table(FRAME, "t", "A <caption>", show.SmallCounts(10), counts=["stops"])
    assert "<b>white</b>" not in block.html
    assert "&lt;b&gt;white&lt;/b&gt;" in block.html
    assert "&lt;caption&gt;" in block.html
    assert "<script>" not in show.findings(["<script>alert(1)</script>"]).html


def test_chart_rows_leave_out_what_tables_hide():
    small = show.SmallCounts(10, suppress=True)
    assert small.chart_rows(FRAME, "stops", "searched")["group"].tolist() == ["black"]
    assert show.SmallCounts(10).chart_rows(FRAME, "stops", "searched").equals(FRAME)


def test_labels_from_the_data_are_drawn_literally():
    labels = ["$5$ fee", "A $ B", "50% \\alpha_x", "unknown"]
    block = show.chart(charts.bar_chart(labels, [3, 2, 4, 1], "items"), "Fees")
    texts = [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", block.html)]
    for label in labels[:3]:
        assert label in texts, (label, texts)
    assert block.html.startswith('<figure class="chart"')
    assert "<svg" in block.html
    assert "<?xml" not in block.html


def test_unknown_is_last_and_grey():
    frame = charts.unknown_last(pd.DataFrame({"g": ["unknown", "black", "other", "white"]}), "g")
    assert frame["g"].tolist() == ["black", "white", "other", "unknown"]
    fig = charts.bar_chart(["unknown", "black", "white"], [30, 20, 10], "stops", reference="white")
    bars = fig.axes[0].patches  # drawn bottom to top
    labels = fig.axes[0].get_yticklabels()
    colors = {label.get_text(): bar.get_facecolor() for label, bar in zip(labels, bars, strict=True)}
    assert fig.axes[0].get_yticklabels()[0].get_text() == "unknown"
    assert to_hex(colors["unknown"]) == charts.UNKNOWN
    assert to_hex(colors["white (reference)"]) == charts.REFERENCE


def test_a_report_that_cannot_run_says_why_in_one_line():
    assert NotReady("no data")._render_traceback_() == ["The report stops here: no data"]


def test_a_banner_box_holds_a_warning_for_the_whole_report():
    html = show.banner("The column matching is a guess until someone checks it", ["race: guessed from “RACE_CD”"]).html
    assert 'class="toolkit banner"' in html
    assert 'role="note"' in html
    assert "The column matching is a guess" in html
    assert "guessed from “RACE_CD”" in html
