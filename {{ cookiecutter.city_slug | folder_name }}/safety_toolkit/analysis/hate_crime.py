"""Hate crimes: incidents over time by bias and by offense, the victims, the offenders and arrests.

A city's own data is used whole. A file that covers many agencies (the FBI's incident file) is limited
to the toolkit's state (toolkit.yaml `state:`) and then, when a city agency of that state bears the
city's name (toolkit.yaml `city:`, as the FBI names city police departments), to that agency. The
agency type matters: a county sheriff can have the city's name too ("Peoria").

An incident can record several biases or offenses (joined by ";"); tables by bias or offense count it
once under each, so their counts can add up to more than the number of incidents.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from ..sql import one_row
from . import Dataset

SEPARATOR = ";"
NOT_RECORDED = "not recorded"
# A city's own police: agency type "City" in the FBI's file (or no type recorded).
CITY_AGENCY = "coalesce(lower(agency_type), 'city') = 'city'"


@dataclass(frozen=True)
class Scope:
    """Which rows a report covers."""

    total: int  # rows in the data (within the report's dates)
    states: tuple[str, ...]  # the states the data records, most rows first; () when it records none
    state: str | None  # the state kept; None when the data records no state
    in_state: int  # rows of that state
    oris: tuple[str, ...]  # the city agencies named as the city (FBI ORI codes); () keeps the whole state
    kept: int  # rows the report covers

    @property
    def condition(self) -> str:
        """SQL that keeps the rows in scope."""
        parts = []
        if self.state is not None:
            parts.append(f"state = {_text(self.state)}")
        if self.oris:
            parts.append(f"agency_ori IN ({', '.join(_text(a) for a in self.oris)})")
        return " AND ".join(parts) or "TRUE"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def scope(ds: Dataset, state: str, city: str) -> Scope:
    """The rows of the toolkit's state and, if one of its city agencies has the city's name, of that agency."""
    total = ds.rows
    states = ds.query(
        "SELECT state, count(*) AS n FROM data WHERE state IS NOT NULL GROUP BY 1 ORDER BY n DESC, state"
    )["state"].tolist()
    if not states:
        return Scope(total, (), None, total, (), total)
    in_state = int(ds.scalar("SELECT count(*) FROM data WHERE state = ?", [state]))
    oris = tuple(
        ds.query(
            f"SELECT DISTINCT agency_ori FROM data WHERE state = ? AND lower(trim(agency)) = lower(trim(?)) "
            f"AND {CITY_AGENCY} AND agency_ori IS NOT NULL ORDER BY 1",
            [state, city],
        )["agency_ori"]
    )
    kept = Scope(total, tuple(states), state, in_state, oris, 0)
    return dataclasses.replace(kept, kept=int(ds.scalar(f"SELECT count(*) FROM data WHERE {kept.condition}")))


def limit_to(ds: Dataset, kept: Scope) -> Dataset:
    """The same data, limited to the rows in scope (the data-quality profile included)."""
    limited = Dataset(ds.path, ds.start, ds.end)
    source = "'" + ds.path.as_posix().replace("'", "''") + "'"
    # Dataset reads everything through the view `everything`; narrowing it narrows every query.
    limited.con.execute(
        f"CREATE OR REPLACE VIEW everything AS SELECT * FROM read_parquet({source}) WHERE {kept.condition}"
    )
    return limited


def agencies_of_state(ds: Dataset, state: str, top: int = 10) -> pd.DataFrame:
    """The agencies of a state with the most incidents: agency, type, ORI, incidents."""
    return ds.query(
        "SELECT coalesce(agency, ?) AS agency, coalesce(agency_type, '') AS type, coalesce(agency_ori, '') AS ori, "
        "count(*) AS incidents FROM data WHERE state = ? GROUP BY 1, 2, 3 ORDER BY incidents DESC, agency, ori "
        "LIMIT ?",
        [NOT_RECORDED, state, top],
    )


def per_year(ds: Dataset) -> pd.DataFrame:
    """Incidents per calendar year (incidents without a date left out): year, incidents."""
    return ds.query(
        "SELECT CAST(year(date) AS INTEGER) AS year, count(*) AS incidents FROM data "
        "WHERE date IS NOT NULL GROUP BY 1 ORDER BY 1"
    )


def complete_years(ds: Dataset) -> list[int]:
    """Years the data covers from January to December (the first and last years are often partial)."""
    first, last = one_row(ds.con, "SELECT min(date), max(date) FROM data")
    if first is None:
        return []
    start = first.year if (first.month, first.day) <= (1, 31) else first.year + 1
    end = last.year if (last.month, last.day) >= (12, 1) else last.year - 1
    return list(range(start, end + 1))


def counts(ds: Dataset, column: str) -> pd.DataFrame:
    """Incidents by the value of a one-value column: value, incidents, share (missing as 'not recorded')."""
    frame = ds.query(
        f'SELECT coalesce(CAST("{column}" AS VARCHAR), ?) AS value, count(*) AS incidents '
        "FROM data GROUP BY 1 ORDER BY incidents DESC, value",
        [NOT_RECORDED],
    )
    frame["share"] = frame["incidents"] / ds.rows if ds.rows else 0.0
    return frame


def _values(column: str) -> str:
    """SQL: one row per incident and distinct value of a ';'-joined column (missing as 'not recorded'),
    with the incident's year."""
    each = f"list_transform(string_split(coalesce(\"{column}\", ''), '{SEPARATOR}'), "
    each += f"lambda v: coalesce(nullif(trim(v), ''), '{NOT_RECORDED}'))"
    return (
        "SELECT DISTINCT incident, year, value FROM ("
        f"SELECT incident, year, unnest({each}) AS value FROM ("
        f'SELECT row_number() OVER () AS incident, CAST(year(date) AS INTEGER) AS year, "{column}" FROM data))'
    )


