"""Maps drawn from the boundary geometry itself: no tiles, no internet, vector (SVG) output.

`area_map` shades each area of a layer by a count or rate (a choropleth); `density_map` draws hexagons
counting points, for data with coordinates but no boundary layer. Both return a matplotlib figure as
narrow as the report charts, so that text stays at least 11 CSS px when the SVG is shown 390 px wide.
Areas with fewer rows than the small-count threshold are hatched; when small counts are suppressed their
numbers are hidden and their shading is grey. Every label is drawn literally: names from the data are
never read as mathematics.
"""

from __future__ import annotations

import functools
import io
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .maps import MIN_RESIDENTS, ROWS, AreaTable, Points

WIDTH = 4.2  # inches, as the report charts: 12 pt text stays above 11 CSS px on a 390 px phone
INK = "#1f2933"
EDGE = "#52606d"
NO_DATA = "#ffffff"  # white with dots: unlike any shade of the scale
DOTS = ".."
HIDDEN = "#bcc4cc"
HATCH = "////"
BACK_HATCH = "\\\\\\\\"  # the other way: too few residents for a steady rate per resident
# Five steps of one blue, light to dark (ColorBrewer "Blues"): readable in grey and by most colour-blind readers.
STEPS = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
FONT = 12
LABELLED_AREAS = 12  # with more areas than this, names would overlap: the table beside the map gives them
# Text is text in the SVG (searchable, crisp) and never mathematics, whatever the data holds.
plt.rcParams.update({"svg.fonttype": "none", "text.parse_math": False})


def _format(value: float, percent: bool, decimals: int | None = None) -> str:
    if percent:
        if decimals is None:
            decimals = 0 if value >= 0.1 or value == 0 else 1
        return f"{value:.{decimals}%}"
    return f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:,.1f}"


def _round(value: float, up: bool, digits: int = 2) -> float:
    """`value` rounded up or down to `digits` significant figures (1,234 -> 1,300 up, 1,200 down)."""
    if value == 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(abs(value))) - digits + 1)
    return float((math.ceil(value / scale) if up else math.floor(value / scale)) * scale)


def class_edges(values: pd.Series, classes: int = 5, quantiles: bool = True) -> list[float]:
    """Class limits for the shading, rounded to two significant figures. Quantiles put about as many areas in
    each class, so one busy area does not leave all others in the palest class; with few areas (each one
    labelled with its number) equal steps from zero keep small differences from looking large."""
    values = values.dropna().astype(float)
    if values.empty:
        return [0.0, 1.0]
    if quantiles:
        limits = values.quantile([i / classes for i in range(classes + 1)]).tolist()
        edges = sorted({_round(limits[0], up=False), *(_round(q, up=True) for q in limits[1:])})
    else:
        low, high = min(0.0, float(values.min())), float(values.max())
        step = (high - low) / classes or 1.0
        magnitude = 10 ** math.floor(math.log10(step))
        step = next(m * magnitude for m in (1, 2, 2.5, 3, 5, 10) if m * magnitude >= step)  # a round step
        edges = [low + i * step for i in range(classes + 1) if i == 0 or low + (i - 1) * step < high]
    return edges if len(edges) > 1 else [edges[0], edges[0] + 1.0]


def _palette(classes: int) -> list[str]:
    """`classes` colours spread over the whole light-to-dark range."""
    if classes <= 1:
        return [STEPS[-2]]
    return [STEPS[round(i * (len(STEPS) - 1) / (classes - 1))] for i in range(classes)]


