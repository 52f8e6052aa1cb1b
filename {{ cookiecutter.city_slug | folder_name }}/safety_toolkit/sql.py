"""Reading DuckDB results whose shape the query itself guarantees."""

from __future__ import annotations

from typing import Any

import duckdb


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> tuple[Any, ...]:
    """The row of a query that always returns exactly one, such as an aggregate (count, min, max) without
    GROUP BY."""
    row = con.execute(sql, params or []).fetchone()
    if row is None:
        raise LookupError(f"This query returned no row, where one was expected: {sql}")
    return row
