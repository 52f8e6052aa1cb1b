"""`where:` keeps only the matching lines of a file, such as one state's lines of a national file."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from safety_toolkit.config import load_config
from safety_toolkit.sources import SourceError, fetch_topic
from safety_toolkit.store import Store

from .presets import FIXTURES

LESO = FIXTURES / "police_equipment" / "leso_1033_property_mn_wi_sample.csv"


def _fetch(tmp_path, where):
    source = {"location": str(LESO), "where": where}
    config = {"city": "T", "state": "MN", "timezone": "America/Chicago",
              "topics": {"police_equipment": {"sources": [source]}}}
    (tmp_path / "toolkit.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    store = Store(tmp_path)
    (result,) = fetch_topic(load_config(tmp_path / "toolkit.yaml"), "police_equipment", store)
    return result, store


def test_a_file_is_narrowed_to_the_lines_asked_for(tmp_path):
    raw = pd.read_csv(LESO, dtype=str, keep_default_na=False)
    result, store = _fetch(tmp_path, {"State": "WI"})
    kept = store.read(result.snapshot) if hasattr(store, "read") else pd.read_parquet(store.path(result.snapshot))
    assert len(kept) == (raw["State"] == "WI").sum() > 0
    assert set(kept["State"]) == {"WI"}
    assert result.snapshot.query["where"] == {"State": "WI"}
    # Asking for other lines of the same, unchanged file makes a new snapshot, not a stale one.
    again, _ = _fetch(tmp_path, {"State": ["MN", "WI"]})
    assert again.changed
    assert again.snapshot.rows == raw["State"].isin(["MN", "WI"]).sum()


def test_a_column_the_file_lacks_is_named_in_the_error(tmp_path):
    with pytest.raises(SourceError, match=r"'where:' names the column 'STATE'.*'State'"):
        _fetch(tmp_path, {"STATE": "WI"})
