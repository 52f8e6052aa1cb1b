"""A suggested mapping for an unmapped dataset is valid YAML the toolkit accepts, and it gets the
common columns of real datasets right."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from safety_toolkit.config import load_config
from safety_toolkit.schema import get_schema
from safety_toolkit.sources.files import read_file
from safety_toolkit.suggest import suggest_mapping, suggestion_yaml

from .conftest import FIXTURES, SAMPLE


def _suggest(tmp_path: Path, topic: str, path: Path, read: dict | None = None) -> dict:
    frame = read_file(path, read or {})
    snapshot = tmp_path / "raw.parquet"
    pq.write_table(pa.Table.from_pandas(frame.astype("string"), preserve_index=False), snapshot)
    text = suggestion_yaml(suggest_mapping(get_schema(topic), snapshot))
    mapping = yaml.safe_load(text)["mapping"]
    # The suggestion must pass the same checks as a hand-written mapping.
    config = {
        "city": "T",
        "state": "MN",
        "timezone": "America/Chicago",
        "topics": {topic: {"sources": [{"location": str(path), "mapping": mapping}]}},
    }
    (tmp_path / "toolkit.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    load_config(tmp_path / "toolkit.yaml")
    return mapping


def test_the_minneapolis_stops_get_their_main_columns(tmp_path):
    mapping = _suggest(tmp_path, "police_stops", SAMPLE)
    preset = load_config(FIXTURES / "toolkit.yaml").sources("police_stops")[0].mapping
    assert mapping["subject_race"] == preset["subject_race"] | {"column": "race"}
    assert mapping["date"] == preset["date"]
    assert mapping["search_vehicle"]["column"] == "vehicleSearch"
    assert mapping["raw_row_number"] == "idNum"
    assert (mapping["lat"], mapping["lng"]) == ("lat", "long")


def test_one_hot_race_columns_are_folded(tmp_path):
    mapping = _suggest(tmp_path, "use_of_force", FIXTURES / "use_of_force" / "bloomington_in_use_of_force_2019q1.xlsx")
    one_hot = mapping["subject_race"]["one_hot"]
    assert one_hot["Suspect Race African American, Non-Hispanic"] == "black"
    assert one_hot["Suspect Race  Caucasian, Hispanic"] == "hispanic"
    assert one_hot["Suspect Race Caucasian, Non-Hispanic"] == "white"


def test_two_digit_years_and_a_misspelled_race_column_are_not_mistaken(tmp_path):
    mapping = _suggest(
        tmp_path, "use_of_force", FIXTURES / "mapping" / "indianapolis_use_of_force_head.csv", {"skip_rows": [1]}
    )
    assert mapping["date"]["format"] == "%m/%d/%y %H:%M"  # not %Y, which reads "14" as the year 14
    assert mapping.get("subject_race", {}).get("column") != "OFFICER_RACE"
    assert mapping["officer_race"]["column"] == "OFFICER_RACE"


def test_coordinates_inside_a_text_column_are_parsed(tmp_path):
    mapping = _suggest(tmp_path, "use_of_force", FIXTURES / "mapping" / "austin_use_of_force_2017_head.csv")
    assert mapping["lat"] == {"column": "Location 1", "parse": "lat"}
    assert mapping["lng"] == {"column": "Location 1", "parse": "lng"}
    assert mapping["subject_race"]["values"]["W"] == "white"
