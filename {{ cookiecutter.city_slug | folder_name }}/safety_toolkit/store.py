"""Raw snapshots and the manifest: every fetched copy kept, nothing overwritten, every write atomic.

data/raw/<topic>/<n>-<UTC time>.parquet   one immutable snapshot per fetch of source n (text as published)
data/manifest.json                         which snapshot is current for each source, and where it came from
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

MANIFEST = Path("data") / "manifest.json"
_UMASK = os.umask(0)
os.umask(_UMASK)


@dataclass(frozen=True)
class Snapshot:
    """One stored copy of one source."""

    topic: str
    source: str  # the source's key in toolkit.yaml, e.g. topics.police_stops.sources[0]
    location: str  # URL or file path it came from
    file: str  # path of the Parquet snapshot, relative to the project folder
    retrieved_at: str  # ISO 8601, UTC
    rows: int
    columns: list[str]
    sha256: str  # of the snapshot file
    source_sha256: str = ""  # of the bytes downloaded or read, where there was one file
    version: dict[str, Any] = field(default_factory=dict)  # the publisher's version stamp(s)
    query: dict[str, Any] = field(default_factory=dict)  # the request that produced it
    content_sha256: str = ""  # of the rows themselves: the same rows give the same digest, however fetched
    types: dict[str, str] = field(default_factory=dict)  # the publisher's own column types, where it says


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def frame_sha256(frame: pd.DataFrame) -> str:
    """A digest of the column names and every value, in order."""
    digest = hashlib.sha256(json.dumps([str(c) for c in frame.columns]).encode("utf-8"))
    if len(frame.columns):
        digest.update(pd.util.hash_pandas_object(frame.astype("str"), index=False).to_numpy().tobytes())
    return digest.hexdigest()


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; it replaces `target` only if the block finishes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes files private; these are meant to be shared
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path: Path, data: Any) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


class Store:
    """The data folder of one project."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.manifest_path = self.root / MANIFEST

    def _manifest(self) -> dict[str, Any]:
        if not self.manifest_path.exists():
            return {"snapshots": []}
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise ValueError(
                f"{self.manifest_path} is damaged ({err}); restore it from git (git checkout data/manifest.json)."
            ) from None
        data.setdefault("snapshots", [])
        return data

    def snapshots(self, topic: str | None = None) -> list[Snapshot]:
        return [
            Snapshot(**entry) for entry in self._manifest()["snapshots"] if topic is None or entry["topic"] == topic
        ]

    def current(self, topic: str, source: str, location: str) -> Snapshot | None:
        """The newest snapshot of this source, if it still points at the same location."""
        for snap in reversed(self.snapshots(topic)):
            if snap.source == source and snap.location == location:
                return snap
        return None

    def save(
        self,
        topic: str,
        source: str,
        location: str,
        frame: pd.DataFrame,
        *,
        source_sha256: str = "",
        version: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        types: dict[str, str] | None = None,
    ) -> Snapshot:
        """Write a new snapshot, then record it in the manifest. A failure leaves both as they were."""
        now = dt.datetime.now(dt.UTC)
        index = source.rsplit("[", 1)[-1].rstrip("]")
        relative = Path("data") / "raw" / topic / f"{index}-{now:%Y%m%dT%H%M%S%fZ}.parquet"
        target = self.root / relative
        table = pa.Table.from_pandas(frame.astype("string"), preserve_index=False)
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp, compression="zstd")
        snap = Snapshot(
            topic=topic,
            source=source,
            location=location,
            file=relative.as_posix(),
            retrieved_at=now.isoformat(timespec="seconds"),
            rows=len(frame),
            columns=[str(c) for c in frame.columns],
            sha256=sha256_file(target),
            source_sha256=source_sha256,
            version=version or {},
            query=query or {},
            content_sha256=frame_sha256(frame),
            types=types or {},
        )
        manifest = self._manifest()
        manifest["snapshots"].append(asdict(snap))
        try:
            write_json(self.manifest_path, manifest)
        except BaseException:
            target.unlink(missing_ok=True)  # not recorded: remove it so nothing half-made remains
            raise
        return snap

    def path(self, snap: Snapshot) -> Path:
        return self.root / snap.file

    def read(self, snap: Snapshot) -> pd.DataFrame:
        """A snapshot's rows, all text, as they were stored."""
        return pd.read_parquet(self.path(snap)).fillna("").astype("str")
