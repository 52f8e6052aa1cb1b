"""Standardization maps the real sample exactly as an independent pandas computation does."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest
import yaml

from safety_toolkit.config import load_config
from safety_toolkit.sources import fetch_topic
from safety_toolkit.standardize import MappingError, processed_path, standardize_topic
from safety_toolkit.store import Store


def _standardize(project):
    config = load_config(project / "toolkit.yaml")
    store = Store(project)
    fetch_topic(config, "police_stops", store)
    report = standardize_topic(config, "police_stops", store)
    frame = duckdb.execute("SELECT * FROM read_parquet(?)", [processed_path(project, "police_stops").as_posix()]).df()
    return config, report, frame


def test_categories_match_an_independent_mapping(project, raw_sample):
    config, report, frame = _standardize(project)
    mapping = config.sources("police_stops")[0].mapping
    for column, raw_column in (("subject_race", "race"), ("subject_sex", "gender")):
        values = mapping[column]["values"]
        expected = (
            raw_sample[raw_column].map(lambda v, values=values: values.get(v, "unknown")).value_counts().sort_index()
        )
        actual = frame[column].value_counts().sort_index()
        pd.testing.assert_series_equal(actual, expected, check_names=False, check_dtype=False)
    assert report["rows"] == len(raw_sample) == len(frame)


def test_flags_dates_and_numbers_match_the_raw_text(project, raw_sample):
    _, _, frame = _standardize(project)
    assert int(frame["search_vehicle"].sum()) == int((raw_sample["vehicleSearch"] == "YES").sum())
    assert int(frame["search_vehicle"].isna().sum()) == int((raw_sample["vehicleSearch"] == "").sum())
    assert int(frame["frisk_performed"].sum()) == int((raw_sample["personSearch"] == "YES").sum())
    assert int(frame["citation_issued"].notna().sum()) == int((raw_sample["citationIssued"] != "").sum())
    stamps = pd.to_datetime(raw_sample["date"], format="%Y-%m-%d %H:%M:%S")
    assert frame["date"].astype(str).tolist() == stamps.dt.strftime("%Y-%m-%d").tolist()
    assert frame["time"].astype(str).tolist() == stamps.dt.strftime("%H:%M:%S").tolist()
    assert frame["lat"].round(6).tolist() == raw_sample["lat"].astype(float).round(6).tolist()
    assert (frame["source"] == 'Minneapolis Police Stop Data, 2017 (carData "MplsStops")').all()


def test_private_columns_never_reach_processed_data(project):
    _, _, frame = _standardize(project)
    assert "location" not in frame.columns
    assert "officer_id" not in frame.columns


def test_values_outside_the_mapping_become_unknown_and_are_counted(project, raw_sample):
    sample = project / "minneapolis_stops_2017_sample.csv"
    text = sample.read_text()
    sample.write_text(text.replace(",Black,", ",Blk,", 3))
    _, report, _ = _standardize(project)
    (source,) = report["sources"]
    unmapped = [v for v in source["columns"]["subject_race"]["values"] if v["status"] == "unmapped"]
    assert unmapped == [{"raw": "Blk", "standard": "unknown", "rows": 3, "status": "unmapped"}]
    missing = [v for v in source["columns"]["subject_race"]["values"] if v["status"] == "missing"]
    assert missing == [
        {"raw": None, "standard": "unknown", "rows": int((raw_sample["race"] == "").sum()), "status": "missing"}
    ]
    assert json.loads((project / "data" / "processed" / "police_stops.json").read_text()) == report


def test_a_misnamed_column_names_the_key_to_fix(project):
    toolkit = project / "toolkit.yaml"
    toolkit.write_text(toolkit.read_text().replace("column: race", "column: Race"))
    with pytest.raises(MappingError) as err:
        _standardize(project)
    message = str(err.value)
    assert "topics.police_stops.sources[0].mapping.subject_race" in message
    assert "Did you mean 'race'?" in message


def test_a_wrong_date_format_is_refused_with_examples(project):
    toolkit = project / "toolkit.yaml"
    toolkit.write_text(toolkit.read_text().replace("%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M", 1))
    with pytest.raises(MappingError) as err:
        _standardize(project)
    message = str(err.value)
    assert "mapping.date" in message
    assert "'2017-01-01 00:00:42'" in message
    assert "format" in message


def test_a_failed_standardization_keeps_the_previous_output(project):
    _standardize(project)
    output = processed_path(project, "police_stops")
    before = output.read_bytes()
    toolkit = project / "toolkit.yaml"
    toolkit.write_text(toolkit.read_text().replace("column: race", "column: Race"))
    with pytest.raises(MappingError):
        _standardize(project)
    assert output.read_bytes() == before


def _edit_mapping(project, **changes):
    toolkit = project / "toolkit.yaml"
    data = yaml.safe_load(toolkit.read_text())
    mapping = data["topics"]["police_stops"]["sources"][0]["mapping"]
    for key, value in changes.items():
        if value is ...:
            del mapping[key]
        else:
            mapping[key] = value
    toolkit.write_text(yaml.safe_dump(data))


def test_a_mapping_without_a_date_is_refused_naming_the_key_to_add(project):
    _edit_mapping(project, date=...)
    with pytest.raises(MappingError) as err:
        _standardize(project)
    message = str(err.value)
    assert "topics.police_stops.sources[0].mapping: there is no 'date:'" in message
    assert "'date: null'" in message
    assert not processed_path(project, "police_stops").exists()
    # Saying so out loud is allowed: the data records no date.
    _edit_mapping(project, date=None)
    _, report, frame = _standardize(project)
    assert frame["date"].isna().all()
    assert report["rows"] == len(frame)


def test_a_date_column_that_is_always_blank_is_refused(project, raw_sample):
    _edit_mapping(project, date={"column": "MDC", "format": "%Y-%m-%d %H:%M:%S"})
    (project / "minneapolis_stops_2017_sample.csv").write_text(
        raw_sample.assign(MDC="").to_csv(index=False), encoding="utf-8"
    )
    with pytest.raises(MappingError) as err:
        _standardize(project)
    assert "mapping.date" in str(err.value)
    assert "every value of 'MDC' is blank" in str(err.value)
