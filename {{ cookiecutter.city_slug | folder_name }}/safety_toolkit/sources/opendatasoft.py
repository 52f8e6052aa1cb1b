"""Opendatasoft (Explore API v2.1): the whole dataset as one streamed CSV export.

The records endpoint refuses limit > 100 and offset + limit > 10,000, so it is used only to count rows;
the export has no row limit.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..config import Source
from ..store import sha256_file
from .base import Client, Download, all_of, progress, where_clause
from .detect import Target
from .errors import SourceError
from .files import read_csv
from .web import Http

DELIMITER = ";"  # the export's default


class Opendatasoft(Client):
    platform = "opendatasoft"

    def __init__(self, target: Target, source: Source, http: Http) -> None:
        super().__init__(target, source, http)
        self.api = f"{target.url}/api/explore/v2.1/catalog/datasets/{target.dataset}"
        own = where_clause(source.where, quote_name=lambda n: f"`{n}`")
        self.where = all_of(target.where, own)
        self._metadata: dict[str, Any] | None = None

    def request(self) -> dict[str, Any]:
        return {**super().request(), "where": self.where}

    def metadata(self, fresh: bool = False) -> dict[str, Any]:
        if self._metadata is None or fresh:
            self._metadata = self.http.get_json(self.api, self.what, check=_check_dict)
        return self._metadata

    def version(self, fresh: bool = False) -> dict[str, Any]:
        metas = (self.metadata(fresh).get("metas") or {}).get("default") or {}
        return {key: metas[key] for key in ("data_processed", "modified") if metas.get(key)}

    def types(self) -> dict[str, str]:
        return {f["name"]: f.get("type", "") for f in self.metadata().get("fields") or [] if f.get("name")}

    def count(self) -> int:
        params = {"limit": 0, **({"where": self.where} if self.where else {})}
        return int(self.http.get_json(f"{self.api}/records", self.what, params, check=_check_dict)["total_count"])

    def download(self, since: str | None = None, previous: dict[str, Any] | None = None) -> Download:
        params = {"delimiter": DELIMITER, **({"where": self.where} if self.where else {})}
        url = f"{self.api}/exports/csv"
        for _ in range(3):
            expected = self.count()
            with tempfile.TemporaryDirectory(prefix="safety-toolkit-") as folder:
                target = Path(folder) / "export.csv"
                with progress(f"{self.source.topic}: {self.target.dataset}", None, unit="B") as bar:
                    self.http.download(url, self.what, target, params=params, on_bytes=bar.update)
                frame = read_csv(target, {"delimiter": DELIMITER, "encoding": "utf-8-sig"}, name="export.csv")
                digest = sha256_file(target)
            # An export cut short can still end on a whole line, or the data changed meanwhile: ask again.
            if len(frame) == expected:
                return Download(frame, {"endpoint": url, **params}, types=self.types(), source_sha256=digest)
        raise SourceError(
            f"{self.what}: {url}: the export held {len(frame):,} rows where the portal counts {expected:,}, three "
            "times. The export may be cut short by the portal or the data is changing; try again later."
        )


def _check_dict(body: Any) -> None:
    if not isinstance(body, dict):
        raise SourceError("the portal's answer is not what Opendatasoft sends; is this an Opendatasoft portal?")
