"""ArcGIS REST layers (FeatureServer / MapServer): paged queries, with dates, coded values and points made readable.

Pages advance by the number of features returned, never by the number asked for: servers cap pages silently.
Layers without pagination are read in chunks of object ids. Errors often come back with HTTP 200 and an
{"error": ...} body; they are turned into retries or clear messages here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ..config import Source
from .base import Client, Download, Rows, all_of, progress, where_clause
from .detect import Target
from .errors import SourceError
from .web import Http, Transient

DATE = "esriFieldTypeDate"  # epoch milliseconds
DEFAULT_MAX_RECORDS = 1000  # 10.0 servers do not say; 1000 is their usual limit
TOKEN_CODES = {"498", "499", "401", "403"}


class ArcGIS(Client):
    platform = "arcgis"

    def __init__(self, target: Target, source: Source, http: Http) -> None:
        super().__init__(target, source, http)
        self.where = all_of(target.where, where_clause(source.where))
        self._info: dict[str, Any] | None = None
        self.page_cap: int | None = None  # rows per page the server really sends, when fewer than it allows

    def request(self) -> dict[str, Any]:
        return {**super().request(), "where": self.where}

    def info(self, fresh: bool = False) -> dict[str, Any]:
        if self._info is None or fresh:
            self._info = self.http.get_json(self.target.url, self.what, {"f": "json"}, check=_check_error)
            if not isinstance(self._info.get("fields"), list):
                raise SourceError(
                    f"{self.target.url} is not a layer with fields (it may be a group layer or a service). "
                    "Use the address of the layer that holds the records, ending in /FeatureServer/<number>."
                )
        return self._info

    @property
    def key(self) -> str | None:  # type: ignore[override]
        info = self.info()
        return info.get("objectIdField") or next(
            (f["name"] for f in info["fields"] if f.get("type") == "esriFieldTypeOID"), None
        )

    def version(self, fresh: bool = False) -> dict[str, Any]:
        stamp = (self.info(fresh).get("editingInfo") or {}).get("lastEditDate")
        return {"lastEditDate": stamp} if stamp is not None else {}

    def types(self) -> dict[str, str]:
        return {f["name"]: str(f.get("type", "")).removeprefix("esriFieldType") for f in self.info()["fields"]}

    def filters_dates(self, column: str) -> bool:
        return any(f["name"] == column and f.get("type") == DATE for f in self.info()["fields"])

    def _edit_field(self) -> str | None:
        """The date field that editor tracking sets on every insert and edit, where the layer has one."""
        name = (self.info().get("editFieldsInfo") or {}).get("editDateField")
        return name if any(f["name"] == name and f.get("type") == DATE for f in self.info()["fields"]) else None

    def lists_edits(self) -> bool:
        return self._edit_field() is not None and bool(self.source.date_field)

    def edited_since(self, previous: dict[str, Any], before: str) -> pd.DataFrame | None:
        """Features dated before `before` whose edit date is after the layer's last edit when the snapshot was
        made: the ones added or edited since."""
        stamp, edit_field, column = previous.get("lastEditDate"), self._edit_field(), self.source.date_field
        if stamp is None or edit_field is None or not column:
            return None
        after = dt.datetime.fromtimestamp(int(stamp) / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        older = before[:19].replace("T", " ")
        where = all_of(self.where, f"{edit_field} > TIMESTAMP '{after}'", f"{column} < TIMESTAMP '{older}'")
        return self.rows_with_ids(self.ids(where), where)

    def _query(self, params: dict[str, Any], post: bool = False) -> dict[str, Any]:
        url = f"{self.target.url}/query"
        params = {"f": "json", **params}
        body = self.http.get_json(url, self.what, params, check=_check_error, numbers_as_text=True, post=post)
        if not isinstance(body, dict):
            raise Transient("ArcGIS sent something other than a query result")
        return body

    def count(self) -> int:
        return self.count_where(self.where or "1=1")

    def count_where(self, where: str) -> int:
        return int(self._query({"where": where or "1=1", "returnCountOnly": "true"})["count"])

    def ids(self, where: str) -> list[str]:
        body = self._query({"where": where or "1=1", "returnIdsOnly": "true"})
        return sorted((str(i) for i in body.get("objectIds") or []), key=int)

    @property
    def page_size(self) -> int:
        largest = int(self.info().get("maxRecordCount") or DEFAULT_MAX_RECORDS)
        return min(self.source.page_size or largest, largest)

    def _base_params(self) -> dict[str, Any]:
        geometry = self.info().get("type") != "Table" and bool(self.info().get("geometryType"))
        return {"outFields": "*", "outSR": "4326", "returnGeometry": "true" if geometry else "false"}

    def download(self, since: str | None = None, previous: dict[str, Any] | None = None) -> Download:
        where = self.where
        if since is not None and self.source.date_field:
            since = since[:19]  # ArcGIS timestamps in queries go to the second
            literal = since.replace("T", " ")
            column = self.source.date_field
            where = all_of(where, f"{column} >= TIMESTAMP '{literal}' OR {column} IS NULL")
        where = where or "1=1"
        before = self.version()
        total = self.count_where(where)
        paged = bool((self.info().get("advancedQueryCapabilities") or {}).get("supportsPagination"))
        rows = Rows(self._columns(), self.incoming)
        with progress(f"{self.source.topic}: {self.info().get('name', 'layer')}", total) as bar:
            if paged:
                pages = self._by_offset(where, rows, bar, total)
            else:
                pages = self._by_ids(self.ids(where), where, rows, bar)
        # Without a version stamp a deleted row could hide a skipped one behind a matching count: compare keys.
        path = self.settle(rows, where, before, check_ids=not before)
        query = {
            "endpoint": f"{self.target.url}/query",
            "where": where,
            **self._base_params(),
            "paging": "offset" if paged else "object ids",
            "page_size": self.page_size,
            "pages": pages,
        }
        if self.page_cap:
            query["page_cap"] = (
                f"the layer sent at most {self.page_cap:,} rows per page, fewer than the {self.page_size:,} it "
                "allows, without saying more were left; the pages were followed until every row was in"
            )
        return Download(pd.DataFrame(), query, since=since, types=self.types(), parquet=path)

    def _by_offset(self, where: str, rows: Rows, bar: Any, total: int) -> int:
        """Pages by offset. A page ends the download when it is empty, or when the server says nothing is left
        and the count is reached: some layers cap pages below maxRecordCount without exceededTransferLimit."""
        self.page_cap = None  # found again at each download
        params = {
            "where": where,
            **self._base_params(),
            "orderByFields": f"{self.key} ASC",
            "resultRecordCount": self.page_size,
        }
        pages = 0
        while True:
            body = self._query({**params, "resultOffset": rows.count})
            features = body.get("features") or []
            if not features:
                break
            rows.add(self._frame(features))
            pages += 1
            bar.update(len(features))
            bar.set_postfix(pages=pages)
            if not _exceeded(body):
                if rows.count >= total:
                    break
                if len(features) < self.page_size:
                    self.page_cap = max(self.page_cap or 0, len(features))  # capped silently: go on
        return pages

    def _by_ids(self, ids: list[str], where: str, rows: Rows, bar: Any = None) -> int:
        pages = 0
        for start in range(0, len(ids), self.page_size):
            pending = ids[start : start + self.page_size]
            while pending:
                body = self._query({**self._base_params(), "objectIds": ",".join(pending)}, post=True)
                features = body.get("features") or []
                rows.add(self._frame(features))
                pages += 1
                if bar is not None:
                    bar.update(len(features))
                    bar.set_postfix(pages=pages)
                if not features:
                    break  # the ids left were deleted meanwhile
                # the server sent fewer than asked for (with or without saying so): ask for the ids it left out
                got = {str((f.get("attributes") or {}).get(self.key)) for f in features}
                pending = [i for i in pending if i not in got]
        return pages

    def rows_with_ids(self, ids: list[str], where: str) -> pd.DataFrame:
        rows = Rows(self._columns())
        self._by_ids(ids, where, rows)
        return rows.frame()

    def _geometry_columns(self) -> tuple[str, str] | None:
        if self._base_params()["returnGeometry"] != "true":
            return None
        names = {f["name"].lower() for f in self.info()["fields"]}
        return ("lat", "lng") if not {"lat", "lng"} & names else ("geometry_lat", "geometry_lng")

    def _columns(self) -> list[str]:
        return [f["name"] for f in self.info()["fields"]] + list(self._geometry_columns() or ())

    def _frame(self, features: list[dict[str, Any]]) -> pd.DataFrame:
        """Features as text: dates as ISO timestamps (UTC, as the server sends them), codes as their labels."""
        frame = pd.DataFrame.from_records([f.get("attributes") or {} for f in features])
        for field in self.info()["fields"]:
            name = field["name"]
            if name not in frame.columns:
                continue
            if field.get("type") == DATE:
                frame[name] = epoch_ms_to_text(frame[name])
            labels = _labels(field)
            if labels:
                frame[name] = frame[name].map(lambda v, labels=labels: labels.get(v, v), na_action="ignore")
        geometry = self._geometry_columns()
        if geometry:
            points = [f.get("geometry") or {} for f in features]
            frame[geometry[0]] = _coordinates([p.get("y") for p in points])
            frame[geometry[1]] = _coordinates([p.get("x") for p in points])
        return frame.fillna("").astype("str")


def epoch_ms_to_text(values: pd.Series) -> pd.Series:
    """1428404675000 -> "2015-04-07T11:04:35"; milliseconds are kept when there are any."""
    numbers = pd.to_numeric(values, errors="coerce")
    stamps = pd.to_datetime(numbers, unit="ms", errors="coerce")
    text = stamps.dt.strftime("%Y-%m-%dT%H:%M:%S")
    millis = (numbers % 1000).fillna(0).astype("int64")
    with_ms = millis != 0
    text = text.where(~with_ms, text + "." + millis.astype("str").str.zfill(3))
    # a date beyond what pandas can hold (such as 9999-12-31) stays the number the server sent
    return text.where(stamps.notna(), values.where(numbers.notna(), "").astype("str"))


def _labels(field: dict[str, Any]) -> dict[str, str]:
    """Coded-value domain: the code as text (as the query answer holds it) -> its label."""
    domain = field.get("domain") or {}
    if domain.get("type") != "codedValue":
        return {}
    return {str(c.get("code")): str(c.get("name")) for c in domain.get("codedValues") or []}


def _coordinates(values: list[Any]) -> pd.Series:
    """x or y as sent; a missing point ({"x": "NaN"}, null or no geometry) is blank."""
    text = pd.Series(values, dtype="object").fillna("").astype("str")
    return text.where(~text.str.lower().isin(["nan", "none", "null"]), "")


def _exceeded(body: dict[str, Any]) -> bool:
    flag = body.get("exceededTransferLimit")
    if flag is None:
        flag = (body.get("properties") or {}).get("exceededTransferLimit")  # f=geojson puts it here
    return flag is True or str(flag).lower() == "true"


def _check_error(body: Any) -> None:
    """ArcGIS reports errors with HTTP 200 and {"error": {"code", "message", "details"}}."""
    if not isinstance(body, dict) or "error" not in body:
        return
    error = body["error"] if isinstance(body["error"], dict) else {"message": str(body["error"])}
    code = str(error.get("code", ""))
    message = str(error.get("message") or "")
    details = "; ".join(str(d) for d in error.get("details") or [] if str(d) != message)
    said = message + (f" ({details})" if details else "")
    if code in TOKEN_CODES or "token" in said.lower():
        raise SourceError(
            f"the layer now asks for a login ({said}, code {code}). The publisher made it private or moved it: "
            "look for the dataset's public address on the city's portal and update 'location' in toolkit.yaml."
        )
    if code in ("500", "502", "503", "504") or message.startswith("Unable to complete"):
        raise Transient(f"ArcGIS could not complete the query ({said}, code {code})")
    raise SourceError(
        f"ArcGIS refused the query: {said} (code {code}). Check 'where' and 'date_field' for this source "
        "in toolkit.yaml against the layer's field names."
    )
