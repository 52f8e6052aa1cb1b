"""A fake Socrata portal: /api/views/<id>.json and /resource/<id>.json, as SODA 2.1 answers them.

Quirks kept: every number is a string; a null field is left out of its row; the body is "[{...}\\n,{...}]\\n";
results have no order unless $order is given (rows come in storage order, and an added row lands in the
middle of it); the count is [{"count":"N"}]; errors have Socrata's JSON shapes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import email.utils
import hashlib
import json
import re
from typing import Any

from . import where
from .data import sample_rows
from .server import FakePortal, Reply, Request, json_reply

TYPES = {
    "idnum": "text",
    "date": "calendar_date",
    "problem": "text",
    "mdc": "text",
    "citationissued": "text",
    "personsearch": "text",
    "vehiclesearch": "text",
    "prerace": "text",
    "race": "text",
    "gender": "text",
    "lat": "number",
    "long": "number",
    "policeprecinct": "number",
    "neighborhood": "text",
    "location": "point",
}


def row_id(seed: str) -> str:
    """Socrata row ids look like row-22d9~xcqz.rbcq and do not follow the order rows were added in."""
    h = hashlib.sha1(seed.encode()).hexdigest()
    return f"row-{h[:4]}~{h[4:8]}.{h[8:12]}"


def published(sample: dict[str, str]) -> dict[str, Any]:
    """A sample row as Socrata holds it: lower-case field names, floating timestamps, a point."""
    row: dict[str, Any] = {}
    for name, value in sample.items():
        if value != "":
            row[name.lower()] = value.replace(" ", "T") + ".000" if name == "date" else value
    if sample.get("lat") and sample.get("long"):
        row["location"] = {"type": "Point", "coordinates": [sample["long"], sample["lat"]]}  # numbers, in JSON
    return row


def _json(row: dict[str, Any]) -> bytes:
    parts = []
    for name, value in row.items():
        if isinstance(value, dict):  # the point: coordinates are JSON numbers, written as published
            x, y = value["coordinates"]
            parts.append(json.dumps(name) + ':{"type":"Point","coordinates":[' + f"{x},{y}" + "]}")
        else:
            parts.append(f"{json.dumps(name)}:{json.dumps(value, ensure_ascii=False)}")
    return ",".join(parts).encode("utf-8")


class SocrataFake(FakePortal):
    def __init__(
        self,
        rows: list[dict[str, str]] | None = None,
        *,
        dataset: str = "abcd-1234",
        page_cap: int | None = None,
        count_name: str = "count",
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.page_cap = page_cap  # the most rows a page holds, whatever $limit asks
        self.count_name = count_name
        self.rows_updated_at = 1_700_000_000
        self.values: dict[str, dict[str, Any]] = {}
        self.encoded: dict[str, bytes] = {}
        self.by_id: list[str] = []  # $order=:id
        self.stored: list[tuple[str, str]] = []  # storage order: (hash, id)
        self.updated: dict[str, int] = {}  # :updated_at of each row, epoch seconds
        for sample in sample_rows() if rows is None else rows:  # in bulk: sorted once at the end
            rid = row_id(sample["idNum"])
            self.values[rid] = published(sample)
            self.encoded[rid] = _json(self.values[rid])
            self.updated[rid] = self.rows_updated_at
        self.by_id = sorted(self.values)
        self.stored = sorted((hashlib.md5(rid.encode()).hexdigest(), rid) for rid in self.values)

    # -- data changes, as a publisher makes them
    def _put(self, rid: str, row: dict[str, Any]) -> None:
        if rid not in self.values:
            bisect.insort(self.by_id, rid)
            bisect.insort(self.stored, (hashlib.md5(rid.encode()).hexdigest(), rid))
        self.values[rid] = row
        self.encoded[rid] = _json(row)

    def insert(self, sample: dict[str, str], rid: str | None = None) -> str:
        rid = rid or row_id(sample["idNum"] + "-new")
        self.rows_updated_at += 60
        self._put(rid, published(sample))
        self.updated[rid] = self.rows_updated_at
        return rid

    def edit(self, rid: str, **changes: str) -> None:
        """Change fields of a row, as a publisher correcting a record does: its :updated_at moves."""
        self.rows_updated_at += 60
        self._put(rid, {**self.values[rid], **changes})
        self.updated[rid] = self.rows_updated_at

    def delete(self, rid: str) -> None:
        del self.values[rid], self.encoded[rid], self.updated[rid]
        self.by_id.remove(rid)
        self.stored.remove((hashlib.md5(rid.encode()).hexdigest(), rid))
        self.rows_updated_at += 60

    def expected(self) -> list[dict[str, str]]:
        """Every row as a faithful client must store it: text, :id first, blanks for left-out fields."""
        out = []
        for rid in self.by_id:
            row = {":id": rid, **dict.fromkeys(TYPES, "")}
            for name, value in self.values[rid].items():
                row[name] = (
                    f"POINT ({value['coordinates'][0]} {value['coordinates'][1]})" if name == "location" else value
                )
            out.append(row)
        return out

    # -- answers
    def handle(self, request: Request) -> Reply:
        if request.path == f"/api/views/{self.dataset}.json":
            return json_reply(json.dumps(self.metadata()).encode())
        match = re.fullmatch(r"/resource/([a-z0-9]{4}-[a-z0-9]{4})\.json", request.path)
        if not match or match[1] != self.dataset:
            missing = {"code": "dataset.missing", "error": True, "message": "Not found", "data": {"id": self.dataset}}
            return json_reply(json.dumps(missing).encode(), 404)
        return self.query(request.params)

    def metadata(self) -> dict[str, Any]:
        return {
            "id": self.dataset,
            "name": "Police Stop Data",
            "assetType": "dataset",
            "rowsUpdatedAt": self.rows_updated_at,
            "viewLastModified": self.rows_updated_at + 5,
            "columns": [
                {"id": 1000 + i, "name": name.title(), "fieldName": name, "position": i + 1, "dataTypeName": kind}
                for i, (name, kind) in enumerate(TYPES.items())
            ],
        }

    def _malformed(self, message: str) -> Reply:
        body = {"code": "query.compiler.malformed", "error": True, "message": f"Could not parse SoQL query: {message}"}
        return json_reply(json.dumps(body).encode(), 400)

    def query(self, params: dict[str, str]) -> Reply:
        try:
            test = where.parse(params.get("$where", ""))
        except ValueError as err:
            return self._malformed(str(err))
        select = params.get("$select", "*").replace(" ", "")
        order = params.get("$order")
        if order == ":id":
            ids = self.by_id
        elif order is None:
            ids = [rid for _, rid in self.stored]
        else:
            return self._malformed(f"the fake orders by :id only, not {order!r}")
        if params.get("$where"):
            ids = [rid for rid in ids if test({":id": rid, ":updated_at": self._stamp(rid), **self.values[rid]})]
        if select == "count(*)":
            return self._rows([json.dumps({self.count_name: str(len(ids))}, separators=(",", ":")).encode()[1:-1]])
        limit = int(params.get("$limit", 1000))
        offset = int(params.get("$offset", 0))
        if self.page_cap:
            limit = min(limit, self.page_cap)
        page = ids[offset : offset + limit]
        if select == ":id":
            return self._rows([f'":id":"{rid}"'.encode() for rid in page])
        if select in (":id,*", ":*,*"):
            return self._rows([f'":id":"{rid}",'.encode() + self.encoded[rid] for rid in page])
        if select == "*":
            return self._rows([self.encoded[rid] for rid in page])
        return self._malformed(f"the fake does not select {select!r}")

    def _stamp(self, rid: str) -> str:
        # Socrata compares :updated_at as a timestamp; the fake compares text, so it uses the clients' form
        return dt.datetime.fromtimestamp(self.updated[rid], dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")

    def _rows(self, rows: list[bytes]) -> Reply:
        body = b"[" + b"\n,".join(b"{" + r + b"}" for r in rows) + b"]\n"
        modified = email.utils.format_datetime(dt.datetime.fromtimestamp(self.rows_updated_at, dt.UTC), usegmt=True)
        return json_reply(
            body,
            **{
                "X-SODA2-Fields": json.dumps(list(TYPES)),
                "X-SODA2-Types": json.dumps(list(TYPES.values())),
                "Last-Modified": modified,
                "ETag": f'"{self.rows_updated_at}"',
            },
        )
