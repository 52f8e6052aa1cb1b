"""The Chicago personnel presets on their real samples: the counts of races, sexes, findings and record kinds
after standardizing equal a reading of the raw files with pandas, and no name reaches the processed data."""

from __future__ import annotations

import pandas as pd
import pytest

from .labels import CHICAGO_ACCUSED_RACE, CHICAGO_COMPLAINANT_RACE, CHICAGO_FINDING, CHICAGO_ROSTER_RACE, CHICAGO_SEX
from .presets import read_raw


def counts(series: pd.Series) -> dict:
    return series.fillna("missing").value_counts().to_dict()


def test_roster(standardized):
    frame = standardized("chicago_officer_roster").frame()
    source = read_raw("chicago_officer_roster")
    assert (frame["record_type"] == "officer").all()
    assert frame["active"].all()
    assert counts(frame["officer_race"]) == counts(source["RACE"].map(CHICAGO_ROSTER_RACE))
    assert counts(frame["officer_sex"]) == counts(source["SEX_CODE_CD"].map(CHICAGO_SEX))
    sworn = source["SWORN_OFFICER_I"].map({"Y": True, "N": False})
    assert counts(frame["sworn"].astype("object")) == counts(sworn.astype("object"))  # blanks stay missing
    assert counts(frame["officer_rank"]) == counts(source["EMPLOYEE_POSITION"].replace("", None))
    # Two-digit years: "25-Mar-68" is 1968; nobody on a 2016 roster was appointed in the future.
    appointed = pd.to_datetime(source["APPOINTED_DATE"], format="%d-%b-%y", errors="coerce")
    expected = appointed.where(appointed.dt.year <= 2016, appointed - pd.DateOffset(years=100))
    assert frame["appointed_date"].tolist() == expected.tolist()
    assert frame["appointed_date"].dt.year.min() < 1970
    assert frame["appointed_date"].dt.year.max() <= 2016
    assert frame["date"].isna().all()  # a roster has no event date
    assert frame["officer_id_hash"].nunique() == source["STAR_NO"].replace("", None).nunique()


def test_complaints(standardized):
    frame = standardized("chicago_complaints").frame()
    source = read_raw("chicago_complaints")
    assert (frame["record_type"] == "complaint").all()
    assert len(frame) == len(source)  # duplicated rows are kept and counted, never dropped
    assert frame["complaint_id"].nunique() == source["cr_id"].nunique() < len(source)
    years = pd.to_datetime(source["complaint_date"]).dt.year
    assert frame["date"].dt.year.value_counts().to_dict() == years.value_counts().to_dict()
    assert counts(frame["beat"]) == counts(source["beat"].replace("", None))
    assert "location" not in frame.columns
    assert not set(source["street"].replace("", None).dropna()) & set(frame.astype(str).to_numpy().ravel())


def test_accused_officers(standardized):
    frame = standardized("chicago_complaints_accused").frame()
    source = read_raw("chicago_complaints_accused")
    assert (frame["record_type"] == "allegation").all()
    assert counts(frame["finding"]) == counts(source["final_finding"].map(CHICAGO_FINDING))
    assert counts(frame["officer_race"]) == counts(source["race"].map(CHICAGO_ACCUSED_RACE))
    assert counts(frame["officer_sex"]) == counts(source["gender"].map(CHICAGO_SEX))
    assert counts(frame["allegation_category"]) == counts(source["complaint_category"].replace("", None))
    # One hash per officer (name, birth year, appointment date), so repeat complaints can be counted.
    person = source["full_name"] + "|" + source["birth_year"] + "|" + source["appointed_date"]
    assert sorted(frame.groupby("officer_id_hash").size()) == sorted(person.value_counts())
    assert not set(source["full_name"]) & set(frame.astype(str).to_numpy().ravel())
    assert "officer_name" not in frame.columns
    assert "officer_id" not in frame.columns


def test_complainants(standardized):
    frame = standardized("chicago_complaints_complainants").frame()
    source = read_raw("chicago_complaints_complainants")
    assert (frame["record_type"] == "complainant").all()
    assert counts(frame["complainant_race"]) == counts(source["race"].map(CHICAGO_COMPLAINANT_RACE))
    assert counts(frame["complainant_sex"]) == counts(source["gender"].map(CHICAGO_SEX))
    ages = pd.to_numeric(source["age"], errors="coerce")
    assert frame["complainant_age"].tolist() == pytest.approx(ages.where(ages.between(10, 110)).tolist(), nan_ok=True)
