"""Reading DuckDB results whose shape the query itself guarantees, and SQL pieces the analyses share."""

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


def quote_ident(name: str) -> str:
    """A column or table name as DuckDB reads it, whatever characters it holds."""
    return '"' + name.replace('"', '""') + '"'


def quote_text(value: str) -> str:
    """A text value as an SQL literal."""
    return "'" + value.replace("'", "''") + "'"


ROW = "_row"  # a row's place in the file, numbered by `numbered()`


def numbered(rows: str) -> str:
    """The rows with their place in the file as column `_row`, for `first_recorded`."""
    return f"(SELECT *, row_number() OVER () AS {ROW} FROM {rows})"


def first_recorded(column: str) -> str:
    """An aggregate: the first value of `column` that is not missing, in the file's order, named `column`.
    Unlike any_value() it picks the same row on every run, however DuckDB splits the work between threads,
    so the rows of one call or one warrant that disagree always give the same answer."""
    return f"arg_min({column}, {ROW}) FILTER (WHERE {column} IS NOT NULL) AS {column}"
