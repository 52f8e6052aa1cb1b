"""Rows for the fake portals: the real Minneapolis stops of tests/fixtures, repeated when more are needed."""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "minneapolis_stops_2017_sample.csv"


@lru_cache(maxsize=1)
def _sample() -> tuple[dict[str, str], ...]:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def sample_rows(count: int | None = None) -> list[dict[str, str]]:
    """The sample's rows as published (text). Past its 400 rows, the rows repeat with new ids and later dates,
    so every row stays distinct and dates keep increasing with the row number."""
    base = _sample()
    count = len(base) if count is None else count
    rows = []
    for i in range(count):
        row = dict(base[i % len(base)])
        cycle = i // len(base)
        if cycle:
            row["idNum"] = f"{row['idNum']}-{cycle}"
            when = dt.datetime.fromisoformat(row["date"]) + dt.timedelta(days=365 * cycle)
            row["date"] = when.isoformat(sep=" ")
        rows.append(row)
    return rows


def columns() -> list[str]:
    return list(_sample()[0])
