"""Computations behind the reports: DuckDB over the processed Parquet file, small pandas frames out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..sql import one_row


class Dataset:
    """A topic's standardized rows, optionally limited to a date range, queried as the view `data`."""

    def __init__(
        self,
        path: Path,
        start: dt.date | None = None,
        end: dt.date | None = None,
        date_column: str = "date",
    ) -> None:
        self.path = Path(path)
        self.start, self.end = start, end
        self.con = duckdb.connect()
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
        return int(self.scalar("SELECT count(*) FROM data"))

    @property
    def columns(self) -> list[str]:
        return [row[0] for row in self.con.execute("DESCRIBE data").fetchall()]

    def has_values(self, column: str) -> bool:
        """True when the column holds at least one known value (not NULL, not 'unknown')."""
        return bool(
            self.scalar(
                f'SELECT count(*) FROM data WHERE "{column}" IS NOT NULL AND CAST("{column}" AS VARCHAR) <> \'unknown\''
            )
        )
