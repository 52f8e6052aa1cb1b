"""Raw snapshots and the manifest: every fetched copy kept, nothing overwritten, every write atomic.

data/raw/<topic>/<n>-<UTC time>.parquet   one immutable snapshot per fetch of source n (text as published)
data/raw/<topic>/.incoming-*/             rows of a fetch under way, streamed to disk page by page
data/manifest.json                         which snapshot is current for each source, and where it came from

A fetch killed half-way can leave an .incoming folder, a .tmp file or a snapshot the manifest never
recorded; `Store.tidy` removes them before the next fetch (a snapshot is only ever used through the manifest).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

if sys.platform != "win32":  # Windows has no fcntl: no lock, so no tidying of unlisted snapshots either
    import fcntl

MANIFEST = Path("data") / "manifest.json"
MEMORY_ENV = "SAFETY_TOOLKIT_MEMORY"  # DuckDB's memory ceiling, e.g. 2GB; past it DuckDB spills to disk
DEFAULT_MEMORY = "700MB"
# Standardizing writes every row in order; DuckDB lets such a write hold at most a quarter of the ceiling in row
# groups waiting their turn, and below about 1.5GB its threads mostly wait on each other (it then takes half again
# as long). The memory it really holds stays far below the ceiling: about 750MB at 10 million rows.
STANDARDIZE_MEMORY = "1500MB"
QUERY_MEMORY = "400MB"  # reports: they only aggregate, beside a notebook kernel's own few hundred MB of libraries
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


SPILL_FILE = re.compile(r"duckdb_temp_(\d+)_")  # DuckDB names its spill files after the process


def spill_folder() -> Path:
    """Where DuckDB spills what does not fit in memory."""
    return Path(tempfile.gettempdir()) / "safety-toolkit-duckdb"


def tidy_spill(folder: Path) -> list[Path]:
    """Remove the spill files of processes that no longer run (a run killed mid-query leaves them; they can
    be gigabytes). A file whose process still runs, or that is not ours to remove, is left alone."""
    removed = []
    for path in folder.glob("duckdb_temp_*") if folder.is_dir() else []:
        match = SPILL_FILE.match(path.name)
        if match is None or _running(int(match.group(1))):
            continue
        try:
            path.unlink()
        except OSError:  # another user's, or already gone
            continue
        removed.append(path)
    return removed


@functools.cache
def _tidied_spill_folder() -> Path:
    """The spill folder, tidied once per process rather than at every connection."""
    folder = spill_folder()
    tidy_spill(folder)
    return folder


def _running(pid: int) -> bool:
    """Does the process with this id still run (as any user)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


def connect_duckdb(memory: str = DEFAULT_MEMORY) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a memory ceiling (`memory`, or SAFETY_TOOLKIT_MEMORY when set), so memory stays
    flat however big the data: what does not fit is spilled to the system's temporary folder. Rows keep their
    order through every query."""
    con = duckdb.connect()
    memory = os.environ.get(MEMORY_ENV, "").strip() or memory
    con.execute("SET memory_limit = ?", [memory])
    con.execute("SET temp_directory = ?", [str(_tidied_spill_folder())])
    con.execute("SET preserve_insertion_order = true")
    return con


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def frame_sha256(frame: pd.DataFrame) -> str:
    """A digest of the column names and every value, in order."""
    digest = hashlib.sha256(json.dumps([str(c) for c in frame.columns]).encode("utf-8"))
    _add_rows(digest, frame)
    return digest.hexdigest()


def parquet_sha256(path: Path) -> str:
    """`frame_sha256` of a Parquet file's rows, read a row group at a time so memory stays flat."""
    file = pq.ParquetFile(path)
    digest = hashlib.sha256(json.dumps([str(c) for c in file.schema_arrow.names]).encode("utf-8"))
    for batch in file.iter_batches(batch_size=200_000):
        _add_rows(digest, batch.to_pandas().fillna(""))
    return digest.hexdigest()