def area_map(
    result: AreaTable,
    value: str | None = None,
    *,
    label: str = "",
    percent: bool = False,
    names: bool | None = None,
) -> Figure:
    """Each area shaded by `value` (a column of result.table: the count by default, or a rate, or
    per_1000), with a legend of the classes below the map. Small areas hatched, hidden values grey."""
    value = value or result.count
    table = result.shown()
    frame = result.areas.frame.merge(table, on="area", how="left")
    projected = frame.to_crs(frame.estimate_utm_crs())
    minx, miny, maxx, maxy = projected.total_bounds
    # Drawn lines lose detail finer than about a pixel (counting always uses the full geometry).
    projected["geometry"] = projected.geometry.simplify(max(maxx - minx, maxy - miny) / 600, preserve_topology=True)
    values = pd.to_numeric(projected[value], errors="coerce").astype(float)
    small = projected["small"].fillna(False).astype(bool)
    hidden = small & result.suppress
    unstable = (
        (projected["few_residents"].fillna(False).astype(bool) & ~small) if value == "per_1000" else small & False
    )
    show_names = len(projected) <= LABELLED_AREAS if names is None else names
    edges = class_edges(values[~hidden], quantiles=len(projected) > LABELLED_AREAS)
    palette = _palette(len(edges) - 1)
    cmap = ListedColormap(palette)
    norm = BoundaryNorm(edges, cmap.N)
    colors = [
        HIDDEN if hide else NO_DATA if math.isnan(v) else to_hex(cmap(norm(v)))
        for v, hide in zip(values, hidden, strict=True)
    ]

    # The legend: one swatch per class, then what hatching, grey and "no data" mean.
    whole = all(abs(e * 100 - round(e * 100)) < 1e-9 for e in edges)
    decimals = (0 if whole else 1) if percent else None

    def limit(edge: float) -> str:
        return _format(edge, percent, decimals)

    handles = [
        Patch(facecolor=palette[i], edgecolor=EDGE, label=f"{limit(edges[i])} to {limit(edges[i + 1])}")
        for i in range(len(edges) - 1)
    ]
    if small.any():
        what = f"fewer than {result.threshold} {result.count.replace('_', ' ')}"
        handles.append(Patch(facecolor="white", edgecolor=EDGE, hatch=HATCH, label=what))
    if unstable.any():
        what = f"fewer than {MIN_RESIDENTS:,} residents"
        handles.append(Patch(facecolor="white", edgecolor=EDGE, hatch=BACK_HATCH, label=what))
    if hidden.any():
        handles.append(Patch(facecolor=HIDDEN, edgecolor=EDGE, label="hidden (too few to publish)"))
    if values[~hidden].isna().any():
        handles.append(Patch(facecolor=NO_DATA, edgecolor=EDGE, hatch=DOTS, label="no data"))
    # Two columns only while the labels are short enough to fit side by side at the figure's width.
    columns = 2 if max(len(str(h.get_label())) for h in handles) <= 16 else 1
    legend_height = 0.25 * (math.ceil(len(handles) / columns) + 1) + 0.15

    ratio = (maxy - miny) / (maxx - minx) if maxx > minx else 1.0
    height = min(max(WIDTH * ratio, 2.5), 5.5)
    fig, ax = plt.subplots(figsize=(WIDTH, height + legend_height))
    fig.subplots_adjust(left=0.02, right=0.98, top=0.99, bottom=legend_height / (height + legend_height))
    ax.set_axis_off()
    ax.set_aspect("equal")
    projected.plot(ax=ax, color=colors, edgecolor=EDGE, linewidth=0.6)
    if small.any():
        projected[small].plot(ax=ax, facecolor="none", edgecolor=EDGE, hatch=HATCH, linewidth=0.6)
    if unstable.any():
        projected[unstable].plot(ax=ax, facecolor="none", edgecolor=EDGE, hatch=BACK_HATCH, linewidth=0.6)
    no_data = values.isna() & ~hidden
    if no_data.any():
        projected[no_data].plot(ax=ax, facecolor="none", edgecolor=EDGE, hatch=DOTS, linewidth=0.6)

    if show_names:
        # A pale box behind each label keeps it legible on dark shading (path-effect halos would turn the
        # text into outlines, no longer text in the SVG).
        box = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
        for area, shape, v, hide in zip(projected["area"], projected.geometry, values, hidden, strict=True):
            point = shape.representative_point()
            number = f"<{result.threshold}" if hide else "no data" if math.isnan(v) else _format(v, percent)
            ax.text(
                point.x,
                point.y,
                f"{area}\n{number}",
                ha="center",
                va="center",
                fontsize=FONT,
                color=INK,
                bbox=box,
                parse_math=False,
            )

    legend = fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.02, 0.0),
        ncols=columns,
        fontsize=FONT,
        title=label or value.replace("_", " "),
        title_fontsize=FONT,
        frameon=False,
        alignment="left",
        handlelength=1.4,
        columnspacing=1.0,
    )
    for text in [legend.get_title(), *legend.get_texts()]:
        text.set_parse_math(False)
    return fig


