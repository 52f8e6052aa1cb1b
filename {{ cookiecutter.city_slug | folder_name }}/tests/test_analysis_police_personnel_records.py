"""The personnel analyses on the real Chicago samples, checked against independent pandas and scipy readings of
the raw files; and what the report says when a piece of the data is missing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from scipy import stats

from safety_toolkit.analysis import Dataset
from safety_toolkit.analysis import police_personnel_records as pr
from safety_toolkit.config import Population

from .labels import CHICAGO_ACCUSED_RACE, CHICAGO_FINDING, CHICAGO_ROSTER_RACE
from .presets import read_raw
from .report_helpers import run_report

TOPIC = "police_personnel_records"
ALL = ("chicago_officer_roster", "chicago_complaints", "chicago_complaints_accused", "chicago_complaints_complainants")
OPEN = ("unknown", "pending")


@pytest.fixture
def ds(standardized) -> Dataset:
    return standardized(*ALL).dataset()


@pytest.fixture(scope="module")
def accused() -> pd.DataFrame:
    frame = read_raw("chicago_complaints_accused")
    dates = read_raw("chicago_complaints").drop_duplicates("cr_id").set_index("cr_id")["complaint_date"]
    return frame.assign(
        finding=frame["final_finding"].map(CHICAGO_FINDING),
        race=frame["race"].map(CHICAGO_ACCUSED_RACE),
        officer=frame["full_name"] + "|" + frame["birth_year"] + "|" + frame["appointed_date"],
        date=pd.to_datetime(frame["cr_id"].map(dates)),
    )


def test_summary_counts_each_kind_of_record(ds, accused):
    roster = read_raw("chicago_officer_roster")
    s = pr.summary(ds)
    assert s.officers == len(roster)
    assert s.sworn == (roster["SWORN_OFFICER_I"] == "Y").sum()
    assert s.complaints == read_raw("chicago_complaints")["cr_id"].nunique()
    assert s.allegations == len(accused)
    assert s.officers_named == accused["officer"].nunique()
    assert s.complainants == len(read_raw("chicago_complaints_complainants"))
    assert s.undated_allegations == 0  # every allegation is dated through its complaint


def test_force_by_race_against_population(ds):
    roster = read_raw("chicago_officer_roster")
    sworn = roster[roster["SWORN_OFFICER_I"] == "Y"]["RACE"].map(CHICAGO_ROSTER_RACE).value_counts()
    population = Population(1000, {"white": 400, "black": 300, "hispanic": 250})
    frame = pr.force_by_race(ds, population).set_index("race")
    known = sworn.drop("unknown", errors="ignore").sum()
    for race, n in sworn.items():
        assert frame.loc[race, "officers"] == n
        assert frame.loc[race, "officer_share"] == pytest.approx(n / known)
    assert frame.loc["black", "resident_share"] == pytest.approx(0.3)
    assert frame.loc["black", "gap"] == pytest.approx((sworn["black"] / known - 0.3) * 100)
    assert pd.isna(frame.loc["asian/pacific islander", "resident_share"])  # no figure given: no comparison
    without = pr.force_by_race(ds, None)
    assert without["resident_share"].isna().all()
    assert without["officers"].sum() == sworn.sum()


def test_officers_by_rank_keeps_the_largest_groups(ds):
    roster = read_raw("chicago_officer_roster")
    ranks = roster[roster["SWORN_OFFICER_I"] == "Y"]["EMPLOYEE_POSITION"].value_counts()
    frame = pr.officers_by(ds, "officer_rank", top=3)
    assert frame["officers"].tolist()[:3] == ranks.tolist()[:3]
    assert frame["value"].iloc[-1] == f"all {len(ranks) - 3} others"
    assert frame["officers"].sum() == ranks.sum()
    assert frame["share"].sum() == pytest.approx(1)


def test_hires_by_period_read_two_digit_years_in_the_past(ds):
    roster = read_raw("chicago_officer_roster")
    sworn = roster[roster["SWORN_OFFICER_I"] == "Y"]
    years = pd.to_datetime(sworn["APPOINTED_DATE"], format="%d-%b-%y").dt.year
    years = years.where(years <= 2016, years - 100)
    expected = (years // 5 * 5).value_counts().sort_index()
    frame = pr.hires_by_period(ds)
    assert frame["officers"].tolist() == expected.tolist()
    assert frame["appointed"].iloc[0] == f"{expected.index[0]}–{expected.index[0] + 4}"


def test_findings_and_sustained_rate_by_category(ds, accused):
    findings = pr.findings(ds).set_index("finding")["allegations"]
    assert findings.to_dict() == accused["finding"].value_counts().to_dict()
    category = accused["complaint_category"].replace("", "not recorded")
    table = pr.sustained_by_category(ds, top=4)
    counts = category.value_counts()
    assert table["allegations"].tolist()[:4] == counts.tolist()[:4]
    rest = accused[~category.isin(table["category"].iloc[:4])]
    last = table.iloc[-1]
    assert last["category"] == f"all {len(counts) - 4} other categories"
    closed = rest[~rest["finding"].isin(OPEN)]
    assert (last["allegations"], last["closed"]) == (len(rest), len(closed))
    assert last["rate"] == pytest.approx((closed["finding"] == "sustained").mean())


def test_sustained_rates_by_officer_race_match_scipy(ds, accused):
    comparison = pr.sustained_by_officer(ds, "officer_race", "white")
    closed = accused[~accused["finding"].isin(OPEN)]
    expected = closed.groupby("race")["finding"].agg(closed="size", sustained=lambda s: (s == "sustained").sum())
    table = comparison.table.set_index("group")
    for race, row in expected.iterrows():
        assert (table.loc[race, "closed"], table.loc[race, "sustained"]) == (row["closed"], row["sustained"])
    black, white = expected.loc["black"], expected.loc["white"]
    contingency = [[black.sustained, black.closed - black.sustained], [white.sustained, white.closed - white.sustained]]
    p = (
        stats.fisher_exact(contingency).pvalue
        if stats.contingency.expected_freq(contingency).min() < 5
        else stats.chi2_contingency(contingency).pvalue
    )
    assert table.loc["black", "p_value"] == pytest.approx(p)
    question, answer = comparison.finding("black")
    assert (
        question
        == "Were allegations against Black officers sustained more often than allegations against white officers?"
    )
    assert f"({black.sustained} of {black.closed})" in answer


def test_a_date_range_limits_complaints_through_their_dates(standardized, accused):
    start, end = dt.date(2006, 1, 1), dt.date(2010, 12, 31)
    ds = standardized(*ALL).dataset(start, end)
    inside = accused[(accused["date"] >= pd.Timestamp(start)) & (accused["date"] <= pd.Timestamp(end))]
    assert pr.summary(ds).allegations == len(inside)
    assert pr.findings(ds)["allegations"].sum() == len(inside)
    complaints = read_raw("chicago_complaints").drop_duplicates("cr_id")
    years = pd.to_datetime(complaints["complaint_date"]).dt.year
    expected = years[(years >= 2006) & (years <= 2010)].value_counts().sort_index()
    assert pr.complaints_by_year(ds).set_index("year")["complaints"].to_dict() == expected.to_dict()
    assert pr.summary(ds).officers == len(read_raw("chicago_officer_roster"))  # the roster stays whole


def test_repeated_complaints_by_hashed_officer(ds, accused):
    per_officer = accused.groupby("officer")["cr_id"].nunique()
    bands = pr.complaints_per_officer(ds).set_index("complaints per officer")
    assert bands.loc["2", "officers"] == (per_officer == 2).sum()
    assert bands.loc["3–4", "officers"] == per_officer.between(3, 4).sum()
    assert bands["officers"].sum() == len(per_officer)
    assert bands["share of complaints"].sum() == pytest.approx(1)
    top = pr.most_named(ds, top=5)
    assert top["complaints"].tolist() == per_officer.sort_values(ascending=False).head(5).tolist()
    assert top["officer"].str.len().eq(8).all()


def test_allegations_without_their_complaints_are_undated_and_said_so(project, accused):
    text = run_report(project, TOPIC, "chicago_complaints_accused", city="Chicago", state="IL").text
    assert f"{len(accused):,} allegations have no date" in text
    assert "No complaint has a date" in text
    assert "This data has no roster" in text
    assert "does not record who complained" in text


def test_a_roster_alone_renders_without_complaints(project):
    text = run_report(project, TOPIC, "chicago_officer_roster", city="Chicago", state="IL").text
    assert "Population figures by race are not set" in text  # says what the comparison needs
    assert "This data has no complaints" in text
    for missing in ("records no allegations, so it cannot show how they ended",
                    "records no allegations, so it cannot compare sustained rates", "names no officer in a complaint"):
        assert missing in text
