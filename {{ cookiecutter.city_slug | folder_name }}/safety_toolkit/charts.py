"""One chart style for every report. Charts are PNG images embedded in the page (no internet needed),
each with a title, labelled axes, alt text and a caption that says how to read it and what it cannot show.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")  # no screen needed

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

INK = "#1f2933"
MAIN = "#2b6cb0"
REFERENCE = "#9aa5b1"
WARN = "#c05621"
plt.rcParams.update(
    {
        "figure.dpi": 110,
        "font.size": 10,
        "axes.edgecolor": "#cbd2d9",
        "axes.labelcolor": INK,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": INK,
        "ytick.color": INK,
    }
)


def figure_html(fig: plt.Figure, alt: str, caption: str) -> str:
    """The figure as an embedded PNG inside <figure>, with alt text and a caption."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _percent(axis) -> None:  # type: ignore[no-untyped-def]
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))


def monthly(frame: pd.DataFrame, title: str, ylabel: str, caption: str, flagged: pd.Series | None = None) -> str:
    """Counts per month as bars; flagged months (gaps, partial months) in orange."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    colors = [
        WARN if flagged is not None and bool(f) else MAIN
        for f in (flagged if flagged is not None else [False] * len(frame))
    ]
    months = pd.to_datetime(frame["month"])
    ax.bar(months, frame.iloc[:, 1], width=20, color=colors)
    # Keep a bar a month wide even when there are only one or two months.
    ax.set_xlim(months.min() - pd.Timedelta(days=75), months.max() + pd.Timedelta(days=75))
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.autofmt_xdate()
    alt = f"{title}. " + "; ".join(
        f"{m:%b %Y}: {n:,}" for m, n in zip(pd.to_datetime(frame["month"]), frame.iloc[:, 1], strict=True)
    )
    return figure_html(fig, alt, caption)


def bars(
    labels: list[str],
    values: list[float],
    title: str,
    xlabel: str,
    caption: str,
    percent: bool = False,
    highlight: str | None = None,
) -> str:
    """Horizontal bars in the order given (first at the top); the highlighted label (a reference group)
    in grey."""
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(labels) + 1.2))
    colors = [REFERENCE if label == highlight else MAIN for label in labels]
    ax.barh(labels[::-1], values[::-1], color=colors[::-1])
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    if percent:
        _percent(ax.xaxis)
    for y, value in enumerate(values[::-1]):
        ax.text(value, y, f" {value:.1%}" if percent else f" {value:,.0f}", va="center", fontsize=9, color=INK)
    ax.set_xlim(0, max(values) * 1.18 if values and max(values) > 0 else 1)
    shown = "; ".join(
        f"{label}: {v:.1%}" if percent else f"{label}: {v:,.0f}" for label, v in zip(labels, values, strict=True)
    )
    return figure_html(fig, f"{title}. {shown}", caption)


def columns(labels: list[str], values: list[float], title: str, ylabel: str, caption: str) -> str:
    """Vertical bars along an ordered scale (hours, weekdays), left to right."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.bar(labels, values, color=MAIN)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=90, labelsize=8)
    shown = "; ".join(f"{label}: {v:,.0f}" for label, v in zip(labels, values, strict=True))
    return figure_html(fig, f"{title}. {shown}", caption)
