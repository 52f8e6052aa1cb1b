"""The data-quality profile every report shows first: how much data, which months, what is missing.

Problems are counted, never silently fixed: gaps in the months, missing values, duplicates, dates that
cannot be right (in the future, placeholders such as 1900-01-01), and values outside the mapping.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .analysis import Dataset
from .schema import Schema
from .sql import one_row, quote_ident
from .store import connect_duckdb

PLACEHOLDER_DATES = (dt.date(1900, 1, 1), dt.date(1970, 1, 1), dt.date(1980, 1, 1))
EARLIEST_PLAUSIBLE = dt.date(1950, 1, 1)
GAP_SHARE = 0.5  # a month with under half the median month's rows is flagged


@dataclass(frozen=True)
class Profile:
    rows: int
    first: dt.date | None
    last: dt.date | None
    months: pd.DataFrame  # month, rows, flag
    missing: pd.DataFrame  # column, missing, share
    duplicates: int
    duplicate_key: str
    date_problems: pd.DataFrame  # problem, rows, examples
    outside_mapping: pd.DataFrame  # column, raw value, rows, became
    unreadable: pd.DataFrame  # column, values present, could not be read, outside the valid range, examples

    @property
    def flagged_months(self) -> pd.DataFrame:
        """Months to read with care; a run of months with the same flag is one row ("2004-09 to 2016-01")."""
        months = self.months.reset_index(drop=True)
        runs = (months["flag"] != months["flag"].shift()).cumsum()
        records = []
        for _, run in months.groupby(runs):
            flag = run["flag"].iloc[0]
            if not flag:
                continue
            first, last = pd.Timestamp(run["month"].iloc[0]), pd.Timestamp(run["month"].iloc[-1])
            span = f"{first:%Y-%m}" if len(run) == 1 else f"{first:%Y-%m} to {last:%Y-%m} ({len(run)} months)"
            records.append({"months": span, "rows": int(run["rows"].sum()), "flag": flag})
        return pd.DataFrame(records, columns=["months", "rows", "flag"])


def monthly_coverage(ds: Dataset, date_column: str = "date") -> pd.DataFrame:
    frame = ds.query(
        f"""
        WITH bounds AS (SELECT min({date_column}) AS lo, max({date_column}) AS hi FROM data),
        months AS (
            SELECT unnest(generate_series(date_trunc('month', lo), date_trunc('month', hi), INTERVAL 1 MONTH))
                   AS month
            FROM bounds WHERE lo IS NOT NULL
        )
        SELECT CAST(month AS DATE) AS month, count(data.{date_column}) AS rows
        FROM months LEFT JOIN data ON date_trunc('month', data.{date_column}) = months.month
        GROUP BY 1 ORDER BY 1
        """
    )
    median = frame["rows"].median() if len(frame) else 0
    frame["flag"] = [
        "no rows" if n == 0 else ("under half the usual" if n < GAP_SHARE * median else "") for n in frame["rows"]
    ]
    if len(frame):
        # The first and last months are often partial: say so rather than call them gaps.
        for i in {0, len(frame) - 1}:
            if frame.loc[i, "flag"] == "under half the usual":
                frame.loc[i, "flag"] = "partial month at the edge of the data"
    return frame


def missing_values(ds: Dataset, columns: list[str]) -> pd.DataFrame:
    """Per column: rows where it is missing or 'unknown', and their share of all rows (one scan for all columns)."""
    rows = ds.rows
    checks = [
        f"count(*) FILTER (WHERE {q} IS NULL OR CAST({q} AS VARCHAR) = 'unknown')"
        for q in map(quote_ident, columns)
    ]
    found = one_row(ds.con, f"SELECT {', '.join(checks)} FROM data") if checks else ()
    records = [
        {"column": column, "missing": int(missing), "share": missing / rows if rows else 0.0}
        for column, missing in zip(columns, found, strict=True)
    ]
    return pd.DataFrame(records, columns=["column", "missing", "share"])


def date_problems(ds: Dataset, today: dt.date | None = None, date_column: str = "date") -> pd.DataFrame:
    today = today or dt.date.today()
    checks = [
        ("date in the future", f"{date_column} > DATE '{today.isoformat()}'"),
        (
            "placeholder date (1900-01-01, 1970-01-01, 1980-01-01)",
            f"{date_column} IN ({', '.join(repr(d.isoformat()) for d in PLACEHOLDER_DATES)})",
        ),
        (
            f"before {EARLIEST_PLAUSIBLE.year} (a two-digit year read wrongly?)",
            f"{date_column} < DATE '{EARLIEST_PLAUSIBLE.isoformat()}'",
        ),
        ("no date", f"{date_column} IS NULL"),
    ]
    # Every check in one scan: a count and a few examples each.
    found = one_row(
        ds.con,
        "SELECT "
        + ", ".join(
            f"count(*) FILTER (WHERE {condition}), "
            f"list(DISTINCT CAST({date_column} AS VARCHAR)) FILTER (WHERE {condition})[1:3]"
            for _, condition in checks
        )
        + " FROM everything",
    )
    records = []
    for i, (problem, _) in enumerate(checks):
        n, examples = found[2 * i], found[2 * i + 1] or []
        if n:
            records.append({"problem": problem, "rows": int(n), "examples": ", ".join(e for e in examples if e)})
    return pd.DataFrame(records, columns=["problem", "rows", "examples"])


def outside_mapping(report: dict[str, Any]) -> pd.DataFrame:
    """Source values the mapping did not cover: each became 'unknown' (or stayed missing) and is counted."""
    records = []
    for source in report.get("sources", []):
        for name, column in source["columns"].items():
            for value in column.get("values", []):
                if value["status"] == "unmapped":
                    records.append(
                        {
                            "column": name,
                            "source value": value["raw"],
                            "rows": value["rows"],
                            "became": value["standard"],
                        }
                    )
    return pd.DataFrame(records, columns=["column", "source value", "rows", "became"])


def unreadable(report: dict[str, Any]) -> pd.DataFrame:
    """Dates and numbers that could not be read, or fell outside the valid range: now missing, and counted."""
    records = []
    for source in report.get("sources", []):
        for name, column in source["columns"].items():
            parsing = column.get("parsing")
            if parsing and (parsing["failed"] or parsing.get("out_of_range")):
                records.append(
                    {
                        "column": name,
                        "values present": parsing["present"],
                        "could not be read": parsing["failed"],
                        "outside the valid range": parsing.get("out_of_range", 0),
                        "examples": ", ".join(str(e) for e in parsing["examples"][:3]),
                    }
                )
    return pd.DataFrame(
        records, columns=["column", "values present", "could not be read", "outside the valid range", "examples"]
    )


def repeated_rows(ds: Dataset, columns: list[str], where: str = "TRUE") -> int:
    """Rows (meeting `where`) that repeat another row's values in `columns`, missing values counted as equal.

    First the 64-bit hashes of the values that repeat: a GROUP BY of numbers, which DuckDB spills to disk in little
    memory (one of long texts runs out of memory at 100 million rows); then the rows behind only those hashes,
    compared value by value, so that two different rows whose hashes collide are never counted."""
    listed = ", ".join(quote_ident(c) for c in columns)
    return int(
        ds.scalar(
            f"WITH repeated AS (SELECT hash({listed}) AS h FROM data WHERE {where} GROUP BY h HAVING count(*) > 1) "
            f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM data WHERE {where} AND hash({listed}) "
            f"IN (SELECT h FROM repeated) GROUP BY {listed} HAVING count(*) > 1)"
        )
    )


def profile(ds: Dataset, schema: Schema, report: dict[str, Any], today: dt.date | None = None) -> Profile:
    mapped = [c.name for c in schema.columns if not c.private and c.name not in report.get("unmapped_columns", [])]
    key = "raw_row_number" if "raw_row_number" in mapped else ""
    # identifiers repeated within a source; without an identifier, rows alike in every standard column
    duplicates = repeated_rows(ds, [key, "source"], f"{key} IS NOT NULL") if key else repeated_rows(ds, mapped)
    first, last = one_row(ds.con, "SELECT min(date), max(date) FROM data")
    return Profile(
        rows=ds.rows,
        first=first,
        last=last,
        months=monthly_coverage(ds),
        missing=missing_values(ds, mapped),
        duplicates=duplicates,
        duplicate_key=key or "all standard columns",
        date_problems=date_problems(ds, today),
        outside_mapping=outside_mapping(report),
        unreadable=unreadable(report),
    )


# Column names that say the values identify a person: their examples are never shown, only counts.
PERSONAL = (
    ("a name", r"(^|[^a-z])(name|nme|fullname|firstname|lastname|surname|alias)([^a-z]|$)|_?n(a)?me$"),
    ("a date of birth", r"birth|dob|bday"),
    ("an address", r"address|addr|street|^block$|house.?(number|no)|residence|apartment|^apt"),
    ("a plate", r"plate|licen[cs]e|^tag$|vin$"),
    ("an id", r"(^|[^a-z])(id|ids|no|nbr|num|number|star|badge|ssn|employee|emp|cb.?no|rd.?no)$|^id|_id|badge"),
    ("a phone number", r"phone|tel$"),
)
ADDRESS_VALUE = r"^\d+[a-z]?\s+\w+.*\b(st|street|ave|avenue|rd|road|blvd|dr|drive|ln|lane|way|ct|pl|pkwy|hwy)\b"


def withheld(column: str, examples: list[str] | None = None) -> str | None:
    """Why a raw column's values must not be shown ("looks like a name"), or None if they may be."""
    name = column.strip().lower()
    for what, pattern in PERSONAL:
        if re.search(pattern, name):
            return f"withheld (looks like {what})"
    if examples and sum(bool(re.search(ADDRESS_VALUE, str(e).lower())) for e in examples) >= max(1, len(examples) // 2):
        return "withheld (looks like an address)"
    return None


def screen_examples(frame: pd.DataFrame, column: str = "column", examples: str = "examples") -> pd.DataFrame:
    """The same profile with the examples of personal-looking columns replaced by the reason they are withheld."""
    if examples not in frame.columns:
        return frame
    out = frame.copy()
    out[examples] = [
        withheld(str(name), [e.strip() for e in str(shown).split(",")]) or shown
        for name, shown in zip(out[column], out[examples], strict=True)
    ]
    return out


def raw_profile(snapshot: Path, sample_values: int = 3) -> pd.DataFrame:
    """Per column of a raw snapshot: blanks, distinct values and a few examples (for unmapped data)."""
    con = connect_duckdb()
    source = "'" + snapshot.as_posix().replace("'", "''") + "'"  # views take no parameters
    con.execute(f"CREATE VIEW raw AS SELECT * FROM read_parquet({source})")
    columns = [row[0] for row in con.execute("DESCRIBE raw").fetchall()]
    rows = one_row(con, "SELECT count(*) FROM raw")[0]
    records = []
    for column in columns:
        ident = quote_ident(column)
        blank, distinct = one_row(
            con,
            f"SELECT count(*) FILTER (WHERE trim({ident}) = '' OR {ident} IS NULL), "
            f"approx_count_distinct({ident}) FROM raw",
        )
        # The most common values, ties by value: the same data always shows the same examples.
        examples = [
            str(value)
            for (value,) in con.execute(
                f"SELECT {ident} FROM raw WHERE trim({ident}) <> '' GROUP BY 1 "
                f"ORDER BY count(*) DESC, 1 LIMIT {int(sample_values)}"
            ).fetchall()
        ]
        records.append(
            {
                "column": column,
                "blank": int(blank),
                "blank share": blank / rows if rows else 0.0,
                "distinct values (approx.)": int(distinct),
                "examples": withheld(column, examples) or ", ".join(e[:40] for e in examples),
            }
        )
    return pd.DataFrame(records)
