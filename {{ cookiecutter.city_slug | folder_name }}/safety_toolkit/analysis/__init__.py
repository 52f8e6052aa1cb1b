"""Computations behind the reports: DuckDB over the processed Parquet file, small pandas frames out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from ..sql import one_row, quote_ident
from ..store import QUERY_MEMORY, connect_duckdb


class Dataset:
    """A topic's standardized rows, optionally limited to a date range, queried as the view `data`.

    The row count and which columns hold values are worked out once and kept: a caller that redefines the views
    (to narrow the rows) does so right after creating the Dataset, before asking."""

    def __init__(
        self,
        path: Path,
        start: dt.date | None = None,
        end: dt.date | None = None,
        date_column: str = "date",
    ) -> None:
        self.path = Path(path)
        self.start, self.end = start, end
        self.con = connect_duckdb(QUERY_MEMORY)  # big files spill to disk instead of filling memory
        self._rows: int | None = None
        self._known: dict[str, bool] = {}  # column -> holds a known value (has_values), filled by one scan
        self._tables: dict[str, str] = {}  # temporary table -> the query that filled it (see `table`)
        source = "'" + self.path.as_posix().replace("'", "''") + "'"  # views take no parameters
        self.con.execute(f"CREATE VIEW everything AS SELECT * FROM read_parquet({source})")
        conditions = []
        if start:
            conditions.append(f"{date_column} >= DATE '{start.isoformat()}'")
        if end:
            conditions.append(f"{date_column} <= DATE '{end.isoformat()}'")
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        self.con.execute(f"CREATE VIEW data AS SELECT * FROM everything {where}")

    def query(self, sql: str, params: list[object] | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def scalar(self, sql: str, params: list[object] | None = None) -> Any:
        """The one value of a query that returns one row and one column, such as count(*)."""
        return one_row(self.con, sql, params)[0]

    @property
    def rows(self) -> int:
        if self._rows is None:
            self._rows = int(self.scalar("SELECT count(*) FROM data"))
        return self._rows

    @property
    def columns(self) -> list[str]:
        return [row[0] for row in self.con.execute("DESCRIBE data").fetchall()]

    def has_values(self, column: str) -> bool:
        """True when the column holds at least one known value (not NULL, not 'unknown'). The answer for every
        column comes from one scan of the data, the first time any column is asked about."""
        if not self._known:
            self._known = self._known_values()
        if column not in self._known:  # a column added since (a view replaced), or none of that name
            self._known.update(self._known_values([column]))
        return self._known[column]

    def _known_values(self, only: list[str] | None = None) -> dict[str, bool]:
        types = {name: kind for name, kind, *_ in self.con.execute("DESCRIBE data").fetchall()}
        names = [c for c in (only or types) if c in types]
        if not names:
            return dict.fromkeys(only or [], False)
        # A value other than text is known when it is not NULL; text also must not be 'unknown'.
        checks = [
            f"count(*) FILTER (WHERE {q} <> 'unknown') > 0" if types[c] == "VARCHAR" else f"count({q}) > 0"
            for c in names
            for q in [quote_ident(c)]
        ]
        found = one_row(self.con, f"SELECT {', '.join(checks)} FROM data")
        return {**dict.fromkeys(only or [], False), **dict(zip(names, map(bool, found), strict=True))}

    def table(self, name: str, sql: str) -> str:
        """A temporary table `name` holding the result of `sql`, made once per Dataset and reused while the query
        stays the same: for a summary several computations read (stops counted by day and time), so the data is
        scanned once for all of them. Returns the name."""
        if self._tables.get(name) != sql:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {quote_ident(name)} AS {sql}")
            self._tables[name] = sql
        return quote_ident(name)
