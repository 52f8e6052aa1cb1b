"""The personnel records report on the real Chicago samples (roster, complaints, accused officers, complainants),
run end to end through the command line: its numbers equal a reading of the raw files with pandas and scipy."""

from __future__ import annotations

from html import unescape

import pandas as pd
import pytest
from scipy import stats

from .html_page import Page
from .labels import CHICAGO_ACCUSED_RACE, CHICAGO_COMPLAINANT_RACE, CHICAGO_FINDING, CHICAGO_ROSTER_RACE
from .presets import read_raw
from .report_helpers import copy_project, run_report, small_counts_shown

TOPIC = "police_personnel_records"
PRESET_NAMES = (
    "chicago_officer_roster",
    "chicago_complaints",
    "chicago_complaints_accused",
    "chicago_complaints_complainants",
)
CHICAGO = {"city": "Chicago", "state": "IL"}
# Round figures made up for the test, not census data: they only check the arithmetic.
POPULATION = {
    "total": 2_700_000,
    "by_race": {"white": 900_000, "black": 850_000, "hispanic": 780_000, "asian/pacific islander": 150_000},
    "source": "test figures, not census data",
    "year": 2015,
}


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Page:
    project = copy_project(tmp_path_factory.mktemp("chicago") / "toolkit")
    return run_report(project, TOPIC, *PRESET_NAMES, population=POPULATION, **CHICAGO)


@pytest.fixture(scope="module")
def accused() -> pd.DataFrame:
    frame = read_raw("chicago_complaints_accused")
    return frame.assign(
        finding=frame["final_finding"].map(CHICAGO_FINDING),
        officer_race=frame["race"].map(CHICAGO_ACCUSED_RACE),
        officer=frame["full_name"] + "|" + frame["birth_year"] + "|" + frame["appointed_date"],
    )


def pct(value: float) -> str:
    return f"{value:.1%}"


def test_the_force_is_compared_with_the_residents(page):
    roster = read_raw("chicago_officer_roster")
    sworn = roster[roster["SWORN_OFFICER_I"] == "Y"]["RACE"].map(CHICAGO_ROSTER_RACE).value_counts()
    known = sworn.drop("unknown", errors="ignore").sum()
    table = page.table("force-by-race", index=0)
    for race, officers in sworn.items():
        assert table.loc[race, "sworn officers"] == f"{officers:,}"
        if race in POPULATION["by_race"]:
            officer_share = officers / known
            resident_share = POPULATION["by_race"][race] / POPULATION["total"]
            assert table.loc[race, "share of officers"] == pct(officer_share)
            assert table.loc[race, "share of residents"] == pct(resident_share)
            assert table.loc[race, "gap (percentage points)"] == f"{(officer_share - resident_share) * 100:.1f}"
    assert "test figures, not census data" in page.text


def test_complaints_count_each_complaint_once(page):
    complaints = read_raw("chicago_complaints").drop_duplicates("cr_id")
    years = pd.to_datetime(complaints["complaint_date"]).dt.year.value_counts()
    table = page.table("complaints-by-year", index=0)
    assert {int(y): int(n.replace(",", "")) for y, n in table["complaints"].items()} == years.to_dict()
    assert f"{len(complaints):,} complaints" in page.text


