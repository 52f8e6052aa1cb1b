"""Comparing rates between groups, shared by the stops, arrests and use-of-force analyses.

A rate is a count of rows with something true (searched, arrested, injured) over the rows where it was recorded.
Each group is compared with a reference group by the test of a 2x2 table (chi-square with Yates' correction, or
Fisher's exact test when an expected count is under 5). A report runs many such tests, so their p-values are also
adjusted together by Holm's method, which keeps the chance of any false alarm among them under the level.

Tests of this kind treat each row as independent. Stops and uses of force are not: the same people and the same
officers recur, so the intervals and p-values here are, if anything, too confident. They say how surprising a gap
would be if chance alone were at work; they never say why it exists.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

SIGNIFICANCE = 0.05  # the one threshold every finding and table of significance uses
MIN_COUNT = 10  # a numerator or denominator below this is flagged as too small to read on its own
Z95 = 1.959963984540054
NOT_INDEPENDENT = (
    "The tests treat every stop as independent, but the same people and the same officers appear many times, so the "
    "p-values and intervals are, if anything, too confident. They were adjusted for the number of comparisons in the "
    "report (Holm's method)."
)


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval (95% by default) for a proportion; (nan, nan) when there are no trials."""
    if trials <= 0:
        return float("nan"), float("nan")
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def two_by_two(flagged: int, total: int, ref_flagged: int, ref_total: int) -> tuple[float, str]:
    """p-value and name of the test comparing flagged/total with ref_flagged/ref_total: chi-square on the 2x2 table
    (Yates' correction, as R's chisq.test), or Fisher's exact test when an expected count is under 5; NaN and ""
    when the table cannot be tested (an empty group, or nobody or everybody flagged)."""
    table = np.array([[flagged, total - flagged], [ref_flagged, ref_total - ref_flagged]])
    if min(total, ref_total) == 0 or (flagged + ref_flagged) in (0, total + ref_total):
        return float("nan"), ""
    if stats.contingency.expected_freq(table).min() < 5:
        return float(stats.fisher_exact(table).pvalue), "Fisher's exact test"
    return float(stats.chi2_contingency(table, correction=True).pvalue), "chi-square test"


def holm(p_values: pd.Series | list[float]) -> pd.Series:
    """Holm's step-down adjustment of a family of p-values; missing p-values stay missing and do not count."""
    series = pd.Series(p_values, dtype="float64")
    present = series.dropna().sort_values()
    m = len(present)
    steps, running = [], 0.0
    for rank, p in enumerate(present):
        running = max(running, min(1.0, (m - rank) * p))
        steps.append(running)
    adjusted = pd.Series(np.nan, index=series.index)
    adjusted.loc[present.index] = np.array(steps)
    return adjusted


def group_row(frame: pd.DataFrame, group: str | None) -> pd.Series[Any]:
    """The row of `frame` whose "group" is `group` (each group has one row: the counts come from a GROUP BY)."""
    row = frame.set_index("group").loc[group]
    if isinstance(row, pd.DataFrame):
        raise ValueError(f"the group {group!r} has more than one row")
    return row


def small_counts(frame: pd.DataFrame, numerator: str, denominator: str, minimum: int = MIN_COUNT) -> pd.Series:
    """True on rows whose numerator or denominator is under `minimum` (but the numerator above zero does not make
    a zero safe: 0 of 8 is as fragile as 8 of 8)."""
    return (frame[numerator] < minimum) | (frame[denominator] < minimum)


def suppress(frame: pd.DataFrame, columns: list[str], minimum: int = MIN_COUNT) -> pd.DataFrame:
    """A copy with the rate columns blanked on rows flagged `small` (counts under `minimum`), for publication where
    small numbers could identify people; the counts themselves are blanked when under `minimum`."""
    out = frame.copy()
    flagged = out["small"].astype(bool)
    for column in columns:
        out[column] = out[column].astype("float64").where(~flagged)
    for count in ("flagged", "recorded"):
        if count in out:
            out[count] = out[count].astype("Float64").where(out[count] >= minimum)
    return out


def rate_table(counts: pd.DataFrame, reference: str | None, minimum: int = MIN_COUNT) -> pd.DataFrame:
    """Rates per group with their interval, each group compared with the reference group.

    `counts` holds one row per group: group, recorded (rows where the outcome is recorded), flagged (rows where it is
    true). The result adds: rate, low and high (95% Wilson interval), ratio (rate / reference rate), likelihood
    (ratio - 1, Open Data Policing's "likelihood"), p_value and test (against the reference; none for the reference
    itself or for 'unknown'), p_holm (Holm-adjusted within this table), significant (p_holm < 0.05), and small
    (a count under `minimum`: read with care)."""
    frame = counts[counts["recorded"] > 0].reset_index(drop=True).copy()
    frame["rate"] = frame["flagged"] / frame["recorded"]
    bounds = [wilson(int(f), int(n)) for f, n in zip(frame["flagged"], frame["recorded"], strict=True)]
    frame["low"] = [b[0] for b in bounds]
    frame["high"] = [b[1] for b in bounds]
    ref = group_row(frame, reference) if reference in set(frame["group"]) else None
    p_values, tests = [], []
    for group, flagged, recorded in zip(frame["group"], frame["flagged"], frame["recorded"], strict=True):
        if ref is None or group in (reference, "unknown"):
            p_values.append(float("nan"))
            tests.append("")
            continue
        p, test = two_by_two(int(flagged), int(recorded), int(ref["flagged"]), int(ref["recorded"]))
        p_values.append(p)
        tests.append(test)
    ref_rate = float(ref["rate"]) if ref is not None else float("nan")
    frame["ratio"] = frame["rate"] / ref_rate if ref_rate > 0 else float("nan")
    frame["likelihood"] = frame["ratio"] - 1
    frame["p_value"] = p_values
    frame["test"] = tests
    frame["p_holm"] = holm(frame["p_value"])
    frame["significant"] = frame["p_holm"] < SIGNIFICANCE
    frame["small"] = small_counts(frame, "flagged", "recorded", minimum)
    return frame


def adjust_together(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every comparison of several rate tables (named by the keys) in one frame, with p-values adjusted together
    by Holm's method across all of them: table, group, rate, ratio, p_value, p_holm_all, significant_all.
    Use it for the family of tests a whole report shows."""
    rows = [
        frame.assign(table=name)[["table", "group", "rate", "ratio", "p_value"]]
        for name, frame in tables.items()
        if len(frame)
    ]
    if not rows:
        return pd.DataFrame(columns=["table", "group", "rate", "ratio", "p_value", "p_holm_all", "significant_all"])
    family = pd.concat(rows, ignore_index=True)
    family["p_holm_all"] = holm(family["p_value"])
    family["significant_all"] = family["p_holm_all"] < SIGNIFICANCE
    return family
