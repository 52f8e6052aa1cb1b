"""The arrests report end to end on real NYPD data: the command line fetches, standardizes and runs the notebook
through papermill; the numbers in the page equal an independent pandas reading of the raw file."""

from __future__ import annotations

import pandas as pd

from .labels import NYC_RACE
from .presets import read_raw
from .report_helpers import run_report

# Residents by race for the test: round figures written for this test, not census counts.
POPULATION = {
    "total": 2_000_000,
    "by_race": {"white": 500_000, "black": 400_000, "hispanic": 600_000, "asian/pacific islander": 450_000},
    "source": "figures made up for the test",
    "year": 2020,
}


def test_new_york_arrests_report(project):
    new_york = {"city": "New York", "state": "NY", "timezone": "America/New_York"}
    page = run_report(project, "arrests", "nyc_arrests", population=POPULATION, **new_york)
    source = read_raw("nyc_arrests")
    source["race"] = source["PERP_RACE"].map(NYC_RACE)
    source["low"] = source["LAW_CAT_CD"].isin(["M", "V", "I"])
    assert "Arrests in New York, NY" in page.text

    levels = page.table("arrests-by-level", "Offense level")["arrests"]
    assert levels.to_dict() == {
        "felony": f"{(source['LAW_CAT_CD'] == 'F').sum():,}",
        "misdemeanor": f"{(source['LAW_CAT_CD'] == 'M').sum():,}",
    }
    everyone = (
        f"{source['low'].mean():.1%} of arrests were for low-level offenses (misdemeanors, violations or "
        f"infractions): {source['low'].sum():,} of the {len(source):,} arrests"
    )
    assert everyone in page.text
    low = page.table("low-level-by-subject_race", "Race")
    for race, group in source.groupby("race"):
        assert low.loc[race, "low-level arrests"] == f"{group['low'].sum():,}"
        if len(group) >= 10:
            assert low.loc[race, "share low-level"] == f"{group['low'].mean():.1%}"

    per = page.table("arrests-per-resident", "Race")
    dates = pd.to_datetime(source["ARREST_DATE"], format="%m/%d/%Y")
    years = ((dates.max() - dates.min()).days + 1) / 365.25
    white = 1000 * (source["race"] == "white").sum() / years / 500_000
    for race, residents in POPULATION["by_race"].items():
        rate = 1000 * (source["race"] == race).sum() / years / residents
        assert per.loc[race, "arrests a year per 1,000 residents"] == f"{rate:.1f}"
        assert per.loc[race, "times the white rate"] == f"{rate / white:.2f}"
    assert per.loc["everyone", "arrests"] == f"{len(source):,}"
    assert "(figures made up for the test, 2020)" in page.text

    ages = page.table("arrests-by-age", "Age")["arrests"]
    assert list(ages.index) == ["<18", "18-24", "25-44", "45-64", "65+"]
    assert ages.to_dict() == {k: f"{v:,}" for k, v in source["AGE_GROUP"].value_counts().items()}
    months = page.table("arrests-by-month", "month")["total"]
    expected = source["ARREST_DATE"].str[-4:] + "-" + source["ARREST_DATE"].str[:2]
    assert months.to_dict() == {k: f"{v:,}" for k, v in expected.value_counts().sort_index().items()}
    assert "WHITE HISPANIC" in page.text  # the preset's notes on race reach the reader
    assert "An arrest is not a conviction" in page.text

