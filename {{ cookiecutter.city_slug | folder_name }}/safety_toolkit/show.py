"""What a report notebook displays: tables (small counts flagged, or hidden when publishing), charts as
inline SVG, findings, caveats and the provenance footer. Each returns an object Jupyter and nbconvert show
as HTML, rendered from the Jinja templates in templates/blocks (values from data are escaped there).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

TEMPLATES = Path(__file__).parent / "templates"
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES / "blocks"), autoescape=True, trim_blocks=True, lstrip_blocks=True
)


class Block:
    """A piece of a report page. `metadata` travels with the output in the notebook (run.py reads the
    headline finding from it)."""

    def __init__(self, template: str, metadata: dict[str, Any] | None = None, **context: Any) -> None:
        self.html = _env.get_template(template).render(**context)
        self.metadata = metadata or {}

    def _repr_mimebundle_(self, include=None, exclude=None):  # type: ignore[no-untyped-def]
        return {"text/html": self.html}, ({"text/html": self.metadata} if self.metadata else {})

    def __str__(self) -> str:
        return self.html


@dataclass(frozen=True)
class SmallCounts:
    """How small counts are shown: flagged below the threshold, or suppressed when publishing."""

    threshold: int = 10
    suppress: bool = False

    @classmethod
    def of(cls, config: Any) -> SmallCounts:
        return cls(config.small_count_threshold, config.suppress_small_counts)

    def note(self) -> str:
        if self.suppress:
            return (
                f"Counts under {self.threshold} are hidden (shown as “<{self.threshold}”), "
                "with the rates built on them."
            )
        return f"Shaded cells rest on fewer than {self.threshold} records: too few to read much into."

    def hides(self, *values: Any) -> bool:
        """Suppressing, and one of these counts is small (zero is not: it identifies no one)."""
        return self.suppress and any(pd.notna(v) and 0 < v < self.threshold for v in values)

    def chart_rows(self, frame: pd.DataFrame, *counts: str) -> pd.DataFrame:
        """Rows a chart may draw: when small counts are hidden in tables, charts leave those rows out too."""
        if not self.suppress:
            return frame
        return frame[[not self.hides(*values) for values in frame[list(counts)].itertuples(index=False)]]


def _text(value: Any, column: str, counts: set[str], percents: set[str], pvalues: set[str], decimals: dict[str, int],
          money: set[str], amounts: set[str]) -> str:  # fmt: skip
    if not isinstance(value, (list, tuple)) and pd.isna(value):
        return "—"
    if column in money:
        return f"${value:,.0f}"
    if column in counts or column in amounts:
        return f"{int(value):,}"
    if column in percents:
        return f"{value:.1%}"
    if column in pvalues:
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    if column in decimals:
        return f"{value:.{decimals[column]}f}"
    return str(value)


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
    fold: str | bool = False,
    amounts: Iterable[str] = (),
    money: Iterable[str] = (),
) -> Block:
    """A table. `counts` are whole numbers; `percents` shares shown as %; a row whose `base` count is under
    the threshold is shaded, or its counts and shares hidden when suppressing; `pvalues` show three
    decimals or "< 0.001". `amounts` are whole numbers of things, not of people (units of equipment), never
    hidden; `money` is shown in dollars. `fold` puts the table in a fold (its text, or the caption) with a CSV download
    of exactly what the table shows."""
    columns = set(frame.columns)  # a column named here but left out of this frame is simply not there
    counts_, percents_, pvalues_ = set(counts) & columns, set(percents) & columns, set(pvalues) & columns
    decimals = decimals or {}
    money_, amounts_ = set(money) & columns, set(amounts) & columns
    derived = percents_ | pvalues_ | set(decimals)  # numbers computed from the counts of their row
    rows, csv_rows, any_small = [], [], False
    for _, row in frame.iterrows():
        is_small = base is not None and pd.notna(row[base]) and row[base] < small.threshold
        any_small |= is_small
        # Publishing: a row with a small count shows none of its small counts, nor any number built on them.
        hidden = small.suppress and (is_small or small.hides(*(row[c] for c in counts_)))
        cells, csv = [], []
        for column in frame.columns:
            kind = "count" if column in counts_ else "derived" if column in derived else ""
            value = row[column]
            if hidden and kind == "count" and ((is_small and column == base) or small.hides(value)):
                text = raw = f"<{small.threshold}"
            elif hidden and kind == "derived":
                text = raw = "—"
            else:
                text = _text(value, column, counts_, percents_, pvalues_, decimals, money_, amounts_)
                raw = text if column in pvalues_ or text == "—" else value
            cells.append({"text": text, "small": is_small and bool(kind), "kind": kind})
            csv.append(raw)
        rows.append(cells)
        csv_rows.append(csv)
    buffer = io.StringIO()
    pd.DataFrame(csv_rows, columns=[str(c) for c in frame.columns]).to_csv(buffer, index=False)
    context = {
        "id": table_id,
        "caption": caption,
        "columns": [str(c) for c in frame.columns],
        "rows": rows,
        "note": small.note() if any_small else "",
        "fold": (fold if isinstance(fold, str) else f"The table: {caption[0].lower()}{caption[1:]}") if fold else "",
        "csv": buffer.getvalue(),
    }
    return Block("table.html.j2", t=context)


def chart(fig: Any, title: str, caption: str = "") -> Block:
    """A matplotlib figure as inline SVG with its text kept as text; the figure is closed, so Jupyter's
    own display does not show it a second time."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buffer.getvalue()
    # Inside HTML an SVG needs no XML declaration, doctype, namespaces or RDF metadata.
    svg = re.sub(r"<metadata>.*?</metadata>|\s+xmlns(:xlink)?=\"[^\"]*\"", "", svg[svg.index("<svg") :], flags=re.S)
    return Block("chart.html.j2", svg=svg, title=title, caption=caption)


