"""A fake CKAN portal: package_show, resource_show and datastore_search (Action API v3).

Quirks kept: a limit above the maximum is clamped silently (the answer's "limit" shows it); "_links.next" is
there even on the last page; numeric columns are JSON numbers; errors are {"success": false, "error": {...}}.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from .data import sample_rows
from .server import FakePortal, Reply, Request, json_reply

RESOURCE = "6e5ae3b7-1a8f-4c5e-9f3e-2b1c0d9a8e7f"
PACKAGE = "police-stop-data"
NUMERIC = {"lat", "long"}
INTEGER = {"policePrecinct"}
HELP = "https://ckan.example/api/3/action/help_show?name=datastore_search"


class CkanFake(FakePortal):
    def __init__(
        self, rows: list[dict[str, str]] | None = None, *, max_limit: int = 32000, in_datastore: bool = True
    ) -> None:
        super().__init__()
        self.max_limit = max_limit
        self.in_datastore = in_datastore
        self.last_modified = "2024-03-01T10:00:00.000000"
        self.records: list[dict[str, Any]] = []
        self.file_url = ""  # where a resource outside the datastore is downloaded from
        for sample in sample_rows() if rows is None else rows:
            self.insert(sample, stamp=False)

    def insert(self, sample: dict[str, str], stamp: bool = True) -> None:
        record: dict[str, Any] = {"_id": len(self.records) + 1}
        for name, value in sample.items():
            if value == "":
                record[name] = None
            elif name in NUMERIC:
                record[name] = float(value)  # a JSON number
            elif name in INTEGER:
                record[name] = int(value)
            else:
                record[name] = value.replace(" ", "T") if name == "date" else value
        self.records.append(record)
        if stamp:
            self.last_modified = "2024-03-02T10:00:00.000000"

    def expected(self) -> list[dict[str, str]]:
        return [{name: "" if value is None else str(value) for name, value in r.items()} for r in self.records]

    def fields(self) -> list[dict[str, str]]:
        names = list(self.records[0]) if self.records else ["_id"]
        kinds = {"_id": "int", "date": "timestamp"}
        kinds |= {**dict.fromkeys(NUMERIC, "numeric"), **dict.fromkeys(INTEGER, "int4")}
        return [{"id": name, "type": kinds.get(name, "text")} for name in names]

    def resource(self) -> dict[str, Any]:
        return {
            "id": RESOURCE,
            "package_id": PACKAGE,
            "name": "Police Stop Data",
            "format": "CSV",
            "url": self.file_url or f"{self.url}/dataset/{PACKAGE}/resource/{RESOURCE}/download/stops.csv",
            "datastore_active": self.in_datastore,
            "last_modified": self.last_modified,
            "metadata_modified": self.last_modified,
        }

    def handle(self, request: Request) -> Reply:
        action = request.path.removeprefix("/api/3/action/")
        p = request.params
        if action == "package_show":
            if p.get("id") != PACKAGE:
                return _not_found("Dataset")
            other = {**self.resource(), "id": "00000000-0000-0000-0000-000000000000", "format": "PDF"}
            other.update(name="Data dictionary", datastore_active=False)
            return _ok({"name": PACKAGE, "id": "pkg-1", "resources": [self.resource(), other]})
        if action == "resource_show":
            return _ok(self.resource()) if p.get("id") == RESOURCE else _not_found("Resource")
        if action == "datastore_search":
            if p.get("resource_id") != RESOURCE or not self.in_datastore:
                return _not_found("Resource")
            return self.search(p)
        return _not_found("Action")

    def search(self, p: dict[str, str]) -> Reply:
        limit = min(int(p.get("limit", 100)), self.max_limit)  # clamped, silently
        offset = int(p.get("offset", 0))
        records = self.records
        if p.get("filters"):
            filters = json.loads(p["filters"])
            records = [r for r in records if all(str(r.get(k)) == str(v) for k, v in filters.items())]
        if p.get("sort") not in (None, "_id asc", "_id"):
            return _error(409, "Validation Error", {"sort": ["field not in fields"]})
        start = f"/api/3/action/datastore_search?{urlencode({'resource_id': RESOURCE, 'limit': p.get('limit', 100)})}"
        result = {
            "include_total": True,
            "limit": limit,
            "records_format": "objects",
            "resource_id": RESOURCE,
            "total_estimation_threshold": None,
            "records": records[offset : offset + limit],
            "fields": self.fields(),
            "sort": "_id asc",
            "_links": {"start": start, "next": f"{start}&offset={offset + limit}"},  # even on the last page
            "total": len(records),
            "total_was_estimated": False,
        }
        if offset:
            result["offset"] = offset
        return _ok(result, help_url=HELP)


def _ok(result: Any, help_url: str = HELP) -> Reply:
    return json_reply(json.dumps({"help": help_url, "success": True, "result": result}).encode())


def _error(status: int, kind: str, message: Any) -> Reply:
    body = {"help": HELP, "success": False, "error": {"__type": kind, "message": message}}
    return json_reply(json.dumps(body).encode(), status)


def _not_found(what: str) -> Reply:
    return _error(404, "Not Found Error", f"Not found: {what} was not found.")