def test_findings_and_sustained_rates(page, accused):
    findings = page.table("findings", index=0)
    for finding, n in accused["finding"].value_counts().items():
        assert findings.loc[finding, "allegations"] == f"{n:,}"
    closed = accused[~accused["finding"].isin(["unknown", "pending"])]
    by_race = closed.groupby("officer_race")["finding"].agg(closed="size", sustained=lambda s: (s == "sustained").sum())
    table = page.table("sustained-by-officer_race", index=0)
    for race, row in by_race.iterrows():
        assert table.loc[race, "closed"] == f"{row['closed']:,}"
        assert table.loc[race, "sustained"] == f"{row['sustained']:,}"
        assert table.loc[race, "rate"] == pct(row["sustained"] / row["closed"])
    black, white = by_race.loc["black"], by_race.loc["white"]
    contingency = [[black.sustained, black.closed - black.sustained], [white.sustained, white.closed - white.sustained]]
    if stats.contingency.expected_freq(contingency).min() < 5:
        p = stats.fisher_exact(contingency).pvalue
    else:
        p = stats.chi2_contingency(contingency).pvalue
    assert table.loc["black", "p-value"] == ("< 0.001" if p < 0.001 else f"{p:.3f}")
    category = accused["complaint_category"].replace("", "not recorded")
    top = category.value_counts().index[0]
    rows = closed[category.loc[closed.index] == top]
    shown = page.table("sustained-by-category", index=0).loc[top]
    assert shown["allegations"] == f"{(category == top).sum():,}"
    assert shown["sustained rate"] == pct((rows["finding"] == "sustained").mean())


def test_sustained_rate_by_complainant_race_is_per_complaint(page, accused):
    people = read_raw("chicago_complaints_complainants").assign(race=lambda f: f["race"].map(CHICAGO_COMPLAINANT_RACE))
    race = people.groupby("cr_id")["race"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "several")
    outcome = accused.groupby("cr_id")["finding"].agg(
        closed=lambda s: not s.isin(["unknown", "pending"]).any(), sustained=lambda s: (s == "sustained").any()
    )
    joined = outcome.join(race, how="inner")
    closed = joined[joined["closed"]]
    expected = closed.groupby("race")["sustained"].agg(["size", "sum"])
    table = page.table("sustained-by-complainant_race", index=0)
    for group, row in expected.iterrows():
        assert table.loc[group, "closed"] == f"{row['size']:,}"
        assert table.loc[group, "sustained"] == f"{row['sum']:,}"


def test_repeated_complaints_are_counted_by_officer_never_by_name(page, accused):
    per_officer = accused.groupby("officer")["cr_id"].nunique()
    table = page.table("complaints-per-officer", index=0)
    assert table.loc["1", "officers"] == f"{(per_officer == 1).sum():,}"
    assert table.loc["5–9", "officers"] == f"{per_officer.between(5, 9).sum():,}"
    assert table.loc["5–9", "share of complaints"] == pct(
        per_officer[per_officer.between(5, 9)].sum() / per_officer.sum()
    )
    most = page.table("most-named-officers", index=0)
    assert most["complaints"].tolist() == [f"{n:,}" for n in per_officer.sort_values(ascending=False).head(len(most))]
    assert not any(name in page.text for name in set(accused["full_name"]))
    assert "OFFICER 0" not in page.text


def test_the_page_states_its_caveats_and_sources(page):
    for words in ("a finding is the department's", "not a court's judgment", "never by name"):
        assert words.casefold() in page.text.casefold(), words
    assert unescape(page.html).count("Source: <code>") == len(PRESET_NAMES)


def test_small_counts_are_hidden_and_dates_limit_complaints_not_the_roster(project):
    publishing = {"suppress_small_counts": True, "end_date": "2009-12-31"}
    page = run_report(project, TOPIC, *PRESET_NAMES, reports=publishing, **CHICAGO)
    assert small_counts_shown(page.html) == []
    by_year = page.table("complaints-by-year", index=0)
    years = [int(y) for y in by_year.index]
    assert max(years) == 2009
    complaints = read_raw("chicago_complaints").drop_duplicates("cr_id")
    early = pd.to_datetime(complaints["complaint_date"]).dt.year.value_counts().loc[lambda s: s.index <= 2009]
    for year, row in by_year.iterrows():
        n = early[int(year)]
        assert row["complaints"] == (f"{n:,}" if n >= 10 else "<10")
    roster = read_raw("chicago_officer_roster")
    white = ((roster["SWORN_OFFICER_I"] == "Y") & (roster["RACE"] == "WHITE")).sum()
    # Every officer, whatever the dates.
    assert page.table("force-by-race", index=0).loc["white", "sworn officers"] == f"{white:,}"
