"""The stops report on the real Mississippi Highway Patrol sample, run end to end through the command line:
its numbers equal a reading of the raw file with pandas, and each test the data cannot support says why."""

from __future__ import annotations

import pandas as pd
import pytest

from .html_page import Page
from .presets import read_raw
from .report_helpers import copy_project, run_report

TOPIC = "police_stops"
PRESET = "mississippi_highway_patrol_opp_v1"
# Round figures made up for the test, not census data: they only check the arithmetic.
POPULATION = {
    "total": 3_000_000,
    "by_race": {"white": 1_700_000, "black": 1_100_000},
    "source": "test figures, not census data",
}


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Page:
    project = copy_project(tmp_path_factory.mktemp("mississippi") / "toolkit")
    return run_report(
        project, TOPIC, PRESET, population=POPULATION, center={"lat": 32.2988, "lng": -90.1848}, state="MS",
        city="Mississippi (statewide)",
    )  # fmt: skip


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return read_raw(PRESET)


def test_stops_by_race_and_per_resident(page, raw):
    race = raw["driver_race"].map({"White": "white", "Black": "black", "": "unknown"})
    counts = race.value_counts()
    assert page.table("stops-by-subject_race", index=0)["stops"].to_dict() == {r: f"{n:,}" for r, n in counts.items()}
    dates = pd.to_datetime(raw["stop_date"])
    # The exact span of calendar years: each year counts the share of its own days the data covers.
    years = sum(
        ((min(dates.max(), pd.Timestamp(y, 12, 31)) - max(dates.min(), pd.Timestamp(y, 1, 1))).days + 1)
        / (366 if pd.Timestamp(y, 12, 31).is_leap_year else 365)
        for y in range(dates.min().year, dates.max().year + 1)
    )
    rates = page.table("stop-rate-by-race", index=0)
    for group, residents in POPULATION["by_race"].items():
        per_1000 = counts[group] / years / residents * 1000
        assert rates.loc[group, "stops a year per 1,000 residents"] == f"{per_1000:.1f}"
    white = counts["white"] / POPULATION["by_race"]["white"]
    assert (
        rates.loc["black", "times the white rate"] == f"{counts['black'] / POPULATION['by_race']['black'] / white:.2f}"
    )


def test_eligibility_filters_remove_the_thin_months(page, raw):
    steps = page.table("eligibility-filters", index=0)
    months = pd.to_datetime(raw["stop_date"]).dt.to_period("M")
    thin = months.map(months.value_counts()) < 50
    assert steps.loc["all stops", "remaining"] == f"{len(raw):,}"
    assert steps.loc["month with fewer than 50 stops", "removed"] == f"{thin.sum():,}"
    assert steps["remaining"].iloc[-1] == f"{len(raw) - thin.sum():,}"


def test_tests_the_data_cannot_support_say_why(page):
    text = page.text
    assert "This data does not record searches, so the outcome test cannot be run." in text
    assert "does not record the time of day of stops, so the veil-of-darkness test cannot be run" in text
    assert "search_vehicle-by-subject_race" not in page.tables
    assert "Residents are not the people who drive" in text
    assert "does not record whether stops ended in an arrest, a citation or a warning" in text
    assert "This data does not record searches, so search rates by reason for stop cannot be shown." in text
    assert "no boundary layer is set in toolkit.yaml, so stops cannot be mapped" in text
    assert "fold-ratios" not in page.tables  # the mapping folds no recorded label into another
    assert "Rows: 552" in text
