"""The Chicago personnel presets on their real samples: the counts of races, sexes, findings and record kinds
after standardizing equal a reading of the raw files with pandas, and no name reaches the processed data."""

from __future__ import annotations

import pandas as pd
import pytest

from .conftest import FIXTURES
from .test_presets import standardize_preset

HERE = FIXTURES / "police_personnel_records"
ROSTER_RACE = {
    "WHITE": "white", "BLACK": "black", "HISPANIC": "hispanic", "ASIAN/PACIFIC ISLANDER": "asian/pacific islander",
    "AMER IND/ALASKAN NATIVE": "other", "UNKNOWN": "unknown", "": "unknown",
}  # fmt: skip
ACCUSED_RACE = {
    "WHI": "white", "BLK": "black", "S": "hispanic", "WWH": "hispanic", "API": "asian/pacific islander",
    "I": "other", "U": "unknown", "": "unknown",
}  # fmt: skip
FINDING = {
    "SU": "sustained", "NS": "not sustained", "UN": "unfounded", "EX": "exonerated", "NAF": "no finding",
    "NC": "no finding", "DIS": "other", "": "unknown",
}  # fmt: skip
COMPLAINANT_RACE = {
    "WHITE": "white", "BLACK": "black", "WHITE HISPANIC": "hispanic", "BLACK HISPANIC": "hispanic",
    "HISPANIC": "hispanic", "ASIAN/PACIFIC ISLANDER": "asian/pacific islander", "AMER IND/ALASKAN NATIVE": "other",
    "UNKNOWN": "unknown", "": "unknown",
}  # fmt: skip
SEX = {"M": "male", "F": "female", "X": "unknown", "": "unknown"}


def raw(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / name, dtype=str, keep_default_na=False)


def counts(series: pd.Series) -> dict:
    return series.fillna("missing").value_counts().to_dict()


def test_roster(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "chicago_officer_roster")
    source = raw("chicago_officer_roster_active_sample.csv")
    assert (frame["record_type"] == "officer").all() and frame["active"].all()
    assert counts(frame["officer_race"]) == counts(source["RACE"].map(ROSTER_RACE))
    assert counts(frame["officer_sex"]) == counts(source["SEX_CODE_CD"].map(SEX))
    sworn = source["SWORN_OFFICER_I"].map({"Y": True, "N": False})
    assert counts(frame["sworn"].astype("object")) == counts(sworn.astype("object"))  # blanks stay missing
    assert counts(frame["officer_rank"]) == counts(source["EMPLOYEE_POSITION"].replace("", None))
    # Two-digit years: "25-Mar-68" is 1968; nobody on a 2016 roster was appointed in the future.
    appointed = pd.to_datetime(source["APPOINTED_DATE"], format="%d-%b-%y", errors="coerce")
    expected = appointed.where(appointed.dt.year <= 2016, appointed - pd.DateOffset(years=100))
    assert frame["appointed_date"].tolist() == expected.tolist()
    assert frame["appointed_date"].dt.year.min() < 1970 and frame["appointed_date"].dt.year.max() <= 2016
    assert frame["date"].isna().all()  # a roster has no event date
    assert frame["officer_id_hash"].nunique() == source["STAR_NO"].replace("", None).nunique()


def test_complaints(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "chicago_complaints")
    source = raw("chicago_complaints_sample.csv")
    assert (frame["record_type"] == "complaint").all()
    assert len(frame) == len(source)  # duplicated rows are kept and counted, never dropped
    assert frame["complaint_id"].nunique() == source["cr_id"].nunique() < len(source)
    years = pd.to_datetime(source["complaint_date"]).dt.year
    assert frame["date"].dt.year.value_counts().to_dict() == years.value_counts().to_dict()
    assert counts(frame["beat"]) == counts(source["beat"].replace("", None))
    assert "location" not in frame.columns
    assert not set(source["street"].replace("", None).dropna()) & set(frame.astype(str).to_numpy().ravel())


def test_accused_officers(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "chicago_complaints_accused")
    source = raw("chicago_complaints_accused_officers_sample.csv")
    assert (frame["record_type"] == "allegation").all()
    assert counts(frame["finding"]) == counts(source["final_finding"].map(FINDING))
    assert counts(frame["officer_race"]) == counts(source["race"].map(ACCUSED_RACE))
    assert counts(frame["officer_sex"]) == counts(source["gender"].map(SEX))
    assert counts(frame["allegation_category"]) == counts(source["complaint_category"].replace("", None))
    # One hash per officer (name, birth year, appointment date), so repeat complaints can be counted.
    person = source["full_name"] + "|" + source["birth_year"] + "|" + source["appointed_date"]
    assert sorted(frame.groupby("officer_id_hash").size()) == sorted(person.value_counts())
    assert not set(source["full_name"]) & set(frame.astype(str).to_numpy().ravel())
    assert "officer_name" not in frame.columns and "officer_id" not in frame.columns


def test_complainants(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "chicago_complaints_complainants")
    source = raw("chicago_complaints_complainants_sample.csv")
    assert (frame["record_type"] == "complainant").all()
    assert counts(frame["complainant_race"]) == counts(source["race"].map(COMPLAINANT_RACE))
    assert counts(frame["complainant_sex"]) == counts(source["gender"].map(SEX))
    ages = pd.to_numeric(source["age"], errors="coerce")
    assert frame["complainant_age"].tolist() == pytest.approx(ages.where(ages.between(10, 110)).tolist(), nan_ok=True)
