"""The stops presets on their real samples: the counts of races, sexes, reasons and flags after standardizing
equal a reading of the raw files with pandas."""

from __future__ import annotations

import pandas as pd

from .labels import MINNEAPOLIS_RACE
from .presets import read_raw

YES_NO = {"YES": True, "NO": False}


def counts(series: pd.Series) -> dict:
    return series.astype("object").where(series.notna(), "missing").value_counts().to_dict()


def test_mississippi_highway_patrol(standardized):
    name = "mississippi_highway_patrol_opp_v1"
    frame, source = standardized(name).frame(), read_raw(name)
    race = source["driver_race"].map({"White": "white", "Black": "black", "": "unknown"})
    sex = source["driver_gender"].map({"male": "male", "female": "female", "": "unknown"})
    assert counts(frame["subject_race"]) == counts(race)
    assert counts(frame["subject_sex"]) == counts(sex)
    assert counts(frame["reason_for_stop"]) == counts(source["violation"].replace("", None))
    assert counts(frame["district"]) == counts(source["county_name"])
    assert (frame["type"] == "vehicular").all()
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == source["stop_date"].tolist()
    age = pd.to_numeric(source["driver_age"], errors="coerce")
    assert frame["subject_age"].isna().sum() == (age.isna() | (age < 10)).sum()  # a driver "aged 7" is not kept
    assert frame["officer_id_hash"].nunique() == source["officer_id"].replace("", None).nunique()
    assert not set(source["officer_id"]) & set(frame["officer_id_hash"].dropna())
    assert frame["time"].isna().all()
    assert frame["search_conducted"].isna().all()


def test_minneapolis_stop_data(standardized):
    frame, source = standardized("minneapolis_stops_cardata").frame(), read_raw("minneapolis_stops_cardata")
    assert counts(frame["subject_race"]) == counts(source["race"].map(MINNEAPOLIS_RACE))
    for column, flag in (("vehicleSearch", "search_vehicle"), ("personSearch", "frisk_performed"),
                         ("citationIssued", "citation_issued")):  # fmt: skip
        assert counts(frame[flag]) == counts(source[column].map(YES_NO))
    assert counts(frame["reason_for_stop"]) == counts(source["problem"])
    assert frame["time"].astype(str).tolist() == source["date"].str[11:].tolist()
