"""The hate crime presets: counts after standardizing equal an independent reading of the raw files."""

from __future__ import annotations

import pandas as pd
import pytest

from .presets import read_raw

# The FBI's groups of biases, by words in the bias (checked in this order).
FBI_GROUPS = (
    ("sexual orientation", ("Gay", "Lesbian", "Bisexual", "Heterosexual")),
    ("gender identity", ("Transgender", "Gender Non-Conforming")),
    ("disability", ("Disability",)),
    ("gender", ("Anti-Male", "Anti-Female")),
    (
        "religion",
        (
            "Jewish",
            "Catholic",
            "Protestant",
            "Islamic",
            "Religion",
            "Atheism",
            "Mormon",
            "Church",
            "Jehovah",
            "Orthodox",
            "Christian",
            "Buddhist",
            "Hindu",
            "Sikh",
        ),
    ),
)
OFFENDER_RACES = {
    "White": "white",
    "Black or African American": "black",
    "Asian": "asian/pacific islander",
    "Native Hawaiian or Other Pacific Islander": "asian/pacific islander",
    "American Indian or Alaska Native": "other",
    "Multiple": "other",
    "Unknown": "unknown",
    "Not Specified": "unknown",
}


def _fbi_group(bias: str) -> str:
    for group, words in FBI_GROUPS:
        if any(word in bias for word in words):
            return group
    return "race/ethnicity/ancestry"


def _fbi_category(cell: str) -> str:
    groups = {_fbi_group(b) for b in cell.split(";")}
    return groups.pop() if len(groups) == 1 else "other"


def _offender(race: str, ethnicity: str) -> str:
    if ethnicity == "Hispanic or Latino":
        return "hispanic"
    if ethnicity == "Multiple":
        return "other"
    return OFFENDER_RACES[race]


@pytest.fixture
def fbi(standardized) -> tuple[pd.DataFrame, pd.DataFrame]:
    return standardized("fbi_hate_crime_incidents").frame(), read_raw("fbi_hate_crime_incidents")


def test_fbi_states_agencies_and_dates(fbi):
    frame, raw = fbi
    assert frame["state"].value_counts().to_dict() == raw["STATE_ABBR"].value_counts().to_dict()
    assert frame["agency_ori"].value_counts().to_dict() == raw["ORI"].value_counts().to_dict()
    assert frame["agency_type"].value_counts().to_dict() == raw["AGENCY_TYPE_NAME"].value_counts().to_dict()
    # "17-Apr-17": two-digit years, read as 2017, never as a date in the future.
    years = pd.to_datetime(raw["INCIDENT_DATE"], format="%d-%b-%y").dt.year
    assert frame["date"].dt.year.value_counts().to_dict() == years.value_counts().to_dict()
    assert frame["date"].max() < pd.Timestamp("2020-01-01")


def test_fbi_bias_categories_follow_the_fbi_groups(fbi):
    frame, raw = fbi
    expected = raw["BIAS_DESC"].map(_fbi_category)
    assert frame["bias_category"].value_counts().to_dict() == expected.value_counts().to_dict()
    several = raw["BIAS_DESC"].str.contains(";")
    assert several.sum() == int((raw["MULTIPLE_BIAS"] == "M").sum()) > 0
    assert (frame["bias_motivation"] == raw["BIAS_DESC"]).all()


def test_fbi_offender_race_counts_hispanic_ethnicity_as_hispanic(fbi):
    frame, raw = fbi
    expected = [_offender(r, e) for r, e in zip(raw["OFFENDER_RACE"], raw["OFFENDER_ETHNICITY"], strict=True)]
    assert frame["offender_race"].value_counts().to_dict() == pd.Series(expected).value_counts().to_dict()
    assert (frame["offender_race"] == "hispanic").sum() == (raw["OFFENDER_ETHNICITY"] == "Hispanic or Latino").sum()


def test_fbi_offenses_victims_and_counts(fbi):
    frame, raw = fbi
    assert frame["offense"].str.contains(";").sum() == raw["OFFENSE_NAME"].str.contains(";").sum() > 0
    assert frame["victim_type"].value_counts().to_dict() == raw["VICTIM_TYPES"].value_counts().to_dict()
    assert frame["victim_count"].sum() == raw["VICTIM_COUNT"].astype(int).sum()
    assert frame["offender_count"].sum() == raw["TOTAL_OFFENDER_COUNT"].astype(int).sum()
    assert frame["incident_id"].is_unique


@pytest.fixture
def nyc(standardized) -> tuple[pd.DataFrame, pd.DataFrame]:
    return standardized("nyc_hate_crimes").frame(), read_raw("nyc_hate_crimes")


def test_nyc_bias_categories_agree_with_the_publishers_grouping(nyc):
    frame, raw = nyc
    publisher = {
        "Religion/Religious Practice": {"religion"},
        "Race/Color": {"race/ethnicity/ancestry"},
        "Ethnicity/National Origin/Ancestry": {"race/ethnicity/ancestry"},
        "Sexual Orientation": {"sexual orientation"},
        "Gender": {"gender", "gender identity"},  # the NYPD files anti-transgender bias under Gender
        "Age": {"age"},
        "Disability": {"disability"},
    }
    classified = raw["Offense Category"] != "Unclassified"
    for ours, theirs in zip(frame["bias_category"][classified], raw["Offense Category"][classified], strict=True):
        assert ours in publisher[theirs]
    assert frame["bias_motivation"].value_counts().to_dict() == raw["Bias Motive Description"].value_counts().to_dict()
    assert (frame["bias_category"] != "unknown").all()


def test_nyc_dates_arrests_and_offense_levels(nyc):
    frame, raw = nyc
    created = pd.to_datetime(raw["Record Create Date"], format="%m/%d/%Y")
    assert (frame["date"] == created).all()
    assert frame["arrest_date"].notna().sum() == (raw["Arrest Date"] != "").sum() > 0
    levels = raw["Law Code Category Description"].value_counts().to_dict()
    assert frame["offense_category"].value_counts().to_dict() == levels
    assert frame["offense"].value_counts().to_dict() == raw["Offense Description"].value_counts().to_dict()


def test_nyc_mangled_complaint_ids_are_not_used_as_ids(nyc):
    frame, raw = nyc
    assert not raw["Full Complaint ID"].is_unique  # "2.02105E+14": a spreadsheet program rounded them
    assert frame["incident_id"].isna().all()