def _add_rows(digest: Any, frame: pd.DataFrame) -> None:
    # one 64-bit hash per row, so the digest of a frame read in pieces is that of the whole frame
    if len(frame.columns):
        digest.update(pd.util.hash_pandas_object(frame.astype("str"), index=False).to_numpy().tobytes())


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; it replaces `target` only if the block finishes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.pid{os.getpid()}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.chmod(0o666 & ~_UMASK)  # mkstemp makes files private; these are meant to be shared
    try:
        yield tmp
        tmp.replace(target)
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
            data: dict[str, Any] = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise ValueError(
                f"{self.manifest_path} is damaged ({err}); restore it from git (git checkout data/manifest.json)."
            ) from None
        data.setdefault("snapshots", [])
        return data

    @contextmanager
    def incoming(self, topic: str) -> Iterator[Path]:
        """A private folder beside the topic's snapshots for the rows of a fetch under way; removed after."""
        folder = self.root / "data" / "raw" / topic
        folder.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(prefix=f".incoming-pid{os.getpid()}-", dir=folder))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    @contextmanager
    def fetching(self) -> Iterator[bool]:
        """Hold data/raw/.fetch.lock while fetching, and first tidy what a killed fetch left behind. Yields False
        (and tidies nothing) when another fetch holds the lock: then its files are not leftovers."""
        if sys.platform == "win32":
            yield False
            return
        lock_path = self.root / "data" / "raw" / ".fetch.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("a+b") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
            try:
                self.tidy()
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def tidy(self) -> list[Path]:
        """Remove what a killed command left behind: temporary files and folders whose process is gone, and
        snapshots the manifest does not list (call it only while holding the fetch lock). Returns them."""
        data = self.root / "data"
        if not data.is_dir():
            return []
        listed = {entry["file"] for entry in self._manifest()["snapshots"]}
        removed = []
        candidates = [*data.rglob("*.tmp"), *data.rglob(".incoming-*")]
        candidates += [
            p for p in (data / "raw").glob("*/*.parquet") if p.relative_to(self.root).as_posix() not in listed
        ]
        for path in candidates:
            if _owner_alive(path):
                continue
            try:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            except OSError:
                continue
            removed.append(path)
        return removed

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
        rows: pd.DataFrame | Path,
        *,
        source_sha256: str = "",
        version: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        types: dict[str, str] | None = None,
        digest_rows: bool = True,
    ) -> Snapshot:
        """Write a new snapshot, then record it in the manifest. A failure leaves both as they were.

        `rows` is a frame, or a Parquet file of text columns already written (in `incoming(topic)`), which is
        moved into place as it is: a big download never has to be held in memory. `digest_rows=False` skips
        the digest of the rows (content_sha256), which costs a pass over them: a file's own sha256, or the
        publisher's version stamp, already says whether it changed."""
        now = dt.datetime.now(dt.UTC)
        index = source.rsplit("[", 1)[-1].rstrip("]")
        relative = Path("data") / "raw" / topic / f"{index}-{now:%Y%m%dT%H%M%S%fZ}.parquet"
        target = self.root / relative
        if isinstance(rows, Path):
            with atomic_path(target) as tmp:
                shutil.move(rows, tmp)  # a rename when on the same disk, as `incoming` is
            metadata = pq.ParquetFile(target)
            count, columns = metadata.metadata.num_rows, [str(c) for c in metadata.schema_arrow.names]
            content = parquet_sha256(target) if digest_rows else ""
        else:
            table = pa.Table.from_pandas(rows.astype("string"), preserve_index=False)
            with atomic_path(target) as tmp:
                pq.write_table(table, tmp, compression="zstd")
            count, columns = len(rows), [str(c) for c in rows.columns]
            content = frame_sha256(rows) if digest_rows else ""
        snap = Snapshot(
            topic=topic,
            source=source,
            location=location,
            file=relative.as_posix(),
            retrieved_at=now.isoformat(timespec="seconds"),
            rows=count,
            columns=columns,
            sha256=sha256_file(target),
            source_sha256=source_sha256,
            version=version or {},
            query=query or {},
            content_sha256=content,
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


def _owner_alive(path: Path) -> bool:
    """Temporary names carry the id of the process writing them (".pid1234-"): is it still running?"""
    match = re.search(r"\.pid(\d+)-", path.name) or re.search(r"^\.incoming-pid(\d+)-", path.name)
    if not match:
        return False
    pid = int(match[1])
    if pid == os.getpid():
        return False  # a leftover of this process's own earlier, failed work
    return _running(pid)
