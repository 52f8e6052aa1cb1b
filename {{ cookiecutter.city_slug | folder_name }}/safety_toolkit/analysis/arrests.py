"""Arrests: over time, by offense and its level, by race, sex and age, per resident, and the share of arrests
for low-level offenses (misdemeanors, violations, infractions).

A row is one arrest with its top charge. Shares by level are computed over the arrests whose level is
known; the tables say how many that is.
"""

from __future__ import annotations

import re

import pandas as pd

from ..config import Population
from ..sql import one_row, quote_ident
from . import Dataset
from . import police_stops as stops

LEVELS = ("felony", "misdemeanor", "violation", "infraction", "other", "unknown")
LOW_LEVEL = ("misdemeanor", "violation", "infraction")
KNOWN_LEVEL = "offense_level IS NOT NULL AND offense_level <> 'unknown'"
AGE_BINS = ((0, 18, "under 18"), (18, 25, "18-24"), (25, 45, "25-44"), (45, 65, "45-64"))
OLDEST = "65 and over"


def _text(column: str) -> str:
    return f"coalesce(CAST({quote_ident(column)} AS VARCHAR), 'not recorded')"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def span(ds: Dataset) -> dict[str, object]:
    rows, first, last, undated = one_row(
        ds.con,
        "SELECT count(*), min(date), max(date), count(*) FILTER (WHERE date IS NULL) FROM data"
    )
    return {"arrests": rows, "first": first, "last": last, "undated": undated}


def by_month_and_level(ds: Dataset) -> pd.DataFrame:
    """Arrests per calendar month, one column per offense level present, and the total."""
    frame = ds.query(
        "SELECT CAST(date_trunc('month', date) AS DATE) AS month, coalesce(offense_level, 'unknown') AS level, "
        "count(*) AS arrests FROM data WHERE date IS NOT NULL GROUP BY 1, 2"
    )
    table = frame.pivot_table(index="month", columns="level", values="arrests", aggfunc="sum", fill_value=0)
    table = table[[level for level in LEVELS if level in table.columns]]
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    return table.reset_index()


def counts(ds: Dataset, column: str, top: int | None = None) -> pd.DataFrame:
    """Arrests per value of a column, most frequent first; `top` folds the rest into 'all others'."""
    frame = ds.query(f"SELECT {_text(column)} AS value, count(*) AS arrests FROM data GROUP BY 1 ORDER BY 2 DESC, 1")
    if top is not None and len(frame) > top + 1:
        rest = pd.DataFrame([{"value": "all others", "arrests": frame["arrests"].iloc[top:].sum()}])
        frame = pd.concat([frame.iloc[:top], rest], ignore_index=True)
    frame["share"] = frame["arrests"] / frame["arrests"].sum()
    return frame


def by_level(ds: Dataset) -> pd.DataFrame:
    """Arrests per offense level, in the order felony, misdemeanor, violation, infraction, other, unknown."""
    frame = counts(ds, "offense_level")
    frame["value"] = frame["value"].replace("not recorded", "unknown")
    frame = frame.groupby("value", as_index=False)[["arrests", "share"]].sum()
    order = {level: i for i, level in enumerate(LEVELS)}
    return frame.sort_values("value", key=lambda s: s.map(order)).reset_index(drop=True)


def category_by_level(ds: Dataset, top: int = 15) -> pd.DataFrame:
    """The most frequent offense categories, each with its arrests by level and its share of low-level arrests."""
    frame = ds.query(
        f"SELECT {_text('offense_category')} AS category, coalesce(offense_level, 'unknown') AS level, "
        "count(*) AS arrests FROM data GROUP BY 1, 2"
    )
    table = frame.pivot_table(index="category", columns="level", values="arrests", aggfunc="sum", fill_value=0)
    table = table[[level for level in LEVELS if level in table.columns]]
    table.columns.name = None
    table.insert(0, "arrests", table.sum(axis=1))
    table = table.sort_values(["arrests"], ascending=False, kind="stable").head(top)
    return table.reset_index()


def age_groups(ds: Dataset) -> pd.DataFrame:
    """Arrests by age group: the publisher's groups where it publishes only those, else ages put in groups."""
    if ds.has_values("subject_age_group"):
        frame = counts(ds, "subject_age_group")
        return frame.sort_values("value", key=lambda s: s.map(_age_order), kind="stable").reset_index(drop=True)
    cases = " ".join(f"WHEN subject_age < {high} THEN '{label}'" for _, high, label in AGE_BINS)
    frame = ds.query(
        f"SELECT CASE WHEN subject_age IS NULL THEN 'not recorded' {cases} ELSE '{OLDEST}' END AS value, "
        "count(*) AS arrests FROM data GROUP BY 1"
    )
    order = [label for *_, label in AGE_BINS] + [OLDEST, "not recorded"]
    frame = frame.set_index("value").reindex([o for o in order if o in set(frame["value"])]).reset_index()
    frame["share"] = frame["arrests"] / frame["arrests"].sum()
    return frame


def _age_order(label: str) -> float:
    """Youngest group first: "<18" before "18-24" before "65+"; labels without a number last."""
    found = re.search(r"\d+", label)
    if found is None:
        return float("inf")
    return int(found.group()) - (0.5 if label.lstrip().startswith("<") else 0)


def low_level_share(ds: Dataset, group: str | None = None) -> pd.DataFrame:
    """Share of arrests (with a known level) whose top charge is a misdemeanor, violation or infraction:
    group, known, low_level, share. Without `group`, one row for all arrests."""
    key = _text(group) if group else "'all arrests'"
    frame = ds.query(
        f'SELECT {key} AS "group", count(*) FILTER (WHERE {KNOWN_LEVEL}) AS known, '
        f"count(*) FILTER (WHERE offense_level IN {_in(LOW_LEVEL)}) AS low_level FROM data GROUP BY 1 "
        "ORDER BY known DESC, 1"
    )
    frame = frame[frame["known"] > 0].reset_index(drop=True)
    frame["share"] = frame["low_level"] / frame["known"]
    return frame


def per_capita(ds: Dataset, population: Population) -> pd.DataFrame:
    """Arrests a year per 1,000 residents of each race with a population figure, and each rate against the white
    rate, computed as the stops report computes stops per resident: race, arrests, residents, per_1000, ratio.
    The first row is everyone: all arrests against the total population."""
    frame = stops.stop_rates(ds, population).rename(columns={"stops": "arrests"})
    years = stops.years_covered(ds)
    everyone = {
        "race": "everyone",
        "arrests": ds.rows,
        "residents": population.total,
        "per_1000": ds.rows / years / population.total * 1000 if years else float("nan"),
        "ratio": float("nan"),
    }
    frame = frame.sort_values("residents", ascending=False, kind="stable")
    return pd.concat([pd.DataFrame([everyone]), frame], ignore_index=True)
