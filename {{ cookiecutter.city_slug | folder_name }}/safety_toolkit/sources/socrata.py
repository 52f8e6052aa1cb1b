"""Socrata (SODA): rows from /resource/<id>.json paged in :id order; column types and the version stamp
(rowsUpdatedAt) from /api/views/<id>.json. An app token, if any, comes from SOCRATA_APP_TOKEN."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, cast

import pandas as pd

from ..config import Source
from .base import PAGE_ROWS, Client, Download, Rows, all_of, progress, quote_sql, text_frame, where_clause
from .detect import Target
from .errors import SourceError
from .web import Http

# Socrata's own date types; a text column that holds dates compares as text, so it is not used for refreshes.
DATE_TYPES = {"calendar_date", "date", "floating_timestamp", "fixed_timestamp"}
IDS_PER_REQUEST = 100  # :id in (...) lists are kept short so the address stays well under URL limits


class Socrata(Client):
    platform = "socrata"
    key = ":id"

    def __init__(self, target: Target, source: Source, http: Http) -> None:
        super().__init__(target, source, http)
        self.resource = f"{target.url}/resource/{target.dataset}.json"
        self.page_size = source.page_size or PAGE_ROWS  # the 2.0 endpoints' maximum, fine on 2.1 too
        self.where = all_of(target.where, where_clause(source.where))
        token = os.environ.get("SOCRATA_APP_TOKEN", "").strip()
        self.headers = {"X-App-Token": token} if token else {}
        self._metadata: dict[str, Any] | None = None

    def request(self) -> dict[str, Any]:
        return {**super().request(), "where": self.where}

    def metadata(self, fresh: bool = False) -> dict[str, Any]:
        if self._metadata is None or fresh:
            url = f"{self.target.url}/api/views/{self.target.dataset}.json"
            self._metadata = self.http.get_json(url, self.what, headers=self.headers, check=_check_dict)
        return self._metadata

    def version(self, fresh: bool = False) -> dict[str, Any]:
        # rowsUpdatedAt moves when rows change; viewLastModified also moves on edits of the description
        stamp = self.metadata(fresh).get("rowsUpdatedAt")
        return {"rowsUpdatedAt": stamp} if stamp is not None else {}

    def types(self) -> dict[str, str]:
        return {c["fieldName"]: c.get("dataTypeName", "") for c in self._columns()}

    def _columns(self) -> list[dict[str, Any]]:
        columns = self.metadata().get("columns") or []
        return [c for c in columns if c.get("fieldName") and "hidden" not in (c.get("flags") or [])]

    def filters_dates(self, column: str) -> bool:
        return self.types().get(column) in DATE_TYPES

    def _get(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        rows = self.http.get_json(self.resource, self.what, params, headers=self.headers, check=_check_list)
        return cast("list[dict[str, Any]]", rows)

    def count(self) -> int:
        return self.count_where(self.where)

    def count_where(self, where: str) -> int:
        params = {"$select": "count(*)", **({"$where": where} if where else {})}
        rows = self._get(params)
        # [{"count": "12345"}]: a string, and some datasets name it count_1
        return int(next(iter(rows[0].values()))) if rows and rows[0] else 0

    def download(self, since: str | None = None, previous: dict[str, Any] | None = None) -> Download:
        where = self.where
        if since is not None and self.source.date_field:
            column = self.source.date_field
            where = all_of(where, f"{column} >= {quote_sql(since)} OR {column} IS NULL")
        before = self.version()
        total = self.count_where(where)
        params: dict[str, Any] = {"$select": ":id, *", "$order": ":id", "$limit": self.page_size}
        if where:
            params["$where"] = where
        rows, pages = Rows([c["fieldName"] for c in self._columns()], self.incoming), 0
        with progress(f"{self.source.topic}: {self.target.dataset}", total) as bar:
            # The end is an empty page: a page shorter than asked does not prove there is no more.
            while page := self._get({**params, "$offset": rows.count}):
                rows.add(text_frame(page))
                pages += 1
                bar.update(len(page))
                bar.set_postfix(pages=pages)
        if ":id" in rows.columns:  # 2.0 endpoints do not send it; then there is no key to check rows by
            rows.columns = [":id", *(c for c in rows.columns if c != ":id")]
            path = self.settle(rows, where, before)
        else:
            path = rows.write(self.incoming / "rows.parquet", None)
        query = {"endpoint": self.resource, **params, "pages": pages}
        return Download(pd.DataFrame(), query, since=since, types=self.types(), parquet=path)

    def lists_edits(self) -> bool:
        return True

    def edited_since(self, previous: dict[str, Any], before: str) -> pd.DataFrame | None:
        """Socrata stamps every row with :updated_at; rowsUpdatedAt is the newest of them when the snapshot
        was made. Rows stamped after it were added or edited since."""
        stamp, column = previous.get("rowsUpdatedAt"), self.source.date_field
        if stamp is None or not column:
            return None
        when = dt.datetime.fromtimestamp(int(stamp), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        where = all_of(self.where, f":updated_at > {quote_sql(when)}", f"{column} < {quote_sql(before)}")
        params: dict[str, Any] = {"$select": ":id, *", "$order": ":id", "$limit": self.page_size, "$where": where}
        rows = Rows([c["fieldName"] for c in self._columns()])
        while page := self._get({**params, "$offset": rows.count}):
            rows.add(text_frame(page))
        return rows.frame()

    def ids(self, where: str) -> list[str]:
        params: dict[str, Any] = {"$select": ":id", "$order": ":id", "$limit": self.page_size}
        if where:
            params["$where"] = where
        found: list[str] = []
        while page := self._get({**params, "$offset": len(found)}):
            found += [row[":id"] for row in page]
        return found

    def rows_with_ids(self, ids: list[str], where: str) -> pd.DataFrame:
        rows = Rows()
        for start in range(0, len(ids), IDS_PER_REQUEST):
            batch = ids[start : start + IDS_PER_REQUEST]
            wanted = f":id in({', '.join(quote_sql(i) for i in batch)})"
            params = {"$select": ":id, *", "$where": all_of(where, wanted), "$order": ":id", "$limit": len(batch)}
            rows.add(text_frame(self._get(params)))
        return rows.frame()


def _check_dict(body: Any) -> None:
    if not isinstance(body, dict):
        raise SourceError("the portal's answer about the dataset was not what Socrata sends; is this a Socrata portal?")


def _check_list(body: Any) -> None:
    if not isinstance(body, list):
        message = body.get("message") if isinstance(body, dict) else ""
        raise SourceError(f"Socrata answered with an error instead of rows: {message or body!r}")
