"""A fake ArcGIS REST layer (FeatureServer/0): layer info and /query, as ArcGIS Server 10.x answers them.

Quirks kept: dates are epoch milliseconds; "problem" holds codes of a coded-value domain; pages can be capped
below resultRecordCount without a word (exceededTransferLimit says more is left); servers without pagination
refuse resultOffset; errors come with HTTP 200 and an {"error": ...} body; geometry is in Web Mercator unless
outSR=4326 is asked for; a missing point is {"x": "NaN", "y": "NaN"}; an empty result has no "fields".
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from . import where
from .data import sample_rows
from .server import FakePortal, Reply, Request, json_reply

LAYER = "/arcgis/rest/services/Police/Police_Stops/FeatureServer/0"
PROBLEMS = {"suspicious": 1, "traffic": 2}
STRING_FIELDS = ("idNum", "MDC", "citationIssued", "personSearch", "vehicleSearch", "preRace", "race", "gender")
FIELDS: list[dict[str, Any]] = [
    {"name": "OBJECTID", "type": "esriFieldTypeOID", "alias": "OBJECTID", "domain": None},
    {"name": "idNum", "type": "esriFieldTypeString", "alias": "ID Number", "length": 20, "domain": None},
    {"name": "date", "type": "esriFieldTypeDate", "alias": "Date", "length": 8, "domain": None},
    {
        "name": "problem",
        "type": "esriFieldTypeSmallInteger",
        "alias": "Problem",
        "domain": {
            "type": "codedValue",
            "name": "Problem",
            "codedValues": [{"name": name, "code": code} for name, code in PROBLEMS.items()],
        },
    },
    *(
        {"name": name, "type": "esriFieldTypeString", "alias": name, "length": 50, "domain": None}
        for name in STRING_FIELDS[1:]
    ),
    {"name": "policePrecinct", "type": "esriFieldTypeInteger", "alias": "Precinct", "domain": None},
    {"name": "neighborhood", "type": "esriFieldTypeString", "alias": "Neighborhood", "length": 80, "domain": None},
]
ORDER = [f["name"] for f in FIELDS]
EDIT_FIELD = {"name": "EditDate", "type": "esriFieldTypeDate", "alias": "EditDate", "length": 8, "domain": None}


def epoch_ms(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp() * 1000)


def mercator(x: str, y: str) -> tuple[float, float]:
    lon, lat = float(x), float(y)
    return lon * 20037508.34 / 180, math.log(math.tan((90 + lat) * math.pi / 360)) * 6378137.0


class ArcGISFake(FakePortal):
    def __init__(
        self,
        rows: list[dict[str, str]] | None = None,
        *,
        max_record_count: int = 1000,
        page_cap: int | None = None,
        pagination: bool = True,
        edit_stamps: bool = True,
        says_more: bool = True,
        edit_dates: bool = False,
    ) -> None:
        super().__init__()
        self.max_record_count = max_record_count
        self.page_cap = page_cap  # pages hold at most this many features, whatever was asked
        self.pagination = pagination
        self.edit_stamps = edit_stamps
        self.says_more = says_more  # False: pages are capped without exceededTransferLimit, as some layers do
        # editor tracking: an EditDate field that the server sets on every insert and edit
        self.edit_dates = edit_dates
        self.fields = FIELDS + ([EDIT_FIELD] if edit_dates else [])
        self.order = [f["name"] for f in self.fields]
        self.last_edit = 1_700_000_000_000
        self.records: dict[int, dict[str, Any]] = {}  # OBJECTID -> attributes
        self.oids: list[int] = []  # in order
        self.next_oid = 1  # object ids are never used twice
        self.points: dict[int, tuple[str, str] | None] = {}
        self.encoded: dict[int, bytes] = {}
        for sample in sample_rows() if rows is None else rows:
            self.insert(sample, stamp=False)

    @property
    def layer_url(self) -> str:
        return self.url + LAYER

    # -- data changes
    def insert(self, sample: dict[str, str], stamp: bool = True, millis: int = 0) -> int:
        oid, self.next_oid = self.next_oid, self.next_oid + 1
        attributes: dict[str, Any] = {"OBJECTID": oid}
        for name in STRING_FIELDS:
            attributes[name] = sample[name] or None
        attributes["date"] = epoch_ms(sample["date"]) + millis if sample["date"] else None
        attributes["problem"] = PROBLEMS.get(sample["problem"])
        attributes["policePrecinct"] = int(sample["policePrecinct"]) if sample["policePrecinct"] else None
        attributes["neighborhood"] = sample["neighborhood"] or None
        if stamp:
            self.last_edit += 60_000
        if self.edit_dates:
            attributes["EditDate"] = self.last_edit
        self.records[oid] = attributes
        self.oids.append(oid)
        self.points[oid] = (sample["long"], sample["lat"]) if sample["lat"] and sample["long"] else None
        self._encode(oid)
        return oid

    def edit(self, oid: int, **changes: Any) -> None:
        """Change attributes of a feature, as an editor does: with editor tracking, its EditDate moves."""
        self.last_edit += 60_000
        self.records[oid].update(changes)
        if self.edit_dates:
            self.records[oid]["EditDate"] = self.last_edit
        self._encode(oid)

    def delete(self, oid: int) -> None:
        del self.records[oid], self.points[oid], self.encoded[oid]
        self.oids.remove(oid)
        self.last_edit += 60_000

    def _encode(self, oid: int) -> None:
        attributes = json.dumps({name: self.records[oid][name] for name in self.order}, separators=(",", ":"))
        point = self.points[oid]
        geometry = '{"x":"NaN","y":"NaN"}' if point is None else '{"x":' + point[0] + ',"y":' + point[1] + "}"
        self.encoded[oid] = ('{"attributes":' + attributes + ',"geometry":' + geometry + "}").encode()

    def expected(self) -> list[dict[str, str]]:
        """What a faithful client stores: dates as ISO text, labels for codes, the point as lat/lng."""
        labels = {code: name for name, code in PROBLEMS.items()}
        out = []
        for oid in self.oids:
            a = self.records[oid]
            row = {name: "" if a[name] is None else str(a[name]) for name in self.order}
            for name in ("date", "EditDate"):
                if a.get(name) is not None:
                    when = dt.datetime.fromtimestamp(a[name] // 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
                    row[name] = when + (f".{a[name] % 1000:03d}" if a[name] % 1000 else "")
            row["problem"] = labels.get(a["problem"], "")
            point = self.points[oid]
            row["lat"], row["lng"] = (point[1], point[0]) if point else ("", "")
            out.append(row)
        return out

    # -- answers
    def info(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "currentVersion": 10.91,
            "id": 0,
            "name": "Police_Stops",
            "type": "Feature Layer",
            "geometryType": "esriGeometryPoint",
            "objectIdField": "OBJECTID",
            "maxRecordCount": self.max_record_count,
            "standardMaxRecordCount": self.max_record_count,
            "advancedQueryCapabilities": {
                "supportsPagination": self.pagination,
                "supportsOrderBy": self.pagination,
                "supportsStatistics": True,
            },
            "supportedQueryFormats": "JSON, geoJSON, PBF",
            "fields": self.fields,
        }
        if self.edit_dates:
            info["editFieldsInfo"] = {"editDateField": "EditDate"}
        if self.edit_stamps:
            info["editingInfo"] = {"lastEditDate": self.last_edit}
        return info

    def handle(self, request: Request) -> Reply:
        if request.path.rstrip("/") == LAYER:
            return json_reply(json.dumps(self.info()).encode())
        if request.path == LAYER + "/query":
            return self.query(request.params)
        return _error(400, "Invalid URL", ["Service not found"])

    def query(self, p: dict[str, str]) -> Reply:
        if p.get("f") not in ("json", "pjson"):
            return _error(400, "The fake answers f=json only.")
        try:
            test = where.parse(p.get("where") or "1=1")
        except ValueError:
            return _error(400, "Unable to complete operation.", ["Unable to perform query operation."])
        oids = self.oids
        if p.get("objectIds"):
            wanted = {int(i) for i in p["objectIds"].split(",") if i.strip()}
            oids = [o for o in oids if o in wanted]
        if p.get("where") not in (None, "", "1=1"):
            oids = [o for o in oids if test(self.records[o])]
        if p.get("returnCountOnly") == "true":
            return json_reply(json.dumps({"count": len(oids)}).encode())
        if p.get("returnIdsOnly") == "true":
            return json_reply(json.dumps({"objectIdFieldName": "OBJECTID", "objectIds": oids}).encode())
        paging = "resultOffset" in p or "resultRecordCount" in p
        if paging and not self.pagination:
            return _error(400, "Pagination is not supported.")
        order = p.get("orderByFields", "")
        if order and order.split()[0] != "OBJECTID":
            return _error(400, "Unable to complete operation.", ["'Invalid field' parameter is invalid"])
        size = min(int(p.get("resultRecordCount") or self.max_record_count), self.max_record_count)
        size = min(size, self.page_cap or size)
        offset = int(p.get("resultOffset") or 0)
        page = oids[offset : offset + size]
        features = [self._feature(o, p.get("outSR")) for o in page]
        body = b'{"objectIdFieldName":"OBJECTID","uniqueIdField":{"name":"OBJECTID","isSystemMaintained":true},'
        body += b'"globalIdFieldName":"","geometryType":"esriGeometryPoint",'
        wkid = b"4326" if p.get("outSR") == "4326" else b"102100"
        body += b'"spatialReference":{"wkid":' + wkid + b',"latestWkid":' + wkid + b"},"
        if page:
            body += b'"fields":' + json.dumps(self.fields).encode() + b","
        body += b'"features":[' + b",".join(features) + b"]"
        if offset + len(page) < len(oids) and self.says_more:
            body += b',"exceededTransferLimit":true'
        return json_reply(body + b"}")

    def _feature(self, oid: int, out_sr: str | None) -> bytes:
        if out_sr == "4326" or self.points[oid] is None:
            return self.encoded[oid]
        x, y = mercator(*self.points[oid])  # type: ignore[misc]
        attributes = json.dumps({name: self.records[oid][name] for name in self.order}, separators=(",", ":"))
        return ('{"attributes":' + attributes + ',"geometry":' + json.dumps({"x": x, "y": y}) + "}").encode()


def _error(code: int, message: str, details: list[str] | None = None) -> Reply:
    """ArcGIS's way: HTTP 200, and the error in the body."""
    return json_reply(json.dumps({"error": {"code": code, "message": message, "details": details or []}}).encode())


def token_required() -> Reply:
    body = {
        "error": {"code": 499, "message": "Token Required", "messageCode": "GWM_0003", "details": ["Token Required"]}
    }
    return json_reply(json.dumps(body).encode())
