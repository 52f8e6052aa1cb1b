"""Snapshots are immutable and the manifest says where each came from; a failed fetch changes nothing."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys

import pytest

from safety_toolkit.cli import main
from safety_toolkit.config import load_config
from safety_toolkit.sources import SourceError, fetch_topic
from safety_toolkit.store import Store, tidy_spill

from .portal_helpers import use_sources


def _files(root):
    return sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob("*") if p.is_file())


def test_a_fetch_records_where_the_data_came_from(project, raw_sample):
    config = load_config(project / "toolkit.yaml")
    (result,) = fetch_topic(config, "police_stops", Store(project))
    manifest = json.loads((project / "data" / "manifest.json").read_text())
    (entry,) = manifest["snapshots"]
    assert entry["rows"] == len(raw_sample)
    assert entry["columns"] == list(raw_sample.columns)
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
    assert second.changed
    assert second.snapshot.rows == first.snapshot.rows + 1
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
    assert "police_stops" in str(err.value)
    assert "minneapolis_stops_2017_sample.csv" in str(err.value)
    assert (project / "data" / "manifest.json").read_bytes() == manifest
    assert _files(project) == before


def test_an_empty_file_in_one_topic_stops_neither_its_other_sources_nor_the_other_topics(project, capsys):
    # arrests comes before police_stops: its empty export must be reported, and the stops still fetched
    (project / "arrests.csv").write_bytes(b"")
    sample = project / "minneapolis_stops_2017_sample.csv"
    use_sources(project, {"location": "arrests.csv"}, {"location": sample.name}, topic="arrests")
    assert main(["--config", str(project / "toolkit.yaml"), "fetch"]) == 1
    err = capsys.readouterr().err
    assert "arrests: FAILED" in err
    assert "arrests.csv is empty (0 bytes)" in err
    assert "Traceback" not in err
    store = Store(project)
    assert store.current("arrests", "topics.arrests.sources[1]", sample.name) is not None
    assert store.current("police_stops", "topics.police_stops.sources[0]", sample.name) is not None


def test_leftovers_of_a_killed_fetch_are_removed_and_the_snapshots_kept(project):
    config = load_config(project / "toolkit.yaml")
    store = Store(project)
    (first,) = fetch_topic(config, "police_stops", store)
    # what kill -9 leaves: an empty temporary file from an interrupted write, a half-streamed download, and a
    # snapshot written but never recorded in the manifest
    processed = project / "data" / "processed"
    processed.mkdir(parents=True, exist_ok=True)
    (processed / ".police_stops.parquet.abc123.tmp").write_bytes(b"")
    (processed / ".police_stops.parquet.pid999999999-x1.tmp").write_bytes(b"")
    incoming = project / "data" / "raw" / "police_stops" / ".incoming-pid999999999-q7"
    incoming.mkdir()
    (incoming / "rows.parquet").write_bytes(b"PAR1")
    orphan = project / "data" / "raw" / "police_stops" / "0-20260101T000000000000Z.parquet"
    orphan.write_bytes(store.path(first.snapshot).read_bytes())
    sample = project / "minneapolis_stops_2017_sample.csv"
    added = "17-999999,2017-12-31 23:59:00,traffic,MDC,,NO,NO,,White,Male,44.9,-93.2,1,X\n"
    sample.write_text(sample.read_text() + added)
    (second,) = fetch_topic(config, "police_stops", store)
    assert second.changed
    listed = {s.file for s in store.snapshots()}
    assert _files(project) == sorted([*listed, "data/manifest.json", "data/raw/.fetch.lock"])
    assert store.path(first.snapshot).is_file()


def test_a_temporary_file_of_a_command_still_running_is_left_alone(project):
    import os

    processed = project / "data" / "processed"
    processed.mkdir(parents=True, exist_ok=True)
    parent = processed / f".police_stops.parquet.pid{os.getppid()}-x1.tmp"  # pytest's parent: alive
    parent.write_bytes(b"")
    assert Store(project).tidy() == []
    assert parent.exists()


def test_a_file_mixing_encodings_keeps_its_accents_and_the_fetch_says_which_lines(project):
    lines = ["id,place,officer"] + [f"{i},Café {i},Peña" for i in range(4000)]
    body = ("\n".join(lines) + "\n").encode("utf-8") + "4000,Crêperie,Muñoz\n".encode("cp1252")
    (project / "mixed.csv").write_bytes(body)
    use_sources(project, {"location": "mixed.csv"}, topic="arrests")
    (result,) = fetch_topic(load_config(project / "toolkit.yaml"), "arrests", Store(project))
    frame = Store(project).read(result.snapshot)
    assert frame.loc[0, "place"] == "Café 0"
    assert frame.loc[4000, "officer"] == "Muñoz"
    assert frame.loc[4000, "place"] == "Crêperie"
    assert "1 line was not valid UTF-8" in str(result)
    assert "line 4002" in str(result)


def test_a_changed_read_setting_reads_the_unchanged_file_again(project):
    # The same file, read without and then with a line left out ("skip_rows": line 0 is the header).
    (project / "two.csv").write_text("id,race\n1,White\n2,Black\n", encoding="utf-8")
    use_sources(project, {"location": "two.csv"}, topic="arrests")
    store = Store(project)
    (first,) = fetch_topic(load_config(project / "toolkit.yaml"), "arrests", store)
    assert first.snapshot.rows == 2
    use_sources(project, {"location": "two.csv", "read": {"skip_rows": [2]}}, topic="arrests")
    (second,) = fetch_topic(load_config(project / "toolkit.yaml"), "arrests", store)
    assert second.changed
    assert list(store.read(second.snapshot)["race"]) == ["White"]
    assert second.snapshot.query["read"] == {"skip_rows": [2]}
    assert store.path(first.snapshot).exists()  # the snapshot read the old way is kept
    (third,) = fetch_topic(load_config(project / "toolkit.yaml"), "arrests", store)
    # The same settings: nothing read again.
    assert not third.changed
    assert third.snapshot == second.snapshot


def test_spill_files_of_a_killed_query_are_removed_and_a_running_ones_kept(tmp_path):
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    dead = [tmp_path / f"duckdb_temp_{finished.pid}_0_owner", tmp_path / f"duckdb_temp_{finished.pid}_0_storage.tmp"]
    running = tmp_path / f"duckdb_temp_{os.getpid()}_0_storage.tmp"
    other = tmp_path / "notes.txt"
    for path in [*dead, running, other]:
        path.write_bytes(b"spilled")
    assert sorted(tidy_spill(tmp_path)) == sorted(dead)
    assert running.exists()
    assert other.exists()
    assert not any(path.exists() for path in dead)
