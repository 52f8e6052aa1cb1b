"""The stops analyses of the literature (stop rates against population, likelihood of search, eligibility
filters, the outcome test, veil of darkness), checked against independent pandas, scipy and statsmodels
computations on the real samples, and on made-up stops where the real samples lack what a test needs."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from astral import Observer
from astral.sun import dusk, sunset

from safety_toolkit.analysis import Dataset
from safety_toolkit.analysis import police_stops as stops
from safety_toolkit.config import Population

from .presets import FIXTURES, standardize_preset
from .stops_samples import RACE, made_up_stops, sample_stops

CENTER = (44.9778, -93.2650)  # Minneapolis City Hall
ZONE = "America/Chicago"


@pytest.fixture(scope="module")
def mississippi(tmp_path_factory) -> tuple[Dataset, pd.DataFrame]:
    tmp = tmp_path_factory.mktemp("ms")
    standardize_preset(tmp, "mississippi_highway_patrol_opp_v1")
    raw = pd.read_csv(FIXTURES / "police_stops" / "mississippi_highway_patrol_stops_2013_sample.csv", dtype=str)
    return Dataset(tmp / "data" / "processed" / "police_stops.parquet"), raw


def test_stop_rates_per_resident(project, raw_sample):
    population = Population(100_000, {"white": 60_000, "black": 20_000, "hispanic": 10_000})
    frame = stops.stop_rates(sample_stops(project), population).set_index("race")
    dates = pd.to_datetime(raw_sample["date"]).dt.normalize()
    years = ((dates.max() - dates.min()).days + 1) / 365.25
    counts = raw_sample["race"].map(RACE).value_counts()
    for race, residents in population.by_race.items():
        expected = counts.get(race, 0) / years / residents * 1000
        assert frame.loc[race, "per_1000"] == pytest.approx(expected)
    assert frame.loc["black", "ratio"] == pytest.approx(frame.loc["black", "per_1000"] / frame.loc["white", "per_1000"])
    assert "asian/pacific islander" not in frame.index  # no population figure, no rate


def test_likelihood_of_search_follows_open_data_policing(project, raw_sample):
    table = stops.rate_by_group(sample_stops(project), "search_vehicle", "subject_race").table.set_index("group")
    recorded = raw_sample[raw_sample["vehicleSearch"] != ""].assign(race=lambda f: f["race"].map(RACE))
    rate = recorded.groupby("race")["vehicleSearch"].agg(lambda s: (s == "YES").mean())
    for race in rate.index:
        assert table.loc[race, "likelihood"] == pytest.approx((rate[race] - rate["white"]) / rate["white"])


def test_eligibility_filters_count_the_rows_they_remove(mississippi):
    ds, raw = mississippi
    result = stops.eligibility(ds)
    steps = result.steps.set_index("filter")
    months = pd.to_datetime(raw["stop_date"]).dt.to_period("M")
    small = months.map(months.value_counts()) < stops.MIN_MONTH_STOPS
    assert steps.loc["not a vehicular stop", "removed"] == 0  # the preset says every stop is vehicular
    assert steps.loc["month with fewer than 50 stops", "removed"] == small.sum() > 0
    assert result.eligible == len(raw) - small.sum()
    assert ds.scalar(f"SELECT count(*) FROM data WHERE {result.condition}") == result.eligible
    assert "month with searches recorded" not in " ".join(steps.index)  # no search recorded: no such filter


def test_months_with_race_mostly_missing_are_dropped(tmp_path):
    days = pd.date_range("2020-01-01", "2020-03-31", freq="D")
    rows = pd.DataFrame({"date": np.repeat(days, 3), "type": "vehicular"})
    rows["subject_race"] = np.where(rows["date"].dt.month == 2, "unknown", "white")  # February: no race recorded
    rows.loc[rows.index[::7], "type"] = "pedestrian"
    ds = made_up_stops(tmp_path, rows.assign(date=rows["date"].dt.date))
    steps = stops.eligibility(ds).steps.set_index("filter")["removed"]
    vehicular = rows[rows["type"] == "vehicular"]
    assert steps["not a vehicular stop"] == (rows["type"] == "pedestrian").sum()
    assert steps["month with race recorded for under half its stops"] == (vehicular["date"].dt.month == 2).sum()


def test_hit_rates_by_race_and_district(tmp_path):
    rng = np.random.default_rng(1)
    n = 6000
    frame = pd.DataFrame(
        {
            "date": pd.Timestamp("2021-01-01").date(),
            "type": "vehicular",
            "district": rng.choice(["1", "2", "3", "4"], n, p=[0.4, 0.3, 0.28, 0.02]),
            "subject_race": rng.choice(["white", "black", "hispanic"], n),
            "search_conducted": rng.random(n) < 0.5,
        }
    )
    found = rng.random(n) < np.where(frame["subject_race"] == "white", 0.3, 0.2)
    frame["contraband_found"] = pd.Series(np.where(frame["search_conducted"], found, None), dtype="object")
    ds = made_up_stops(tmp_path, frame.copy())
    result = stops.hit_rates(ds, stops.eligibility(ds))
    assert result.problem == ""
    assert result.area == "district"
    searched = frame[frame["search_conducted"]].assign(hit=lambda f: f["contraband_found"].astype(bool))
    citywide = searched.groupby("subject_race")["hit"].agg(["size", "sum"])
    table = result.citywide.set_index("race")
    for race, row in citywide.iterrows():
        assert (table.loc[race, "searches"], table.loc[race, "hits"]) == (row["size"], row["sum"])
    by_area = searched.groupby(["district", "subject_race"])["hit"].agg(["size", "sum"])
    enough = by_area[by_area["size"] >= stops.MIN_AREA_SEARCHES]
    assert set(result.by_area["area"]) == {"1", "2", "3"}
    assert result.areas_left_out == 1  # district 4 is too small
    for row in result.by_area.itertuples():
        assert row.rate == pytest.approx(
            enough.loc[(row.area, row.race), "sum"] / enough.loc[(row.area, row.race), "size"]
        )


def test_the_outcome_test_says_why_it_cannot_run(project, mississippi):
    ds, _ = mississippi
    assert "does not record searches" in stops.hit_rates(ds, stops.eligibility(ds)).problem
    minneapolis = sample_stops(project)
    assert "found contraband" in stops.hit_rates(minneapolis, stops.eligibility(minneapolis)).problem


def test_sun_times_match_the_almanac():
    times = stops.sun_times([dt.date(2017, 6, 21), dt.date(2017, 12, 21)], CENTER, ZONE).set_index("date")
    # US Naval Observatory, Minneapolis: sunset 21:03 and 16:33, end of civil twilight 21:40 and 17:07.
    for day, (sun_set, civil) in {dt.date(2017, 6, 21): (21 * 60 + 3, 21 * 60 + 40),
                                  dt.date(2017, 12, 21): (16 * 60 + 33, 17 * 60 + 7)}.items():  # fmt: skip
        assert times.loc[day, "sunset"] == pytest.approx(sun_set, abs=3)
        assert times.loc[day, "dusk"] == pytest.approx(civil, abs=3)


def minutes(clock: dt.time | dt.datetime) -> float:
    return clock.hour * 60 + clock.minute + clock.second / 60


def _evening_stops(seed: int = 7, n_per_day: int = 30) -> pd.DataFrame:
    """A year of made-up evening stops in Minneapolis; Black drivers are a smaller share after dark."""
    rng = np.random.default_rng(seed)
    observer, zone = Observer(*CENTER), zoneinfo.ZoneInfo(ZONE)
    rows = []
    for day in pd.date_range("2019-01-01", "2019-12-31").date:
        dark_from = minutes(dusk(observer, day, tzinfo=zone))
        for minute in rng.uniform(16 * 60, 22 * 60 + 30, n_per_day):
            black = rng.random() < (0.35 if minute > dark_from else 0.5)
            clock = dt.time(int(minute // 60), int(minute % 60), int(minute * 60 % 60))
            rows.append((day, clock, "black" if black else "white"))
    frame = pd.DataFrame(rows, columns=["date", "time", "subject_race"])
    frame["type"] = "vehicular"
    return frame


def test_veil_of_darkness_matches_an_independent_fit(tmp_path):
    frame = _evening_stops()
    ds = made_up_stops(tmp_path, frame.copy())
    result = stops.veil_of_darkness(ds, stops.eligibility(ds), CENTER, ZONE)
    assert result.problem == ""
    # The same method written with pandas: sun times per day, the window, twilight dropped, one logit.
    observer, zone = Observer(*CENTER), zoneinfo.ZoneInfo(ZONE)
    sun = {
        d: (minutes(sunset(observer, d, tzinfo=zone)), minutes(dusk(observer, d, tzinfo=zone)))
        for d in set(frame["date"])
    }
    frame["sunset"] = frame["date"].map(lambda d: sun[d][0])
    frame["dusk"] = frame["date"].map(lambda d: sun[d][1])
    frame["minute"] = frame["time"].map(minutes)
    window = frame[frame["minute"].between(frame["dusk"].min(), frame["dusk"].max())]
    kept = window[~((window["minute"] > window["sunset"]) & (window["minute"] <= window["dusk"]))]
    kept = kept.assign(
        is_black=(kept["subject_race"] == "black").astype(int), is_dark=(kept["minute"] > kept["dusk"]).astype(int)
    )
    fit = smf.logit("is_black ~ is_dark + cr(minute, df=6, constraints='center')", data=kept).fit(disp=0)
    assert result.steps["remaining"].iloc[-1] == len(kept)
    assert (result.black, result.white) == (kept["is_black"].sum(), len(kept) - kept["is_black"].sum())
    assert result.coefficient == pytest.approx(fit.params["is_dark"], rel=1e-6)
    assert result.p_value == pytest.approx(fit.pvalues["is_dark"], rel=1e-4)
    # The made-up effect is found.
    assert result.coefficient < 0
    assert result.p_value < 0.05
    assert len(result.robustness) == 6
    assert (result.robustness["coefficient"] < 0).all()


def test_veil_of_darkness_says_why_it_cannot_run(tmp_path, project, mississippi):
    ms, _ = mississippi
    assert "time of day" in stops.veil_of_darkness(ms, stops.eligibility(ms), CENTER, ZONE).problem
    minneapolis = sample_stops(project)
    eligible = stops.eligibility(minneapolis)
    assert "no centre point" in stops.veil_of_darkness(minneapolis, eligible, None, ZONE).problem
    assert "No stop passes" in stops.veil_of_darkness(minneapolis, eligible, CENTER, ZONE).problem  # 400 stops
    frame = _evening_stops(n_per_day=2)
    frame.loc[frame.index[60:], "subject_race"] = "white"
    few = made_up_stops(tmp_path, frame)
    result = stops.veil_of_darkness(few, stops.eligibility(few), CENTER, ZONE)
    assert result.problem.startswith("Too few stops")
    assert result.black < stops.MIN_VEIL_STOPS
    assert result.steps is not None
    assert result.steps["remaining"].iloc[-1] == result.black + result.white
