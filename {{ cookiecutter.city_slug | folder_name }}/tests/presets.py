"""The mapping presets the template ships (tests/fixtures/presets.yaml), each with the real file it is tested on:
the file as published, the preset as a toolkit.yaml source, and a toolkit over presets fetched and standardized."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import yaml

from safety_toolkit.analysis import Dataset
from safety_toolkit.config import load_config
from safety_toolkit.sources import fetch_topic
from safety_toolkit.standardize import processed_path, standardize_topic
from safety_toolkit.store import Snapshot, Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = FIXTURES / "minneapolis_stops_2017_sample.csv"  # the sample the tests' toolkit.yaml points at
PRESETS: dict[str, dict[str, Any]] = yaml.safe_load((FIXTURES / "presets.yaml").read_text(encoding="utf-8")) or {}


def preset_source(name: str) -> dict[str, Any]:
    """The preset as a toolkit.yaml source entry: its mapping, over its real fixture."""
    return {**PRESETS[name]["source"], "location": str(FIXTURES / PRESETS[name]["fixture"])}


def read_raw(name: str, **read: Any) -> pd.DataFrame:
    """The preset's fixture as published: every value as text, blanks as "" (a byte-order mark dropped)."""
    path = FIXTURES / PRESETS[name]["fixture"]
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **read)


@dataclass(frozen=True)
class Standardized:
    """A toolkit whose one topic lists some presets' fixtures as its sources, fetched and standardized."""

    root: Path
    topic: str
    report: dict[str, Any]
    snapshots: tuple[Snapshot, ...]

    @property
    def path(self) -> Path:
        """data/processed/<topic>.parquet."""
        return processed_path(self.root, self.topic)

    def frame(self) -> pd.DataFrame:
        """The processed rows, a new frame at each call (tests may change it)."""
        return duckdb.execute("SELECT * FROM read_parquet(?)", [self.path.as_posix()]).df()

    def dataset(self, start: Any = None, end: Any = None) -> Dataset:
        return Dataset(self.path, start, end)


def standardize(root: Path, *names: str) -> Standardized:
    """Write a toolkit.yaml in `root` whose topic has the presets' fixtures as sources; fetch and standardize."""
    topics = {PRESETS[name]["topic"] for name in names}
    assert len(topics) == 1, f"presets of several topics: {sorted(topics)}"
    return standardize_sources(root, topics.pop(), [preset_source(name) for name in names])


def standardize_sources(root: Path, topic: str, sources: list[dict[str, Any]]) -> Standardized:
    """Write a toolkit.yaml in `root` whose topic has these sources (a relative location is read from `root`);
    fetch and standardize."""
    config = {"city": "Test", "state": "MN", "timezone": "America/Chicago", "topics": {topic: {"sources": sources}}}
    root.mkdir(parents=True, exist_ok=True)
    (root / "toolkit.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    loaded = load_config(root / "toolkit.yaml")
    store = Store(root)
    fetched = fetch_topic(loaded, topic, store)
    report = standardize_topic(loaded, topic, store)
    assert report is not None, f"{topic} was not standardized"
    return Standardized(root, topic, report, tuple(result.snapshot for result in fetched))


def standardize_preset(root: Path, name: str) -> tuple[pd.DataFrame, dict[str, Any], Snapshot]:
    """One preset standardized in `root`: the processed rows, the standardize report and the snapshot."""
    done = standardize(root, name)
    return done.frame(), done.report, done.snapshots[0]
