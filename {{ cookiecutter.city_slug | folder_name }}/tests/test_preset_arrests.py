"""The arrests preset: counts after standardizing equal an independent reading of the raw file."""

from __future__ import annotations

import pandas as pd

from .labels import NYC_RACE
from .presets import FIXTURES, PRESETS, read_raw


def test_every_fixture_of_this_folder_has_a_preset():
    fixtures = {p["fixture"] for p in PRESETS.values() if p["topic"] == "arrests"}
    assert fixtures == {f"arrests/{p.name}" for p in (FIXTURES / "arrests").glob("*.csv")}


def test_nyc_arrests_levels_races_ages_and_agencies(standardized):
    done = standardized("nyc_arrests")
    frame, source = done.frame(), read_raw("nyc_arrests")
    assert len(frame) == done.snapshots[0].rows == len(source)
    assert frame["subject_race"].value_counts().to_dict() == source["PERP_RACE"].map(NYC_RACE).value_counts().to_dict()
    # "WHITE HISPANIC" would be white if race were read alone.
    assert (frame["subject_race"] == "hispanic").sum() > (source["PERP_RACE"] == "BLACK HISPANIC").sum()
    sexes = source["PERP_SEX"].map({"M": "male", "F": "female"})
    assert frame["subject_sex"].value_counts().to_dict() == sexes.value_counts().to_dict()
    levels = source["LAW_CAT_CD"].map({"F": "felony", "M": "misdemeanor", "V": "violation", "I": "infraction"})
    assert frame["offense_level"].value_counts().to_dict() == levels.fillna("unknown").value_counts().to_dict()
    assert frame["subject_age_group"].value_counts().to_dict() == source["AGE_GROUP"].value_counts().to_dict()
    assert frame["offense_category"].value_counts().to_dict() == source["OFNS_DESC"].value_counts().to_dict()
    agencies = source["JURISDICTION_CODE"].replace({"0": "NYPD patrol", "1": "NYPD transit", "2": "NYPD housing"})
    assert frame["agency"].value_counts().to_dict() == agencies.value_counts().to_dict()
    assert set(frame["district"]) == {"Queens"}
    dates = pd.to_datetime(source["ARREST_DATE"], format="%m/%d/%Y")
    assert pd.to_datetime(frame["date"]).tolist() == dates.tolist()
    assert frame["arrest_id"].tolist() == source["ARREST_KEY"].tolist()
