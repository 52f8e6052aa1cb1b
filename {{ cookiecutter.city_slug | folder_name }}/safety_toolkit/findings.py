"""Sentences whose words depend on the numbers: "more" or "fewer", "could arise by chance" or not, "a"
or "an". Static prose lives in the notebooks; these are tested here, where the wrong word is possible.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from .analysis.compare import SIGNIFICANCE


def span(rows: int, unit: str, first: dt.date | None, last: dt.date | None, undated: int = 0) -> str:
    """How many records, over which dates."""
    if first is None or last is None:
        return f"The data holds {rows:,} {unit}, with no dates."
    text = f"The data holds {rows:,} {unit} from {first:%B %-d, %Y} to {last:%B %-d, %Y}."
    if undated:
        text += f" {undated:,} {unit} have no date and appear in no monthly figure."
    return text


def share(part: int, whole: int) -> str:
    """A share as a percentage, "none" or "all", never a misleading "0%" or "100%"."""
    if whole == 0 or part == 0:
        return "none"
    if part == whole:
        return "all"
    value = part / whole
    if value < 0.001:
        return "under 0.1%"
    if value > 0.999:
        return "over 99.9%"
    return f"{value:.1%}"


def largest(frame: pd.DataFrame, label: str, count: str, unit: str, of_what: str) -> str:
    """The largest named group (not "unknown"), and its share of the records whose group is known."""
    known = frame[~frame[label].astype(str).str.lower().isin(["unknown", ""])]
    if known.empty or known[count].sum() == 0:
        return ""
    top = known.sort_values(count, ascending=False).iloc[0]
    total = int(known[count].sum())
    return (
        f"The largest group by {of_what} is {top[label]}: {int(top[count]):,} {unit}, "
        f"{share(int(top[count]), total)} of those whose {of_what} is recorded."
    )


def unrecorded(count: int, total: int, unit: str, what: str, consequence: str) -> str:
    """Records lacking something a comparison needs."""
    if count == 0:
        return ""
    return f"{count:,} {unit} ({share(count, total)}) record neither {what}. {consequence}"


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def clock(minutes: float) -> str:
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}"


def veil(odds_ratio: float, ci: tuple[float, float], p: float, black: int, white: int,
         window: tuple[float, float]) -> str:  # fmt: skip
    """The veil-of-darkness answer: a smaller share of Black drivers after dark is what the test looks for."""
    numbers = (
        f"at the same clock time, the odds that a stopped driver was Black were {odds_ratio:.2f} times as high after "
        f"dark as in daylight (95% confidence interval {math.exp(ci[0]):.2f} to {math.exp(ci[1]):.2f}; {p_text(p)}; "
        f"{black:,} stops of Black drivers and {white:,} of white drivers between {clock(window[0])} and "
        f"{clock(window[1])})"
    )
    if p >= SIGNIFICANCE:
        return f"Not clearly: {numbers}. A difference this size could arise by chance."
    if odds_ratio < 1:
        return (
            f"Yes: {numbers}. The method reads this as a sign that race influenced who was stopped when officers "
            "could see it; it does not prove it."
        )
    return f"No, a larger share: {numbers}. This is not the pattern the test looks for."


def rate_gap(what: str, who: str, rate: float, ref_who: str, ref_rate: float, p: float | None) -> str:
    """One line for the opening findings: how often something happened to a group, against the reference
    group. `what` reads "the vehicle was searched"; `who` "Black people"."""
    if pd.isna(p):
        return ""
    what = what[:1].upper() + what[1:]
    if p >= SIGNIFICANCE:
        return (
            f"{what} in {rate:.1%} of stops of {who} and {ref_rate:.1%} of stops of {ref_who}: "
            "a gap this size could arise by chance."
        )
    if ref_rate > 0:
        times = rate / ref_rate
        how = f"{times:.1f} times" if times >= 1 else f"{1 - times:.0%} lower than"
        how += f" the rate for {ref_who} ({ref_rate:.1%})"
    else:
        how = f"against none of the stops of {ref_who}"
    return f"{what} in {rate:.1%} of stops of {who}: {how}."


def injury(who: str, rate: float, injured: int, recorded: int, ref_who: str, ref_rate: float, ref_injured: int,
           ref_recorded: int, p: float | None, test: str) -> str:  # fmt: skip
    """One group's injury rate against the reference group's, as a plain answer."""
    rates = (
        f"{rate:.1%} of uses of force on {who} ({injured:,} of {recorded:,}) left the person injured, against "
        f"{ref_rate:.1%} for {ref_who} ({ref_injured:,} of {ref_recorded:,})"
    )
    if pd.isna(p):
        return f"Cannot say: {rates}; there are too few to compare."
    if p >= SIGNIFICANCE:
        return f"Not clearly: {rates}. A gap this size could arise by chance ({test}, {p_text(p)})."
    direction = "Yes" if rate > ref_rate else "No, less often"
    return (
        f"{direction}: {rates}. A gap this large would be unlikely by chance alone ({test}, {p_text(p)}). It may "
        "reflect differences in the kinds of force used or in how injuries were recorded; it does not show a cause."
    )
