"""Every mapping preset standardizes its real fixture with no error and no value left unmapped."""

from __future__ import annotations

import duckdb
import pytest
import yaml

from safety_toolkit.config import load_config
from safety_toolkit.sources import fetch_topic
from safety_toolkit.standardize import processed_path, standardize_topic
from safety_toolkit.store import Store

from .conftest import FIXTURES

PRESETS = yaml.safe_load((FIXTURES / "presets.yaml").read_text(encoding="utf-8")) or {}


def standardize_preset(tmp_path, name: str):
    """A one-source toolkit over the preset's fixture; the processed rows and the report."""
    preset = PRESETS[name]
    source = {**preset["source"], "location": str(FIXTURES / preset["fixture"])}
    config = {
        "city": "Test",
        "state": "MN",
        "timezone": "America/Chicago",
        "topics": {preset["topic"]: {"sources": [source]}},
    }
    (tmp_path / "toolkit.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    loaded = load_config(tmp_path / "toolkit.yaml")
    store = Store(tmp_path)
    (fetched,) = fetch_topic(loaded, preset["topic"], store)
    report = standardize_topic(loaded, preset["topic"], store)
    path = processed_path(tmp_path, preset["topic"]).as_posix()
    return duckdb.execute("SELECT * FROM read_parquet(?)", [path]).df(), report, fetched.snapshot


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_each_preset_fits_its_real_data(tmp_path, name):
    frame, report, snapshot = standardize_preset(tmp_path, name)
    assert len(frame) == snapshot.rows > 0
    for column, entry in report["sources"][0]["columns"].items():
        unmapped = [v for v in entry.get("values", []) if v["status"] == "unmapped"]
        assert not unmapped, f"{name}: {column} leaves {unmapped[:3]} unmapped"
        parsing = entry.get("parsing", {})
        if parsing.get("present"):
            assert parsing["failed"] < parsing["present"], f"{name}: {column} parses nothing"
    if (
        load_config(tmp_path / "toolkit.yaml").sources(PRESETS[name]["topic"])[0].mapping.get("date")
    ):  # a few published files have no date at all
        assert frame["date"].notna().any(), f"{name}: no dates"
