"""The mapping preset a source answer gets at bake, and the toolkit.yaml entry written for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from toolkit_catalog.datasets import all_datasets, dataset_url, known_source
from toolkit_catalog.presets import all_presets, csv_header, preset_for, source_entry

from .baking import DEMO_DATA, TEMPLATE_DIR

FIXTURES = TEMPLATE_DIR / "tests" / "fixtures"


def test_a_local_file_gets_its_preset_by_its_columns() -> None:
    preset = preset_for("police_stops", str(DEMO_DATA))  # gzipped
    assert preset is not None
    assert preset.name == "minneapolis_stops_cardata"
    assert preset_for("use_of_force", str(DEMO_DATA)) is None  # the columns fit no use-of-force preset
    assert preset_for("police_stops", "") is None
    assert preset_for("police_stops", "/no/such/file.csv") is None


@pytest.mark.parametrize(
    "preset", [p for p in all_presets() if p.fixture.endswith(".csv")], ids=lambda p: p.name
)
def test_each_presets_own_sample_file_is_matched_to_it(preset: Any) -> None:
    found = preset_for(preset.topic, str(FIXTURES / preset.fixture))
    assert found is not None
    assert found.name == preset.name


def test_a_web_address_gets_the_preset_that_lists_it() -> None:
    preset = next(p for p in all_presets() if p.urls)
    found = preset_for(preset.topic, f" {preset.urls[0]} ")
    assert found is not None
    assert found.name == preset.name
    assert preset_for("warrants" if preset.topic != "warrants" else "arrests", preset.urls[0]) is None


def test_an_unreadable_file_has_no_header(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"not gzip at all")
    assert csv_header(broken) == []
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Ma\xf1ana,b\n".encode("latin-1"))
    assert csv_header(latin) == []
    (tmp_path / "ok.csv").write_text("\ufeffa,b\n1,2\n", encoding="utf-8")
    assert csv_header(tmp_path / "ok.csv") == ["a", "b"]


def test_a_known_dataset_without_a_preset_gets_its_title_and_date_field() -> None:
    entry = source_entry("police_stops", known_source("Minneapolis", "MN", "police_stops"))
    assert entry is not None
    assert entry["date_field"] == "responseDate"
    assert entry["title"].startswith("Minneapolis")
    assert "mapping" not in entry
    assert source_entry("police_stops", "  ") is None


def test_a_known_datasets_filter_becomes_where_except_in_carto_sql() -> None:
    gilbert = next(r for r in all_datasets() if r["SourceName"] == "Gilbert" and r["query"].strip() and r["topic"])
    entry = source_entry(gilbert["topic"], dataset_url(gilbert))
    assert entry is not None
    assert entry["where"] == {"Department": "POLICE DEPARTMENT"}
    carto = next(r for r in all_datasets() if r["DataType"] == "Carto" and r["query"].strip())
    entry = source_entry(carto["topic"], dataset_url(carto))
    assert entry is not None
    assert "where" not in entry


def test_a_preset_gives_its_mapping_and_a_shared_layout_only_its_name() -> None:
    entry = source_entry("police_stops", str(DEMO_DATA))
    assert entry is not None
    assert entry["mapping"]
    assert entry["title"].startswith("Minneapolis Police Stop Data")
    layout = next(p for p in all_presets() if p.layout)
    entry = source_entry(layout.topic, "/data/any.csv", layout.name)
    assert entry == {"location": "/data/any.csv", "preset": layout.name}
