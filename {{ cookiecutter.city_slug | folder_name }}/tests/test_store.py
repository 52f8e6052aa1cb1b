"""Snapshots are immutable and the manifest says where each came from; a failed fetch changes nothing."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest

from safety_toolkit.config import load_config
from safety_toolkit.sources import SourceError, fetch_topic
from safety_toolkit.store import Store


def _files(root):
    return sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob("*") if p.is_file())


def test_a_fetch_records_where_the_data_came_from(project, raw_sample):
    config = load_config(project / "toolkit.yaml")
    (result,) = fetch_topic(config, "police_stops", Store(project))
    manifest = json.loads((project / "data" / "manifest.json").read_text())
    (entry,) = manifest["snapshots"]
    assert entry["rows"] == len(raw_sample) and entry["columns"] == list(raw_sample.columns)
    assert entry["location"] == "minneapolis_stops_2017_sample.csv"
    assert entry["source"] == "topics.police_stops.sources[0]"
    assert entry["source_sha256"] == hashlib.sha256((project / entry["location"]).read_bytes()).hexdigest()
    assert entry["sha256"] == hashlib.sha256((project / entry["file"]).read_bytes()).hexdigest()
    assert result.changed


def test_an_unchanged_source_makes_no_new_snapshot(project):
    config = load_config(project / "toolkit.yaml")
    store = Store(project)
    fetch_topic(config, "police_stops", store)
    before = _files(project)
    (again,) = fetch_topic(config, "police_stops", store)
    assert not again.changed
    assert _files(project) == before


def test_a_changed_source_adds_a_snapshot_and_keeps_the_old_one(project):
    config = load_config(project / "toolkit.yaml")
    store = Store(project)
    (first,) = fetch_topic(config, "police_stops", store)
    old_bytes = store.path(first.snapshot).read_bytes()
    sample = project / "minneapolis_stops_2017_sample.csv"
    sample.write_text(
        sample.read_text() + "17-999999,2017-12-31 23:59:00,traffic,MDC,,NO,NO,,White,Male,44.9,-93.2,1,X\n"
    )
    (second,) = fetch_topic(config, "police_stops", store)
    assert second.changed and second.snapshot.rows == first.snapshot.rows + 1
    assert store.path(first.snapshot).read_bytes() == old_bytes
    assert store.current("police_stops", first.source.key, first.source.location) == second.snapshot
    assert len(store.snapshots("police_stops")) == 2


def test_a_damaged_file_fails_clearly_and_keeps_the_last_good_copy(project):
    config = load_config(project / "toolkit.yaml")
    store = Store(project)
    fetch_topic(config, "police_stops", store)
    manifest = (project / "data" / "manifest.json").read_bytes()
    before = _files(project)
    sample = project / "minneapolis_stops_2017_sample.csv"
    # The same name now holds a gzip stream cut off halfway, as an interrupted download leaves it.
    sample.write_bytes(gzip.compress(sample.read_bytes())[:2000])
    with pytest.raises(SourceError) as err:
        fetch_topic(config, "police_stops", store)
    assert "police_stops" in str(err.value) and "minneapolis_stops_2017_sample.csv" in str(err.value)
    assert (project / "data" / "manifest.json").read_bytes() == manifest
    assert _files(project) == before
