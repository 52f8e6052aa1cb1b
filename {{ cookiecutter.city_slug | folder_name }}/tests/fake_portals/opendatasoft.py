"""A fake Opendatasoft portal (Explore API v2.1): dataset metadata, /records and the CSV export.

Quirks kept: /records refuses limit > 100 and offset + limit > 10,000 with HTTP 400; the export has no row
limit, is separated by ";" and is streamed without a Content-Length.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from . import where
from .data import sample_rows
from .server import FakePortal, Reply, Request, json_reply

DATASET = "police-stop-data"
API = f"/api/explore/v2.1/catalog/datasets/{DATASET}"
NAMES = {"idNum": "idnum", "date": "date", "problem": "problem", "race": "race", "gender": "gender"}


class OpendatasoftFake(FakePortal):
    def __init__(self, rows: list[dict[str, str]] | None = None, *, chunk_rows: int = 500) -> None:
        super().__init__()
        self.chunk_rows = chunk_rows
        self.modified = "2024-03-01T10:00:00+00:00"
        self.records: list[dict[str, Any]] = []
        for sample in sample_rows() if rows is None else rows:
            self.insert(sample, stamp=False)

    def insert(self, sample: dict[str, str], stamp: bool = True) -> None:
        record: dict[str, Any] = {new: sample[old] or None for old, new in NAMES.items()}
        record["date"] = sample["date"].replace(" ", "T") + "+00:00"
        record["geo_point_2d"] = {"lon": float(sample["long"]), "lat": float(sample["lat"])}
        self.records.append(record)
        if stamp:
            self.modified = "2024-03-02T10:00:00+00:00"

    def expected(self) -> list[dict[str, str]]:
        out = []
        for r in self.records:
            row = {name: r[name] or "" for name in NAMES.values()}
            row["geo_point_2d"] = f"{r['geo_point_2d']['lat']}, {r['geo_point_2d']['lon']}"
            out.append(row)
        return out

    def handle(self, request: Request) -> Reply:
        p = request.params
        if request.path == API:
            return json_reply(json.dumps(self.metadata()).encode())
        try:
            rows = [r for r in self.records if where.parse(p.get("where", ""))(r)]
        except ValueError as err:
            return _error(f"ODSQL query is malformed: {err}")
        if request.path == API + "/records":
            limit, offset = int(p.get("limit", 10)), int(p.get("offset", 0))
            if not -1 <= limit <= 100:
                return _error(
                    f"Invalid value for limit API parameter: {limit} was found but -1 <= limit <= 100 is expected."
                )
            if offset + limit > 10000:
                return _error(
                    f"Invalid value for offset API parameter: {offset} was found but 0 <= offset < 10000 - limit is "
                    "expected. Use the exports endpoint to download all records."
                )
            return json_reply(json.dumps({"total_count": len(rows), "results": rows[offset : offset + limit]}).encode())
        if request.path == API + "/exports/csv":
            return Reply(200, headers={"Content-Type": "text/csv; charset=utf-8"}, chunks=self._csv(rows, p))
        return json_reply(json.dumps({"error_code": "NotFound", "message": "Unknown dataset"}).encode(), 404)

    def metadata(self) -> dict[str, Any]:
        fields = [{"name": name, "label": name.title(), "type": "text"} for name in NAMES.values()]
        fields[1]["type"] = "datetime"
        fields.append({"name": "geo_point_2d", "label": "Geo Point", "type": "geo_point_2d"})
        metas = {"title": "Police Stop Data", "modified": self.modified, "data_processed": self.modified}
        return {
            "dataset_id": DATASET,
            "has_records": True,
            "fields": fields,
            "metas": {"default": {**metas, "records_count": len(self.records)}},
        }

    def _csv(self, rows: list[dict[str, Any]], p: dict[str, str]) -> list[bytes]:
        delimiter = p.get("delimiter", ";")
        chunks = []
        for start in range(0, max(len(rows), 1), self.chunk_rows):
            out = io.StringIO()
            writer = csv.writer(out, delimiter=delimiter)
            if start == 0:
                writer.writerow([*NAMES.values(), "geo_point_2d"])
            for r in rows[start : start + self.chunk_rows]:
                point = f"{r['geo_point_2d']['lat']}, {r['geo_point_2d']['lon']}"
                writer.writerow([r[name] or "" for name in NAMES.values()] + [point])
            chunks.append(out.getvalue().encode("utf-8"))
        return chunks


def _error(message: str) -> Reply:
    body = {"error_code": "InvalidRESTParameterError", "message": message}
    return json_reply(json.dumps(body).encode(), 400)