def findings(items: Sequence[str], heading: str = "What the data shows") -> Block:
    """The report's opening: 3-5 plain sentences. The first is the headline the landing page shows."""
    items = [item for item in items if item]
    return Block("findings.html.j2", {"toolkit": {"headline": items[0] if items else ""}}, heading=heading, items=items)


def box(
    kind: str,
    *paragraphs: str,
    heading: str = "",
    items: Iterable[str] = (),
    links: Iterable[tuple[str, str]] = (),
) -> Block:
    hrefs = [{"href": href, "text": text} for href, text in links]
    return Block("box.html.j2", kind=kind, heading=heading, paragraphs=paragraphs, items=list(items), links=hrefs)


def section(heading: str, *paragraphs: str) -> Block:
    """A section heading (and its opening paragraphs) for a section shown only when the data supports it;
    the sections every report has are markdown cells of the notebook."""
    return box("section", *paragraphs, heading=heading)


def caveat(text: str) -> Block:
    return box("caveat", text)


def finding(question: str, answer: str) -> Block:
    return box("finding", answer, heading=question)


def banner(heading: str, items: Iterable[str] = ()) -> Block:
    """A warning that holds for the whole report (for example: the column mapping is still a guess)."""
    return box("banner", heading=heading, items=items)


def unavailable(sentence: str) -> Block:
    """A section this data cannot support, said in one plain sentence."""
    return box("unavailable", sentence)


def provenance(sources: list[dict[str, Any]]) -> Block:
    """Source, retrieval date, rows and checksums of every snapshot behind a page. A local file is named,
    not its folder on the machine that ran the report."""
    shown = []
    for source in sources:
        location = str(source["location"])
        if "://" not in location:
            location = f"{Path(location).name} (a file, not a web address)"
        retrieved = dt.datetime.fromisoformat(source["retrieved_at"]).strftime("%Y-%m-%d %H:%M UTC")
        shown.append({**source, "location": location, "retrieved": retrieved})
    made = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return Block("provenance.html.j2", sources=shown, made=made)