def _median(values: np.ndarray, weights: np.ndarray | None) -> float:
    """The median of the values, each repeated as often as its weight says (np.median when unweighted)."""
    if weights is None:
        return float(np.median(values))
    order = np.argsort(values, kind="stable")
    ordered, ends = values[order], np.cumsum(weights[order])
    total = int(ends[-1])

    def nth(k: int) -> float:  # the k-th value (from 0) of the repeated, sorted values
        return float(ordered[np.searchsorted(ends, k, side="right")])

    return nth(total // 2) if total % 2 else (nth(total // 2 - 1) + nth(total // 2)) / 2


def density_map(points: Points, *, label: str = "", threshold: int = 1, gridsize: int = 24) -> Figure:
    """Hexagons shaded by the number of points in each, on a logarithmic scale (one busy corner would
    otherwise wash out the rest). Only hexagons with at least `threshold` points are drawn: pass the
    small-count threshold when small counts are suppressed. A scale bar gives the distances."""
    from matplotlib.colors import LogNorm

    lat, lng = points.frame["lat"].to_numpy(float), points.frame["lng"].to_numpy(float)
    if len(lat) == 0:
        fig, ax = plt.subplots(figsize=(WIDTH, 1.0))
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no points to draw", ha="center", va="center", fontsize=FONT, transform=ax.transAxes)
        return fig
    weights = points.frame[ROWS].to_numpy(float) if ROWS in points.frame.columns else None
    lat0 = _median(lat, weights)
    # Kilometres east and north of the middle point: hexagons stay regular at any latitude.
    x = (lng - _median(lng, weights)) * 111.2 * math.cos(math.radians(lat0))
    y = (lat - lat0) * 111.2
    span_x, span_y = max(float(np.ptp(x)), 0.5), max(float(np.ptp(y)), 0.5)
    height = min(max(WIDTH * span_y / span_x, 2.5), 5.5)
    fig = plt.figure(figsize=(WIDTH, height + 1.2))
    ax = fig.add_axes((0.02, 1.2 / (height + 1.2), 0.96, height / (height + 1.2) * 0.97))
    ax.set_axis_off()
    hexbin = functools.partial(ax.hexbin, gridsize=gridsize, cmap="Blues", linewidths=0.2, edgecolors="white")
    if weights is not None:  # counted points: each hexagon sums the rows its points stand for
        cells = hexbin(x, y, C=weights, reduce_C_function=np.sum, mincnt=1)
        sums = np.asarray(cells.get_array())
        kept = sums >= max(threshold, 1)
        cells.set_offsets(np.asarray(cells.get_offsets())[kept])
        cells.set_array(sums[kept])
    else:
        cells = hexbin(x, y, mincnt=max(threshold, 1))
    counts = cells.get_array()
    if counts is None or len(counts) == 0:
        message = f"no hexagon holds {threshold} points or more"
        ax.text(0.5, 0.5, message, ha="center", fontsize=FONT, transform=ax.transAxes, parse_math=False)
        return fig
    cells.set_norm(LogNorm(vmin=max(float(counts.min()), 1.0), vmax=max(float(counts.max()), 2.0)))
    ax.set_aspect("equal", adjustable="datalim")
    bar = 5.0 if span_x > 20 else 1.0
    x0, y0 = float(x.min()), float(y.min())
    ax.plot([x0, x0 + bar], [y0, y0], color=INK, linewidth=2)
    ax.text(x0 + bar / 2, y0, f"{bar:g} km", ha="center", va="bottom", fontsize=FONT, color=INK, parse_math=False)
    bar_ax = fig.add_axes((0.06, 0.62 / (height + 1.2), 0.88, 0.14 / (height + 1.2)))
    colorbar = fig.colorbar(cells, cax=bar_ax, orientation="horizontal")
    colorbar.set_label(label or "points per hexagon", fontsize=FONT, parse_math=False)
    colorbar.ax.tick_params(labelsize=FONT)
    top = float(np.max(counts))
    ticks = [t for t in (1, 10, 100, 1_000, 10_000, 100_000) if t <= top] or [1]
    colorbar.set_ticks(ticks, labels=[f"{t:,}" for t in ticks])
    return fig


def describe(result: AreaTable, value: str | None = None, percent: bool = False) -> str:
    """The map's numbers as one sentence, for alt text and for readers who cannot see the shading."""
    value = value or result.count
    table = result.shown()
    parts = []
    for row in table.itertuples():
        v = getattr(row, value)
        if pd.isna(v):
            what = result.count.replace("_", " ")
            shown = f"hidden (fewer than {result.threshold} {what})" if row.small else "no data"
        else:
            shown = _format(v, percent)
        parts.append(f"{row.area}: {shown}")
    return f"{value.replace('_', ' ')} by {result.areas.column}: " + "; ".join(parts) + "."


def to_svg(fig: Figure) -> str:
    """The figure as SVG text (closed afterwards), as the reports embed it."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
