"""Helpers for the portal tests: point toolkit.yaml at a fake portal, fetch with quick retries, compare rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from safety_toolkit.config import load_config
from safety_toolkit.sources import FetchResult, fetch_topic
from safety_toolkit.sources.web import Http, Settings
from safety_toolkit.store import Store

TOPIC = "police_stops"


def quick_http(timeout: float = 1.0, attempts: int = 4) -> Http:
    """Retries as in real use, but the waits between them scaled down a thousandfold."""
    return Http(Settings(timeout=timeout, connect_timeout=timeout, attempts=attempts, wait_scale=0.001))


def use_sources(project: Path, *sources: dict[str, Any], topic: str = TOPIC) -> None:
    """Make the topic's sources in toolkit.yaml these, and no others."""
    path = project / "toolkit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["topics"][topic] = {"sources": list(sources)}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def fetch(project: Path, http: Http | None = None, topic: str = TOPIC) -> list[FetchResult]:
    with http or quick_http() as client:
        return fetch_topic(load_config(project / "toolkit.yaml"), topic, Store(project), http=client)


def fetch_one(project: Path, http: Http | None = None) -> tuple[FetchResult, pd.DataFrame]:
    (result,) = fetch(project, http)
    return result, Store(project).read(result.snapshot)


def assert_rows(frame: pd.DataFrame, expected: list[dict[str, str]], key: str | None) -> None:
    """Exactly the portal's rows: the same columns, no duplicates, none missing, every value equal."""
    want = pd.DataFrame(expected, dtype="str")
    assert list(frame.columns) == list(want.columns)
    if key:
        assert not frame[key].duplicated().any(), "duplicate rows"
        frame = frame.set_index(key).sort_index()
        want = want.set_index(key).sort_index()
        missing, extra = set(want.index) - set(frame.index), set(frame.index) - set(want.index)
        assert (missing, extra) == (set(), set()), f"missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}"
    pd.testing.assert_frame_equal(frame.astype("str"), want, check_dtype=False)


def data_files(project: Path) -> dict[str, bytes]:
    """Every file under data/ with its bytes (but the fetch lock, which holds none): to show a failed fetch
    changed nothing."""
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in (project / "data").rglob("*")
        if p.is_file() and p.name != ".fetch.lock"
    }
