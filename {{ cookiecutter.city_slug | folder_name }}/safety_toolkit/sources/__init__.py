"""Getting each topic's data: one small reader per kind of source, and `fetch`, which stores snapshots."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config, Source
from ..store import Snapshot, Store, sha256_file
from .errors import SourceError
from .files import read_file

__all__ = ["FetchResult", "SourceError", "fetch_source", "fetch_topic"]


@dataclass(frozen=True)
class FetchResult:
    source: Source
    snapshot: Snapshot
    changed: bool  # False: the source was unchanged and the previous snapshot is still current


def fetch_source(config: Config, source: Source, store: Store) -> FetchResult:
    """Store a new snapshot of the source, unless it is unchanged since the current one."""
    try:
        if source.is_url:
            raise SourceError(
                "downloading from web addresses is not available in this version of the toolkit; download "
                "the file yourself and set the source's location to its path."
            )
        path = source.path(config.root)
        digest = sha256_file(path) if path.is_file() else ""
        current = store.current(source.topic, source.key, source.location)
        if current and digest and current.source_sha256 == digest and store.path(current).exists():
            return FetchResult(source, current, changed=False)
        frame = read_file(path, source.read)
        snap = store.save(source.topic, source.key, source.location, frame, source_sha256=digest)
        return FetchResult(source, snap, changed=True)
    except SourceError as err:
        raise SourceError(f"{source.topic} ({source.key}, {source.location}): {err}") from None


def fetch_topic(config: Config, topic: str, store: Store) -> list[FetchResult]:
    return [fetch_source(config, source, store) for source in config.sources(topic)]
