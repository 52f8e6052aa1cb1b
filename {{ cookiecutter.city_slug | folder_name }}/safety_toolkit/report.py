"""Building blocks of a report page: headings, tables with small counts flagged, findings, caveats,
and the provenance footer. Every value taken from data is HTML-escaped here.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .config import Config
from .standardize import processed_path, report_path
from .store import Snapshot
from .topics import TOPICS

CSS = (Path(__file__).parent / "assets" / "toolkit.css").read_text(encoding="utf-8")


def page(title: str, body: str, home: str = "../../index.html") -> str:
    """A standalone HTML page in the toolkit's style: no script, nothing fetched from the internet."""
    crumbs = (
        f'<nav class="crumbs" aria-label="Breadcrumb"><a href="{html.escape(home)}">All reports</a></nav>'
        if home
        else ""
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
        f"<main>\n{crumbs}\n{body}\n</main>\n</body>\n</html>\n"
    )


def esc(value: Any) -> str:
    return html.escape(str(value))


def block(inner: str) -> str:
    return f'<div class="toolkit">{inner}</div>'


def title(config: Config, topic: str) -> str:
    info = TOPICS[topic]
    place = f"{config.city}, {config.state}"
    by = f' <span class="note">Prepared by {esc(config.organization)}.</span>' if config.organization else ""
    return block(
        f"<h1>{esc(info.title)} in {esc(place)}</h1>"
        f'<p class="lede">{esc(info.about)}</p>'
        f'<div class="caveat"><strong>Keep in mind:</strong> {esc(info.not_about)}</div>{by}'
    )


def heading(text: str, level: int = 2) -> str:
    return block(f"<h{level}>{esc(text)}</h{level}>")


def paragraph(text: str) -> str:
    return block(f"<p>{esc(text)}</p>")


def bullets(items: Iterable[str]) -> str:
    return block("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>")


def caveat(text: str) -> str:
    return block(f'<div class="caveat">{esc(text)}</div>')


def finding(question: str, answer: str) -> str:
    return block(f'<div class="finding"><p class="q">{esc(question)}</p><p class="a">{esc(answer)}</p></div>')


def figure(chart_html: str) -> str:
    """A chart from charts.py (already escaped there)."""
    return block(chart_html)


@dataclass(frozen=True)
class SmallCounts:
    """How small counts are shown: flagged below the threshold, or suppressed when publishing."""

    threshold: int = 10
    suppress: bool = False

    @classmethod
    def of(cls, config: Config) -> SmallCounts:
        return cls(config.small_count_threshold, config.suppress_small_counts)

    def note(self) -> str:
        if self.suppress:
            return (
                f"Counts under {self.threshold} are hidden (shown as “<{self.threshold}”), "
                "with the rates built on them."
            )
        return f"Shaded cells rest on fewer than {self.threshold} records: too few to read much into."


def table(
    frame: pd.DataFrame,
    table_id: str,
    caption: str,
    small: SmallCounts,
    counts: Iterable[str] = (),
    percents: Iterable[str] = (),
    base: str | None = None,
    decimals: dict[str, int] | None = None,
    pvalues: Iterable[str] = (),
) -> str:
    """An HTML table. `counts` are whole numbers; `percents` are shares shown as %; a row whose `base`
    count is below the threshold is shaded (or its numbers hidden when suppressing); `pvalues` are
    shown to three decimals, or as "< 0.001"."""
    counts, percents, pvalues, decimals = list(counts), list(percents), list(pvalues), decimals or {}
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in frame.columns)
    body = []
    any_small = False
    for _, row in frame.iterrows():
        is_small = base is not None and pd.notna(row[base]) and row[base] < small.threshold
        any_small |= is_small
        cells = []
        for i, column in enumerate(frame.columns):
            value = row[column]
            hide = is_small and small.suppress and (column in counts or column in percents)
            if hide:
                text = f"<{small.threshold}" if column in counts else "—"
            elif pd.isna(value) if not isinstance(value, (list, tuple)) else False:
                text = "—"
            elif column in counts:
                text = f"{int(value):,}"
            elif column in percents:
                text = f"{value:.1%}"
            elif column in pvalues:
                text = "< 0.001" if value < 0.001 else f"{value:.3f}"
            elif column in decimals:
                text = f"{value:.{decimals[column]}f}"
            else:
                text = str(value)
            css = ' class="small"' if is_small and (column in counts or column in percents) else ""
            tag = 'th scope="row"' if i == 0 else "td"
            cells.append(f"<{tag}{css}>{esc(text)}</{tag.split()[0]}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{esc(small.note())}</p>' if any_small else ""
    return block(
        f'<table id="{esc(table_id)}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}"
    )


def load_report(config: Config, topic: str) -> dict[str, Any] | None:
    path = report_path(config.root, topic)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def data_ready(config: Config, topic: str) -> bool:
    return processed_path(config.root, topic).exists() and report_path(config.root, topic).exists()


def no_source(config: Config, topic: str) -> str:
    letter = f"../../tutorials/requests/{topic}.html"  # pages that `site` renders from the Markdown
    return block(
        '<div class="empty"><h2>No data source configured yet</h2>'
        f"<p>This toolkit has no {esc(TOPICS[topic].title.lower())} data for {esc(config.city)} yet. "
        "If the city publishes it, add the dataset's address under "
        f"<code>topics: {esc(topic)}: sources:</code> in <code>toolkit.yaml</code> and run "
        "<code>make reports</code> again.</p>"
        f'<p>If it does not, ask for it: the <a href="{esc(letter)}">records-request letter for this topic</a> '
        'and the <a href="../../tutorials/request_data.html">guide to your state\'s public records law</a> '
        "show how.</p></div>"
    )


def provenance(snapshots: list[tuple[str, Snapshot]]) -> str:
    """Where every number on the page came from: source, retrieval date, rows and checksums."""
    items = []
    for title, snap in snapshots:
        retrieved = dt.datetime.fromisoformat(snap.retrieved_at).strftime("%Y-%m-%d %H:%M UTC")
        checksum = f"<br>Snapshot SHA-256: <code>{esc(snap.sha256)}</code>"
        if snap.source_sha256:
            checksum += f"<br>Source file SHA-256: <code>{esc(snap.source_sha256)}</code>"
        items.append(
            f"<li><strong>{esc(title or snap.source)}</strong><br>"
            f"Source: <code>{esc(snap.location)}</code><br>"
            f"Retrieved: {esc(retrieved)} · Rows: {snap.rows:,}{checksum}</li>"
        )
    made = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return block(
        '<footer class="provenance"><h2>Where this data comes from</h2><ul>'
        + "".join(items)
        + f"</ul><p>Report generated {esc(made)}. The raw snapshot is kept unchanged in "
        "<code>data/raw/</code>; <code>data/manifest.json</code> records every copy.</p></footer>"
    )
