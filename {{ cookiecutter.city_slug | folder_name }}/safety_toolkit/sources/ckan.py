"""CKAN (Action API v3): a resource's rows from datastore_search, paged by _id until the total is reached.

The answer's _links.next is there even on the last page, so it is never followed: paging stops at an empty
page or when the rows read reach the total. A resource that is not in the datastore is downloaded as a file.
"""

from __future__ import annotations

import json
from typing import Any, cast

import pandas as pd

from ..config import Source
from .base import Client, Download, Rows, progress, text_frame
from .detect import Target
from .errors import SourceError
from .files import WebFile
from .web import Http

MAX_LIMIT = 32_000  # CKAN's ckan.datastore.search.rows_max default; larger limits are clamped silently
DATA_FORMATS = ("csv", "xlsx", "xls", "zip", "tsv")


class Ckan(Client):
    platform = "ckan"
    key = "_id"

    def __init__(self, target: Target, source: Source, http: Http) -> None:
        super().__init__(target, source, http)
        self.api = f"{target.url.rstrip('/')}/api/3/action"
        self.page_size = min(source.page_size or MAX_LIMIT, MAX_LIMIT)
        self._resource: dict[str, Any] | None = None
        self._fields: list[dict[str, Any]] | None = None
        if source.where and not isinstance(source.where, dict):
            raise SourceError(
                "CKAN's datastore filters by exact values only: write 'where' as 'column: value' lines, "
                "e.g. where: {year: '2020'}."
            )
        self.filters = json.dumps(source.where, sort_keys=True) if source.where else ""

    def action(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        body = self.http.get_json(f"{self.api}/{name}", self.what, params, check=_check_success, numbers_as_text=True)
        return cast("dict[str, Any]", body["result"])

    def resource(self, fresh: bool = False) -> dict[str, Any]:
        if self._resource is None or fresh:
            if self.target.kind == "resource":
                self._resource = self.action("resource_show", {"id": self.target.dataset})
            else:
                self._resource = self._pick(self.action("package_show", {"id": self.target.dataset}))
        return self._resource

    def _pick(self, package: dict[str, Any]) -> dict[str, Any]:
        """A dataset page names several resources; use the one that is data, or ask which."""
        resources = package.get("resources") or []
        in_store = [r for r in resources if _true(r.get("datastore_active"))]
        files = [r for r in resources if str(r.get("format", "")).lower() in DATA_FORMATS]
        for candidates in (in_store, files):
            if len(candidates) == 1:
                return cast("dict[str, Any]", candidates[0])
        choices = in_store or files or resources
        listing = "; ".join(f"{r.get('name') or r.get('id')}: {r.get('id')}" for r in choices[:20])
        raise SourceError(
            f"the dataset {self.target.dataset!r} has {len(choices)} resources ({listing}). Open the one to use "
            "on the portal and paste its address (it contains /resource/<id>) as 'location' in toolkit.yaml."
        )

    def version(self, fresh: bool = False) -> dict[str, Any]:
        resource = self.resource(fresh)
        stamp = resource.get("last_modified") or resource.get("metadata_modified")
        return {"last_modified": stamp} if stamp else {}

    def _search(self, limit: int, offset: int) -> dict[str, Any]:
        params: dict[str, Any] = {
            "resource_id": self.resource()["id"],
            "limit": limit,
            "offset": offset,
            "sort": "_id asc",
            "include_total": "true",
        }
        if self.filters:
            params["filters"] = self.filters
        return self.action("datastore_search", params)

    def types(self) -> dict[str, str]:
        if self._fields is None:
            self._fields = self._search(0, 0).get("fields") or [] if self._in_store() else []
        return {f["id"]: f.get("type", "") for f in self._fields if f["id"] != "_full_text"}

    def _in_store(self) -> bool:
        return _true(self.resource().get("datastore_active"))

    def count(self) -> int | None:
        return int(self._search(0, 0)["total"]) if self._in_store() else None

    def download(self, since: str | None = None, previous: dict[str, Any] | None = None) -> Download:
        if not self._in_store():
            url = self.resource().get("url") or ""
            if not url:
                raise SourceError("the resource has neither datastore rows nor a file to download.")
            file = WebFile(Target("file", url), self.source, self.http)
            file.incoming = self.incoming
            got = file.download(previous=previous)
            got.query = {"resource": self.resource()["id"], **got.query}
            return got
        rows, pages = Rows(list(self.types()), self.incoming), 0
        with progress(f"{self.source.topic}: {self.resource().get('name') or self.target.dataset}", None) as bar:
            while True:
                result = self._search(self.page_size, rows.count)
                records = result.get("records") or []
                total = int(result.get("total", 0))
                bar.total = total
                if not records:
                    break
                page = text_frame(records)
                rows.add(page.drop(columns=["_full_text"], errors="ignore"))
                pages += 1
                bar.update(len(records))
                bar.set_postfix(pages=pages)
                if rows.count >= total:
                    break
        distinct = rows.distinct(self.key) if self.key else rows.count
        if distinct != total:
            raise SourceError(
                f"{self.what}: read {distinct:,} distinct rows but the portal counts {total:,}; the data changed "
                "during the download. Try again in a few minutes."
            )
        query = {
            "endpoint": f"{self.api}/datastore_search",
            "resource_id": self.resource()["id"],
            "sort": "_id asc",
            "limit": self.page_size,
            "filters": self.filters,
            "pages": pages,
        }
        path = rows.write(self.incoming / "rows.parquet", self.key)
        return Download(pd.DataFrame(), query, types=self.types(), parquet=path)


def _true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _check_success(body: Any) -> None:
    if not isinstance(body, dict) or "result" not in body:
        raise SourceError("the portal's answer is not what CKAN sends; is this a CKAN portal?")
    if body.get("success") is False:
        error = body.get("error") or {}
        raise SourceError(f"CKAN answered with an error: {error.get('message') or error}")