def mentions(ds: Dataset, column: str) -> pd.DataFrame:
    """Incidents mentioning each value of a ';'-joined column: value, incidents, share of all incidents."""
    frame = ds.query(
        f"SELECT value, count(*) AS incidents FROM ({_values(column)}) GROUP BY 1 ORDER BY incidents DESC, value"
    )
    frame["share"] = frame["incidents"] / ds.rows if ds.rows else 0.0
    return frame


def by_year(ds: Dataset, column: str, top: int = 6, split: bool = False) -> pd.DataFrame:
    """Incidents per year for the `top` most frequent values of a column, the rest as 'all other'.

    Index: year; columns: incidents (all incidents of the year), then one column per value. With
    `split`, an incident with several values counts under each (once under 'all other')."""
    values = mentions(ds, column) if split else counts(ds, column)
    shown = values["value"].head(top).tolist()
    if split:
        rows = ds.query(f"SELECT incident, year, value FROM ({_values(column)}) WHERE year IS NOT NULL")
    else:
        rows = ds.query(
            f"SELECT row_number() OVER () AS incident, CAST(year(date) AS INTEGER) AS year, "
            f'coalesce(CAST("{column}" AS VARCHAR), ?) AS value FROM data WHERE date IS NOT NULL',
            [NOT_RECORDED],
        )
    rows["value"] = rows["value"].where(rows["value"].isin(shown), "all other")
    rows = rows.drop_duplicates(["incident", "value"])
    table = rows.pivot_table(index="year", columns="value", values="incident", aggfunc="count", fill_value=0)
    order = [v for v in shown if v in table.columns] + (["all other"] if "all other" in table.columns else [])
    table = table[order].astype(int)
    table.columns.name = None
    table.insert(0, "incidents", per_year(ds).set_index("year")["incidents"].reindex(table.index).astype(int))
    return table


def arrest_flag(ds: Dataset) -> str | None:
    """SQL for 'an arrest was made' where the data says so: the yes/no column if recorded, else the
    presence of an arrest date (a source with arrest dates leaves the date blank when there was none)."""
    if ds.has_values("arrest_made"):
        return "arrest_made"
    if ds.has_values("arrest_date"):
        return "(arrest_date IS NOT NULL)"
    return None


def arrests_by(ds: Dataset, column: str | None = None) -> pd.DataFrame:
    """Incidents with an arrest, per value of `column` (or per year when None): group, incidents,
    recorded (incidents saying whether there was an arrest), arrests, share (arrests / recorded)."""
    flag = arrest_flag(ds)
    if flag is None:
        return pd.DataFrame(columns=["group", "incidents", "recorded", "arrests", "share"])
    group = f"coalesce(CAST(\"{column}\" AS VARCHAR), '{NOT_RECORDED}')" if column else "CAST(year(date) AS VARCHAR)"
    where = "" if column else "WHERE date IS NOT NULL"
    frame = ds.query(
        f'SELECT {group} AS "group", count(*) AS incidents, count({flag}) AS recorded, '
        f"count(*) FILTER (WHERE {flag}) AS arrests FROM data {where} GROUP BY 1 "
        + ("ORDER BY 1" if column is None else "ORDER BY incidents DESC, 1")
    )
    frame["share"] = frame["arrests"] / frame["recorded"].where(frame["recorded"] > 0)
    return frame
