"""A fake Carto SQL API v2 (/api/v2/sql?q=...&format=json) over one table.

Quirks kept: {"rows", "time", "fields", "total_rows"}; the_geom is hex WKB; a query that fails after rows
started streaming still answers HTTP 200 with "error" appended; errors are {"error": ["..."]}; throttling is
HTTP 429 with Retry-After.
"""

from __future__ import annotations

import json
import re
import struct
from typing import Any

from . import where
from .data import sample_rows
from .server import FakePortal, Reply, Request, json_reply

TABLE = "car_ped_stops"
QUERY = re.compile(
    r"^SELECT (?P<select>.+?) FROM (?P<table>\w+)(?: WHERE (?P<where>.+?))?(?: ORDER BY (?P<order>\w+))?"
    r"(?: LIMIT (?P<limit>\d+))?$",
    re.I | re.S,
)
FIELDS = {
    "cartodb_id": {"type": "number", "pgtype": "int4"},
    "the_geom": {"type": "geometry", "wkbtype": "Point", "dims": 2, "srid": 4326},
    "objectid": {"type": "string", "pgtype": "text"},
    "datetimeoccur": {"type": "date", "pgtype": "timestamptz"},
    "stoptype": {"type": "string", "pgtype": "text"},
    "race": {"type": "string", "pgtype": "text"},
    "gender": {"type": "string", "pgtype": "text"},
    "lat": {"type": "number", "pgtype": "float8"},
    "lng": {"type": "number", "pgtype": "float8"},
}
TIMEOUT = "canceling statement due to statement timeout"


def wkb_hex(lng: float, lat: float) -> str:
    """A point as PostGIS shows it: extended WKB, little-endian, SRID 4326."""
    return (struct.pack("<BII", 1, 0x20000001, 4326) + struct.pack("<dd", lng, lat)).hex().upper()


class CartoFake(FakePortal):
    path = "/api/v2/sql"

    def __init__(self, rows: list[dict[str, str]] | None = None) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.last_id = 0
        for sample in sample_rows() if rows is None else rows:
            self.insert(sample)

    def insert(self, sample: dict[str, str]) -> int:
        self.last_id += 1  # a serial column: ids only grow
        cid = self.last_id
        lat, lng = float(sample["lat"]), float(sample["long"])
        self.rows.append(
            {
                "cartodb_id": cid,
                "the_geom": wkb_hex(lng, lat),
                "objectid": sample["idNum"],
                "datetimeoccur": sample["date"].replace(" ", "T") + "Z",
                "stoptype": sample["problem"],
                "race": sample["race"] or None,
                "gender": sample["gender"] or None,
                "lat": lat,
                "lng": lng,
            }
        )
        return cid

    def delete(self, cid: int) -> None:
        self.rows = [r for r in self.rows if r["cartodb_id"] != cid]

    def expected(self) -> list[dict[str, str]]:
        return [{k: "" if v is None else str(v) for k, v in r.items()} for r in self.rows]

    def handle(self, request: Request) -> Reply:
        if request.path != self.path:
            return _error(404, "not found")
        match = QUERY.match(request.params.get("q", "").strip())
        if not match or match["table"] != TABLE:
            return _error(400, f'syntax error at or near "{request.params.get("q", "")[:20]}"')
        try:
            test = where.parse(match["where"] or "")
        except ValueError as err:
            return _error(400, f"syntax error: {err}")
        rows = [r for r in self.rows if test(r)]
        if match["order"]:
            rows.sort(key=lambda r: r[match["order"]])
        if match["limit"] is not None:
            rows = rows[: int(match["limit"])]
        select = match["select"].strip()
        if select.lower() == "count(*) as n":
            return self.answer([{"n": len(rows)}], {"n": {"type": "number"}})
        if select == "*":
            return self.answer(rows, FIELDS)
        names = [n.strip() for n in select.split(",")]
        if not set(names) <= set(FIELDS):
            return _error(400, f"column does not exist: {select}")
        return self.answer([{n: r[n] for n in names} for r in rows], {n: FIELDS[n] for n in names})

    def answer(self, rows: list[dict[str, Any]], fields: dict[str, Any], error: str = "") -> Reply:
        body: dict[str, Any] = {"rows": rows, "time": 0.007, "fields": fields, "total_rows": len(rows)}
        if error:
            body["error"] = [error]
        return json_reply(json.dumps(body).encode())

    def failing_midway(self, request: Request) -> Reply:
        """The answer when the statement times out after half the rows went out: still HTTP 200."""
        full = json.loads(self.handle(request).body)
        return self.answer(full["rows"][: len(full["rows"]) // 2], full["fields"], TIMEOUT)


def _error(status: int, message: str) -> Reply:
    return json_reply(json.dumps({"error": [message]}).encode(), status)


def throttled() -> Reply:
    body = {
        "error": ["You are over platform's limits: SQL query timeout error."],
        "context": "limit",
        "detail": "datasource",
    }
    return json_reply(json.dumps(body).encode(), 429, **{"Retry-After": "2"})
