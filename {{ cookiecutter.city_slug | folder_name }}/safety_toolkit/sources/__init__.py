"""Getting each topic's data: one small client per kind of source, and `fetch`, which stores snapshots.

A fetch first asks for the source's version stamp: if it matches the current snapshot's, no rows are
downloaded. With a date field, a refresh downloads only the rows dated on or after the newest date already
held (and undated ones), then checks the row count against the portal's before writing a new full snapshot.
Nothing is written until every row is in hand, so a failed fetch leaves the last good snapshot current.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..config import Config, Source
from ..store import Snapshot, Store, frame_sha256, parquet_sha256, sha256_file
from .arcgis import ArcGIS
from .base import Client, Download, dedupe, sort_by_key
from .carto import Carto
from .ckan import Ckan
from .detect import Target, detect
from .errors import SourceError
from .files import WebFile, file_to_parquet
from .opendatasoft import Opendatasoft
from .socrata import Socrata
from .web import Http

__all__ = ["FetchResult", "SourceError", "client_for", "detect", "fetch_source", "fetch_topic"]

NO_EDIT_STAMPS = (
    "the portal does not say which older rows were edited since the last copy, so a partial refresh could not "
    "be proven complete"
)
CLIENTS: dict[str, type[Client]] = {
    "socrata": Socrata,
    "arcgis": ArcGIS,
    "ckan": Ckan,
    "opendatasoft": Opendatasoft,
    "carto": Carto,
    "file": WebFile,
}


@dataclass(frozen=True)
class FetchResult:
    source: Source
    snapshot: Snapshot
    changed: bool  # False: the source was unchanged and the previous snapshot is still current

    def __str__(self) -> str:
        """One line for the user: rows, where from, and what was downloaded."""
        snap, location = self.snapshot, self.source.location
        if not self.changed:
            return f"{snap.rows:,} rows from {location} (unchanged since {snap.retrieved_at}; no rows downloaded)"
        refresh = snap.query.get("incremental") or {}
        if "rows_kept" in refresh:
            how = f"refreshed: {refresh['rows_downloaded']:,} rows dated {refresh['since']} or later downloaded"
            if refresh.get("rows_edited"):
                how += f", {refresh['rows_edited']:,} older rows added or edited since re-downloaded"
            if refresh.get("rows_removed"):
                how += f", {refresh['rows_removed']:,} rows deleted by the publisher removed"
            how += "; checked against the portal's row count"
        elif refresh.get("fell_back"):
            how = f"downloaded in full, because {refresh['fell_back']}"
        else:
            how = "new snapshot"
        encoding = snap.query.get("encoding")
        return f"{snap.rows:,} rows from {location} ({how})" + (f"; {encoding}" if encoding else "")


def client_for(source: Source, http: Http) -> Client:
    target: Target = detect(source.location, source.platform)
    return CLIENTS[target.platform](target, source, http)


def fetch_source(config: Config, source: Source, store: Store, http: Http | None = None) -> FetchResult:
    """Store a new snapshot of the source, unless it is unchanged since the current one."""
    try:
        if not source.is_url:
            return _fetch_file(config, source, store)
        if http is not None:
            return _fetch_url(source, store, http)
        with Http() as own:
            return _fetch_url(source, store, own)
    except SourceError as err:
        raise SourceError(f"{source.topic} ({source.key}, {source.location}): {err}") from None


def fetch_topic(
    config: Config,
    topic: str,
    store: Store,
    http: Http | None = None,
    report: Callable[[FetchResult], None] | None = None,
) -> list[FetchResult]:
    """Every source of the topic (`report` hears of each as it is done). One that fails does not stop the
    others; the error raised at the end names each failure."""
    results, errors = [], []
    with store.fetching(), Http() if http is None else nullcontext(http) as shared:
        for source in config.sources(topic):
            try:
                results.append(fetch_source(config, source, store, shared))
            except SourceError as err:
                errors.append(str(err))
                continue
            except Exception as err:  # a bug or a file nobody foresaw: said plainly, and the others go on
                problem = f"could not be read ({type(err).__name__}: {err})"
                errors.append(f"{topic} ({source.key}, {source.location}): {problem}")
                continue
            if report:
                report(results[-1])
    if errors:
        raise SourceError("\n".join(errors))
    return results


def _fetch_file(config: Config, source: Source, store: Store) -> FetchResult:
    path = source.path(config.root)
    digest = sha256_file(path) if path.is_file() else ""
    current = store.current(source.topic, source.key, source.location)
    query = {"where": source.where} if source.where else {}
    if source.read:
        query["read"] = dict(source.read)  # how the file was read: other settings, other rows
    if (
        current
        and digest
        and current.source_sha256 == digest
        and current.query.get("where", "") == query.get("where", "")
        and current.query.get("read", {}) == query.get("read", {})
        and store.path(current).exists()
    ):
        return FetchResult(source, current, changed=False)
    with store.incoming(source.topic) as folder:
        rows = folder / "rows.parquet"
        read = file_to_parquet(path, source.read, rows, where=source.where)
        if read.note():
            query["encoding"] = read.note()
        snap = store.save(
            source.topic, source.key, source.location, rows, source_sha256=digest, query=query, digest_rows=False
        )
    return FetchResult(source, snap, changed=True)


def _fetch_url(source: Source, store: Store, http: Http) -> FetchResult:
    with store.incoming(source.topic) as folder:
        client = client_for(source, http)
        client.incoming = folder
        return _fetch_with(client, source, store, http)


def _fetch_with(client: Client, source: Source, store: Store, http: Http) -> FetchResult:
    request = client.request()
    current = store.current(source.topic, source.key, source.location)
    # Only a snapshot of the same request, read with the same settings, still on disk, can be kept or refreshed.
    read = dict(source.read or {})
    if (
        current is None
        or current.query.get("request") != request
        or current.query.get("read", {}) != read
        or not store.path(current).is_file()
    ):
        current = None
    version = client.version()
    if current and version and current.version == version:
        return FetchResult(source, current, changed=False)

    requests_before = http.stats.requests
    since = _since(client, source, store, current)
    incremental: dict[str, Any] = {}
    if since is not None and not client.lists_edits():
        # rows newer than the copy could be had alone, but edits to older ones could not be ruled out
        since, incremental = None, {"fell_back": NO_EDIT_STAMPS}
    download = client.download(since=since, previous=current.version if current else None)
    frame = download.frame
    if download.not_modified and current:
        return FetchResult(source, current, changed=False)
    if since is not None and current is not None:
        frame, incremental = _refresh(client, source, store, current, download)
        if "fell_back" in incremental:
            download = client.download()
            frame = download.frame
    if (
        current
        and not version
        and (
            (download.source_sha256 and download.source_sha256 == current.source_sha256)
            or (current.content_sha256 and _content_sha256(download, frame) == current.content_sha256)
        )
    ):
        return FetchResult(source, current, changed=False)  # no stamp to go by, but the very same rows

    query = {
        "request": request,
        **({"read": read} if read else {}),
        **download.query,
        "requests": http.stats.requests - requests_before,
        **({"incremental": incremental} if incremental else {}),
    }
    snap = store.save(
        source.topic,
        source.key,
        source.location,
        frame if "rows_kept" in incremental or download.parquet is None else download.parquet,
        source_sha256=download.source_sha256,
        version=version or download.version,
        query=query,
        types=download.types,
        # without a version stamp or a file digest, the next fetch knows "unchanged" only by the rows' digest
        digest_rows=not (version or download.version or download.source_sha256),
    )
    return FetchResult(source, snap, changed=True)


def _content_sha256(download: Download, frame: pd.DataFrame) -> str:
    return parquet_sha256(download.parquet) if download.parquet else frame_sha256(frame)


def _since(client: Client, source: Source, store: Store, current: Snapshot | None) -> str | None:
    """The newest date in the current snapshot, when the portal can send only rows from that date on."""
    column = source.date_field
    if current is None or not column or column not in current.columns or not client.filters_dates(column):
        return None
    values = pq.read_table(store.path(current), columns=[column])[column]
    values = pc.filter(values, pc.not_equal(values, ""))
    newest = pc.max(values).as_py() if len(values) else None
    return newest or None


def _refresh(
    client: Client, source: Source, store: Store, current: Snapshot, download: Download
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The current snapshot's rows older than the boundary, plus the rows the portal sent from it on, made
    to prove that together they are exactly the portal's rows:

    - older rows added or edited since the snapshot (by the portal's per-row edit stamps) replace the old copies;
    - then the counts must match; if they do not, rows were deleted: the portal's list of row keys says which;
    - if any of this cannot be done, or the counts still differ, the whole dataset is downloaded ("fell_back").
    """
    column, since = source.date_field or "", download.since or ""
    old = store.read(current)
    new = download.rows()
    new = new if len(new) else pd.DataFrame(columns=old.columns, dtype="str")
    info: dict[str, Any] = {"since": since, "rows_downloaded": len(new)}
    if list(new.columns) != list(old.columns) and len(new):
        return new, {**info, "fell_back": "the columns changed"}
    key = client.key
    if not key or key not in old.columns:
        return new, {**info, "fell_back": "the portal gives rows no key, so older rows could not be checked"}
    try:
        edited = client.edited_since(current.version, since)
    except SourceError as err:
        return new, {**info, "fell_back": f"the portal would not list the rows edited since the last copy ({err})"}
    if edited is None:
        return new, {**info, "fell_back": NO_EDIT_STAMPS}
    edited = edited[old.columns] if len(edited) else pd.DataFrame(columns=old.columns, dtype="str")
    kept = old[(old[column] != "") & (old[column] < since)]
    replaced = set(new[key]) | set(edited[key])  # re-dated or edited rows: the portal's copy wins
    kept = kept[~kept[key].isin(replaced)]
    frame = pd.concat([kept, edited, new[old.columns]], ignore_index=True)
    frame = dedupe(frame, key)
    info.update(rows_edited=len(edited), rows_removed=0)
    expected = client.count()
    if expected is not None and expected != len(frame):
        # rows deleted upstream are still in the copy: keep only the keys the portal has now
        try:
            server = set(client.ids(client.where))
        except SourceError as err:
            return new, {**info, "fell_back": f"the portal would not list its row keys ({err})"}
        held = frame[key].isin(server)
        info["rows_removed"] = int((~held).sum())
        frame = frame[held]
    if expected is None or expected != len(frame):
        counted = "cannot count its rows" if expected is None else f"counts {expected:,} rows"
        return new, {**info, "fell_back": f"the portal {counted}, the refresh made {len(frame):,}"}
    return sort_by_key(frame, key), {**info, "rows_kept": len(kept), "proof": "edit stamps, row count and keys"}
