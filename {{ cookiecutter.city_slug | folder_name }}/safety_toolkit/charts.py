"""One chart style for every report: vector (SVG) charts whose text stays legible on a phone, "unknown"
last and grey, every label drawn literally (a "$" in the data is a dollar sign, never mathematics).
The functions return matplotlib figures; `show.chart` puts one on the page with its caption.
No backend is forced: in Jupyter, charts and a volunteer's own `df.plot()` appear inline.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

INK = "#1f2933"
MAIN = "#2b6cb0"
REFERENCE = "#9aa5b1"
WARN = "#c05621"
plt.rcParams.update(
    {
        "figure.dpi": 110,
        # Figures are WIDTH inches wide and scale to the page: 12 pt text stays above 11 CSS px on a phone.
        "font.size": 12,
        "xtick.labelsize": 12,
        "ytick.labelsize": 12,
        "axes.labelsize": 12,
        "legend.fontsize": 12,
        "svg.fonttype": "none",  # text as text: searchable, readable by screen readers, crisp at any size
        "text.parse_math": False,  # labels come from the data: "$5 fee" is text, not mathematics
        "axes.edgecolor": "#cbd2d9",
        "axes.labelcolor": INK,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": INK,
        "ytick.color": INK,
    }
)


def _percent(axis) -> None:  # type: ignore[no-untyped-def]
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))


WIDTH = 4.2  # inches, before labels; an SVG this narrow keeps 12 pt text above 11 CSS px on a 390 px phone
UNKNOWN = "#bcc4cc"
LAST = ("other", "unknown")  # drawn after the named groups, in this order


def unknown_last(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Rows in their order, with "other" and then "unknown" moved to the end."""
    order = {name: i + 1 for i, name in enumerate(LAST)}
    rank = frame[label].astype(str).str.lower().map(order).fillna(0)
    return frame.assign(_rank=rank.to_numpy()).sort_values("_rank", kind="stable").drop(columns="_rank")


def bar_chart(
    labels: list[str], values: list[float], xlabel: str, percent: bool = False, reference: str | None = None
) -> Figure:
    """Horizontal bars, first label at the top; "unknown" grey and last; the reference group hatched grey."""
    frame = unknown_last(pd.DataFrame({"label": [str(v) for v in labels], "value": values}), "label")
    fig, ax = plt.subplots(figsize=(WIDTH, 0.42 * len(frame) + 0.9))
    colors = [
        UNKNOWN if label.lower() == "unknown" else REFERENCE if label == reference else MAIN for label in frame["label"]
    ]
    names = [f"{label} (reference)" if label == reference else label for label in frame["label"]]
    ax.barh(names[::-1], frame["value"].tolist()[::-1], color=colors[::-1])
    ax.set_xlabel(xlabel)
    if percent:
        _percent(ax.xaxis)
    ax.xaxis.set_major_locator(MaxNLocator(4))
    for y, value in enumerate(frame["value"].tolist()[::-1]):
        ax.text(value, y, f" {value:.1%}" if percent else f" {value:,.0f}", va="center", color=INK)
    top = frame["value"].max() if len(frame) else 0
    ax.set_xlim(0, top * 1.3 if top > 0 else 1)
    return fig


def month_chart(frame: pd.DataFrame, ylabel: str, flagged: pd.Series | None = None) -> Figure:
    """Counts per month (columns `month`, then the count) from the first to the last month of the data;
    flagged months (gaps, partial months) in orange."""
    months = pd.to_datetime(frame["month"])
    flags = [bool(f) for f in flagged] if flagged is not None else [False] * len(frame)
    fig, ax = plt.subplots(figsize=(WIDTH, 2.6))
    ax.bar(months, frame.iloc[:, 1], width=20, color=[WARN if f else MAIN for f in flags])
    # matplotlib converts the dates itself; its annotations name only numbers.
    ax.set_xlim(months.min() - pd.Timedelta(days=20), months.max() + pd.Timedelta(days=20))  # type: ignore[arg-type]
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=5))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    return fig


def hour_chart(hours: list[int], values: list[float], ylabel: str) -> Figure:
    """Columns for the 24 hours of the day, labelled every three hours."""
    fig, ax = plt.subplots(figsize=(WIDTH, 2.6))
    ax.bar(hours, values, color=MAIN)
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}:00" for h in range(0, 24, 3)])
    ax.tick_params(axis="x", labelrotation=45)
    ax.set_xlim(-0.7, 23.7)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
    return fig



def column_chart(labels: list[str], values: list[float], ylabel: str) -> Figure:
    """Vertical bars along an ordered scale (weekdays, years), left to right."""
    fig, ax = plt.subplots(figsize=(WIDTH, 2.8))
    ax.bar([str(label) for label in labels], values, color=MAIN)
    ax.tick_params(axis="x", labelrotation=45)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(4))
    return fig


def paired_bar_chart(labels: list[str], first: list[float], second: list[float], names: tuple[str, str],
                     xlabel: str) -> Figure:  # fmt: skip
    """Two shares per group side by side (officers and residents, say), as horizontal bars; first at the top."""
    fig, ax = plt.subplots(figsize=(WIDTH, 0.7 * len(labels) + 1.2))
    ys = range(len(labels))
    height = 0.38
    ax.barh([y - height / 2 for y in ys], first, height, color=MAIN, label=names[0])
    ax.barh([y + height / 2 for y in ys], second, height, color=REFERENCE, label=names[1])
    ax.set_yticks(list(ys), [str(label) for label in labels])
    ax.invert_yaxis()
    _percent(ax.xaxis)
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, loc="lower right")
    return fig
