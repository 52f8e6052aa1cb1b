"""Warrants: issued, served and outstanding over time where the data says so; charges; race and sex.

Some sources list a warrant several times (saved copies of a published list, or one row per charge).
The report first folds them into one row per warrant number: the earliest date, the latest status,
the first and last time the warrant was listed, and every charge.
"""

from __future__ import annotations

import pandas as pd

from ..sql import ROW, first_recorded, numbered, one_row
from . import Dataset

SEPARATOR = ";"
STATUSES = ("outstanding", "served", "recalled", "unknown")
NOT_RECORDED = "not recorded"
# Several warrant numbers in one listing: "21-001546 & 21-001547".
SEVERAL_NUMBERS = r"[&,;]| and "

# A warrant's type and subject: its first listing's that records them (listings can disagree).
ONE_ROW_PER_WARRANT = f"""
SELECT warrant_id, min(date) AS date, {first_recorded("warrant_type")},
       string_agg(DISTINCT offense, '; ' ORDER BY offense) AS offense,
       arg_max(status, coalesce(served_date, last_seen, date)) AS status, max(served_date) AS served_date,
       {first_recorded("subject_race")}, {first_recorded("subject_sex")},
       {first_recorded("subject_age")}, {first_recorded("neighborhood")},
       min(first_seen) AS first_seen, max(last_seen) AS last_seen, {first_recorded("source")},
       count(*) AS listings
FROM (SELECT *, coalesce(warrant_id, '#' || CAST({ROW} AS VARCHAR)) AS listing FROM {numbered("{rows}")})
GROUP BY listing, warrant_id
"""


def one_row_per_warrant(ds: Dataset) -> Dataset:
    """The same data with one row per warrant number (rows without a number stay as they are);
    `listings` counts the rows folded into each."""
    folded = Dataset(ds.path, ds.start, ds.end)
    source = "'" + ds.path.as_posix().replace("'", "''") + "'"
    # Dataset reads everything through the view `everything`; redefining it changes every query.
    rows = f"read_parquet({source})"
    folded.con.execute(f"CREATE OR REPLACE VIEW everything AS {ONE_ROW_PER_WARRANT.format(rows=rows)}")
    return folded


def several_numbers(ds: Dataset) -> int:
    """Listings that hold more than one warrant number."""
    return int(ds.scalar("SELECT count(*) FROM data WHERE regexp_matches(warrant_id, ?)", [SEVERAL_NUMBERS]))


def status_recorded(ds: Dataset) -> bool:
    """Does the data say whether warrants were served (any status other than unknown)?"""
    return ds.has_values("status")


def by_year(ds: Dataset) -> pd.DataFrame:
    """Warrants per year issued (or received): year, warrants, then one column per status."""
    return ds.query(
        "SELECT CAST(year(date) AS INTEGER) AS year, count(*) AS warrants, "
        + ", ".join(f"count(*) FILTER (WHERE coalesce(status, 'unknown') = '{s}') AS \"{s}\"" for s in STATUSES)
        + " FROM data WHERE date IS NOT NULL GROUP BY 1 ORDER BY 1"
    )


def time_to_service(ds: Dataset) -> pd.DataFrame:
    """Days from issue to service, per year issued, for served warrants with both dates:
    year, served, median_days."""
    return ds.query(
        "SELECT CAST(year(date) AS INTEGER) AS year, count(*) AS served, "
        "median(date_diff('day', date, served_date)) AS median_days FROM data "
        "WHERE status = 'served' AND date IS NOT NULL AND served_date IS NOT NULL GROUP BY 1 ORDER BY 1"
    )


def list_window(ds: Dataset) -> dict[str, object] | None:
    """For a published list saved over time: when it was first and last seen, the newest warrant on
    it, how many warrants the last copy showed, and the median number of days a warrant stayed on it.
    None when the data has no first/last-seen dates."""
    if not ds.has_values("last_seen"):
        return None
    first, last, newest, days = one_row(
        ds.con,
        "SELECT min(first_seen), max(last_seen), max(date), median(date_diff('day', first_seen, last_seen)) FROM data"
    )
    on_last = int(ds.scalar("SELECT count(*) FROM data WHERE last_seen = (SELECT max(last_seen) FROM data)"))
    return {"first_seen": first, "last_seen": last, "newest": newest, "on_last": on_last, "median_days": days}


def counts(ds: Dataset, column: str) -> pd.DataFrame:
    """Warrants by the value of a column: value, warrants, share (missing as 'not recorded')."""
    frame = ds.query(
        f'SELECT coalesce(CAST("{column}" AS VARCHAR), ?) AS value, count(*) AS warrants '
        "FROM data GROUP BY 1 ORDER BY warrants DESC, value",
        [NOT_RECORDED],
    )
    frame["share"] = frame["warrants"] / ds.rows if ds.rows else 0.0
    return frame


def charges(ds: Dataset) -> pd.DataFrame:
    """Warrants listing each charge (charges are ';'-separated): charge, warrants, share of warrants."""
    frame = ds.query(
        "SELECT charge, count(*) AS warrants FROM ("
        "SELECT DISTINCT n, trim(charge) AS charge FROM ("
        f"SELECT row_number() OVER () AS n, unnest(string_split(offense, '{SEPARATOR}')) AS charge FROM data "
        "WHERE offense IS NOT NULL)) WHERE charge <> '' GROUP BY 1 ORDER BY warrants DESC, charge"
    )
    frame["share"] = frame["warrants"] / ds.rows if ds.rows else 0.0
    return frame


def race_by_sex(ds: Dataset) -> pd.DataFrame:
    """Warrants by race (rows) and sex (columns), with a total per race."""
    frame = ds.query(
        "SELECT coalesce(subject_race, ?) AS race, coalesce(subject_sex, ?) AS sex, count(*) AS n "
        "FROM data GROUP BY 1, 2",
        [NOT_RECORDED, NOT_RECORDED],
    )
    table = frame.pivot_table(index="race", columns="sex", values="n", aggfunc="sum", fill_value=0)
    table.columns.name = None
    table.insert(0, "warrants", table.sum(axis=1))
    return table.sort_values("warrants", ascending=False)
