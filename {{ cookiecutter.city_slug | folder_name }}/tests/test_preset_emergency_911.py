"""The 911 presets on their real fixtures: the counts of key categories after standardizing equal an
independent pandas reading of the raw file."""

from __future__ import annotations

import pandas as pd
import pytest

from .presets import PRESETS, read_raw


def counts(series: pd.Series) -> dict:
    return series.dropna().value_counts().to_dict()


def test_milwaukee_types_dispositions_districts_and_officer_activity(standardized):
    frame = standardized("milwaukee_calls_for_service").frame()
    source = read_raw("milwaukee_calls_for_service")
    assert len(frame) == len(source)
    assert counts(frame["call_type"]) == counts(source["nature"])
    assert counts(frame["disposition"]) == counts(source["status"])
    assert counts(frame["district"]) == counts(source["district"])
    assert frame["lat"].isna().sum() == (source["latitude"] == "").sum() > 0
    officer_codes = [
        c.lower() for c in PRESETS["milwaukee_calls_for_service"]["source"]["mapping"]["officer_initiated"]["equals"]
    ]
    assert frame["officer_initiated"].sum() == source["nature"].str.lower().isin(officer_codes).sum() > 0
    assert "TRAFFIC STOP" in set(source.loc[source["nature"].str.lower().isin(officer_codes), "nature"])
    times = pd.to_datetime(source["time"], format="%Y-%m-%d %H:%M:%S")
    assert frame["received_at"].tolist() == times.tolist()
    assert (frame["agency"] == "police").all()


def test_san_francisco_units_priorities_times_and_lat_lng_text(standardized):
    done = standardized("sf_fire_calls_for_service")
    frame, report = done.frame(), done.report
    source = read_raw("sf_fire_calls_for_service")
    assert len(frame) == len(source)  # one row per unit, as published
    assert frame["call_id"].nunique() == source["Call Number"].nunique() < len(source)
    assert counts(frame["priority"]) == counts(source["Priority"])
    assert counts(frame["call_type"]) == counts(source["Call Type"])
    assert counts(frame["call_type_group"]) == counts(source["Call Type Group"].replace("", None))
    assert counts(frame["neighborhood"]) == counts(source["Neighborhooods - Analysis Boundaries"])
    assert counts(frame["district"]) == counts(source["Battalion"])
    twelve_hour = "%m/%d/%Y %I:%M:%S %p"
    for column, published in (
        ("received_at", "Received DtTm"),
        ("dispatched_at", "Dispatch DtTm"),
        ("arrived_at", "On Scene DtTm"),
    ):
        expected = pd.to_datetime(source[published].replace("", None), format=twelve_hour)
        assert frame[column].isna().tolist() == expected.isna().tolist()
        assert frame[column].dropna().tolist() == expected.dropna().tolist()
    assert frame["arrived_at"].isna().sum() == (source["On Scene DtTm"] == "").sum() > 0
    coordinates = source["Location"].str.extract(r"\((-?[\d.]+), (-?[\d.]+)\)").astype(float)
    assert frame["lat"].tolist() == pytest.approx(coordinates[0].tolist())
    assert frame["lng"].tolist() == pytest.approx(coordinates[1].tolist())
    assert set(frame["agency"]) == {"fire and ems"}
    assert report["sources"][0]["columns"]["arrived_at"]["parsing"]["failed"] == 0


def test_detroit_intervals_with_negative_dispatch_times_set_aside(standardized):
    done = standardized("detroit_911_calls_last30days")
    frame, report = done.frame(), done.report
    source = read_raw("detroit_911_calls_last30days")
    assert source.columns[0] == "intaketime"  # the byte-order mark is not part of the name
    assert len(frame) == len(source)
    assert frame["date"].isna().all()  # the file has no dates at all
    dispatch = pd.to_numeric(source["dispatchtime"].replace("", None))
    negative = int((dispatch < 0).sum())
    assert negative > 0
    assert frame["dispatch_minutes"].isna().sum() == dispatch.isna().sum() + negative
    assert report["sources"][0]["columns"]["dispatch_minutes"]["parsing"]["out_of_range"] == negative
    for column, published in (
        ("intake_minutes", "intaketime"),
        ("travel_minutes", "traveltime"),
        ("response_minutes", "totalresponsetime"),
        ("on_scene_minutes", "time_on_scene"),
    ):
        expected = pd.to_numeric(source[published].replace("", None))
        assert frame[column].tolist() == pytest.approx(expected.tolist(), nan_ok=True)
    assert (frame["response_minutes"] == 0).sum() == (source["totalresponsetime"] == "0").sum() > 0
