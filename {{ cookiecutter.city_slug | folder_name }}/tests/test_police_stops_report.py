"""The stops report on the real Mississippi Highway Patrol sample, run end to end through the command line:
its numbers equal a reading of the raw file with pandas, and each test the data cannot support says why."""

from __future__ import annotations

from html import unescape

import pandas as pd
import pytest

from .conftest import FIXTURES
from .test_police_personnel_records_report import Tables, make_project, preset_source, run_report

TOPIC = "police_stops"
RAW = FIXTURES / "police_stops" / "mississippi_highway_patrol_stops_2013_sample.csv"
# Round figures made up for the test, not census data: they only check the arithmetic.
POPULATION = {
    "total": 3_000_000,
    "by_race": {"white": 1_700_000, "black": 1_100_000},
    "source": "test figures, not census data",
}


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    root = make_project(
        tmp_path_factory.mktemp("mississippi") / "toolkit",
        [preset_source("mississippi_highway_patrol_opp_v1")],
        population=POPULATION,
        center={"lat": 32.2988, "lng": -90.1848},
        state="MS",
        city="Mississippi (statewide)",
        topic=TOPIC,
    )
    return run_report(root, TOPIC)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(RAW, dtype=str, keep_default_na=False)


def test_stops_by_race_and_per_resident(page, raw):
    tables = Tables(page)
    race = raw["driver_race"].map({"White": "white", "Black": "black", "": "unknown"})
    counts = race.value_counts()
    assert tables["stops-by-subject_race"]["stops"].to_dict() == {r: f"{n:,}" for r, n in counts.items()}
    dates = pd.to_datetime(raw["stop_date"])
    # The exact span of calendar years: each year counts the share of its own days the data covers.
    years = sum(
        ((min(dates.max(), pd.Timestamp(y, 12, 31)) - max(dates.min(), pd.Timestamp(y, 1, 1))).days + 1)
        / (366 if pd.Timestamp(y, 12, 31).is_leap_year else 365)
        for y in range(dates.min().year, dates.max().year + 1)
    )
    rates = tables["stop-rate-by-race"]
    for group, residents in POPULATION["by_race"].items():
        per_1000 = counts[group] / years / residents * 1000
        assert rates.loc[group, "stops a year per 1,000 residents"] == f"{per_1000:.1f}"
    white = counts["white"] / POPULATION["by_race"]["white"]
    assert (
        rates.loc["black", "times the white rate"] == f"{counts['black'] / POPULATION['by_race']['black'] / white:.2f}"
    )


def test_eligibility_filters_remove_the_thin_months(page, raw):
    steps = Tables(page)["eligibility-filters"]
    months = pd.to_datetime(raw["stop_date"]).dt.to_period("M")
    thin = months.map(months.value_counts()) < 50
    assert steps.loc["all stops", "remaining"] == f"{len(raw):,}"
    assert steps.loc["month with fewer than 50 stops", "removed"] == f"{thin.sum():,}"
    assert steps["remaining"].iloc[-1] == f"{len(raw) - thin.sum():,}"


def test_tests_the_data_cannot_support_say_why(page):
    text = unescape(page)
    assert "This data does not record searches, so the outcome test cannot be run." in text
    assert "does not record the time of day of stops, so the veil-of-darkness test cannot be run" in text
    assert "search_vehicle-by-subject_race" not in Tables(page).tables
    assert "Residents are not the people who drive" in text
    assert "does not record whether stops ended in an arrest, a citation or a warning" in text
    assert "This data does not record searches, so search rates by reason for stop cannot be shown." in text
    assert "no boundary layer is set in toolkit.yaml, so stops cannot be mapped" in text
    assert "fold-ratios" not in Tables(page).tables  # the mapping folds no recorded label into another
    assert "Where this data comes from" in text and "Rows: 552" in text
