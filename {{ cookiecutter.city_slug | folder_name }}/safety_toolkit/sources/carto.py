"""Carto SQL API v2: one table read in pages of cartodb_id order.

Each page asks for the rows after the last cartodb_id read (not an OFFSET), so deep pages stay fast and a
row added or removed meanwhile cannot shift the pages. A query that fails after rows started streaming still
answers HTTP 200, with "error" appended to the body: every answer is checked for it.
"""

from __future__ import annotations

import re
from typing import Any, cast

import pandas as pd

from ..config import Source
from ..sql import quote_ident
from .base import Client, Download, Rows, all_of, progress, quote_sql, text_frame, where_clause
from .detect import Target
from .errors import SourceError
from .web import Http, Transient

KEY = "cartodb_id"
PAGE_ROWS = 10_000  # Carto stops queries that run long; modest pages stay well inside its limits
DATE_TYPES = {"date", "timestamp", "timestamptz"}
IDS_PER_REQUEST = 1000


def quote_name(name: str) -> str:
    return name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else quote_ident(name)


class Carto(Client):
    platform = "carto"
    key = KEY

    def __init__(self, target: Target, source: Source, http: Http) -> None:
        super().__init__(target, source, http)
        self.table = target.dataset
        self.where = all_of(target.where, where_clause(source.where, quote_name))
        self.page_size = source.page_size or PAGE_ROWS
        select = target.select or "*"
        self.select = select if "*" in select or KEY in select else f"{KEY}, {select}"
        self._fields: dict[str, Any] | None = None

    def request(self) -> dict[str, Any]:
        return {**super().request(), "where": self.where, "select": self.select}

    def sql(self, query: str) -> dict[str, Any]:
        return cast(
            "dict[str, Any]",
            self.http.get_json(
                self.target.url, self.what, {"q": query, "format": "json"}, check=_check_body, numbers_as_text=True
            ),
        )

    def _from(self, *conditions: str) -> str:
        where = all_of(*conditions)
        return f"FROM {self.table}" + (f" WHERE {where}" if where else "")

    def fields(self) -> dict[str, Any]:
        if self._fields is None:
            self._fields = self.sql(f"SELECT {self.select} {self._from(self.where)} LIMIT 0").get("fields") or {}
        return self._fields

    def types(self) -> dict[str, str]:
        return {name: str((spec or {}).get("type", "")) for name, spec in self.fields().items()}

    def filters_dates(self, column: str) -> bool:
        return self.types().get(column) in DATE_TYPES

    def count(self) -> int:
        return self.count_where(self.where)

    def count_where(self, where: str) -> int:
        rows = self.sql(f"SELECT count(*) AS n {self._from(where)}")["rows"]
        return int(rows[0]["n"])

    def download(self, since: str | None = None, previous: dict[str, Any] | None = None) -> Download:
        where = self.where
        if since is not None and self.source.date_field:
            column = quote_name(self.source.date_field)
            where = all_of(where, f"{column} >= {quote_sql(since)} OR {column} IS NULL")
        total = self.count_where(where)
        rows, pages, last = Rows(list(self.fields()), self.incoming), 0, None
        with progress(f"{self.source.topic}: {self.table}", total) as bar:
            while True:
                after = f"{KEY} > {last}" if last is not None else ""
                query = f"SELECT {self.select} {self._from(where, after)} ORDER BY {KEY} LIMIT {self.page_size}"
                page = self.sql(query)["rows"]
                if page:
                    rows.add(text_frame(page))
                    last = page[-1][KEY]
                    pages += 1
                    bar.update(len(page))
                    bar.set_postfix(pages=pages)
                if len(page) < self.page_size:
                    break
        # No version stamp to compare: check the keys against the table's whenever the count differs.
        path = self.settle(rows, where, {})
        query_text = (
            f"SELECT {self.select} {self._from(where, f'{KEY} > <last>')} ORDER BY {KEY} LIMIT {self.page_size}"
        )
        recipe = {"endpoint": self.target.url, "q": query_text, "pages": pages}
        return Download(pd.DataFrame(), recipe, since=since, types=self.types(), parquet=path)

    def ids(self, where: str) -> list[str]:
        return [str(r[KEY]) for r in self.sql(f"SELECT {KEY} {self._from(where)} ORDER BY {KEY}")["rows"]]

    def rows_with_ids(self, ids: list[str], where: str) -> pd.DataFrame:
        rows = Rows(list(self.fields()))
        for start in range(0, len(ids), IDS_PER_REQUEST):
            batch = ", ".join(ids[start : start + IDS_PER_REQUEST])
            rows.add(text_frame(self.sql(f"SELECT {self.select} {self._from(where, f'{KEY} IN ({batch})')}")["rows"]))
        return rows.frame()


def _check_body(body: Any) -> None:
    if not isinstance(body, dict):
        raise SourceError("the portal's answer is not what Carto sends; is this a Carto SQL API address?")
    if body.get("error"):
        said = "; ".join(map(str, body["error"])) if isinstance(body["error"], list) else str(body["error"])
        if body.get("rows"):  # rows came, then the query failed: the page is incomplete
            raise Transient(f"Carto's query failed part way through its answer ({said})")
        raise SourceError(f"Carto refused the query: {said}. Check 'where' for this source in toolkit.yaml.")
    if "rows" not in body:
        raise Transient("Carto's answer has no rows part")
