"""The arrests computations on real standardized NYPD data, each checked against pandas on the raw fixture."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from safety_toolkit.analysis import Dataset
from safety_toolkit.analysis import arrests as arr
from safety_toolkit.config import Population

from .labels import NYC_RACE
from .presets import read_raw

LEVELS = {"F": "felony", "M": "misdemeanor", "V": "violation", "I": "infraction"}


@pytest.fixture
def nyc(standardized) -> tuple[Dataset, pd.DataFrame]:
    source = read_raw("nyc_arrests")
    source["race"] = source["PERP_RACE"].map(NYC_RACE)
    source["level"] = source["LAW_CAT_CD"].map(LEVELS).fillna("unknown")
    source["month"] = pd.to_datetime(source["ARREST_DATE"], format="%m/%d/%Y").dt.to_period("M")
    return standardized("nyc_arrests").dataset(), source


def test_arrests_by_level_and_month(nyc):
    ds, source = nyc
    levels = arr.by_level(ds).set_index("value")
    assert levels["arrests"].to_dict() == source["level"].value_counts().to_dict()
    assert list(levels.index) == [lv for lv in arr.LEVELS if lv in set(source["level"])]  # felony first
    months = arr.by_month_and_level(ds)
    expected = pd.crosstab(source["month"], source["level"])
    assert months["total"].tolist() == expected.sum(axis=1).tolist()
    for level in expected.columns:
        assert months[level].tolist() == expected[level].tolist()


def test_offense_categories_by_level(nyc):
    ds, source = nyc
    table = arr.category_by_level(ds, top=5).set_index("category")
    expected = pd.crosstab(source["OFNS_DESC"], source["level"])
    expected = expected.assign(arrests=expected.sum(axis=1)).sort_values("arrests", ascending=False)
    assert table["arrests"].tolist() == expected["arrests"].head(5).tolist()
    for category, row in table.iterrows():
        assert row["felony"] == expected.loc[category, "felony"]


def test_share_of_low_level_arrests_in_all_and_by_race(nyc):
    ds, source = nyc
    low = source["level"].isin(["misdemeanor", "violation", "infraction"])
    overall = arr.low_level_share(ds).iloc[0]
    assert (overall["known"], overall["low_level"]) == (len(source), low.sum())
    by_race = arr.low_level_share(ds, "subject_race").set_index("group")
    expected = low.groupby(source["race"]).agg(["size", "sum", "mean"])
    assert by_race["known"].to_dict() == expected["size"].to_dict()
    assert by_race["low_level"].to_dict() == expected["sum"].to_dict()
    assert by_race["share"].to_dict() == pytest.approx(expected["mean"].to_dict())


def test_published_age_groups_youngest_first(nyc):
    ds, source = nyc
    frame = arr.age_groups(ds)
    assert frame["value"].tolist() == ["<18", "18-24", "25-44", "45-64", "65+"]
    assert dict(zip(frame["value"], frame["arrests"], strict=True)) == source["AGE_GROUP"].value_counts().to_dict()


def test_ages_without_published_groups_are_grouped(tmp_path):
    ages = [12, 17, 18, 24, 25, 44, 45, 64, 65, 90, None]
    frame = pd.DataFrame({"subject_age": ages, "subject_age_group": [None] * len(ages)})
    path = tmp_path / "arrests.parquet"
    duckdb.from_df(frame).write_parquet(path.as_posix())
    groups = arr.age_groups(Dataset(path))
    expected = pd.cut(pd.Series(ages, dtype=float), [0, 18, 25, 45, 65, 200], right=False).value_counts(sort=False)
    assert groups["value"].tolist() == ["under 18", "18-24", "25-44", "45-64", "65 and over", "not recorded"]
    assert groups["arrests"].tolist() == [*expected.tolist(), 1]


def test_arrests_a_year_per_thousand_residents_by_race(nyc):
    ds, source = nyc
    population = Population(total=2_000_000, by_race={"white": 500_000, "black": 400_000, "hispanic": 600_000})
    frame = arr.per_capita(ds, population).set_index("race")
    counted = source["race"].value_counts()
    dates = pd.to_datetime(source["ARREST_DATE"], format="%m/%d/%Y")
    years = ((dates.max() - dates.min()).days + 1) / 365.25  # Jan 2 - Sep 30: about three quarters of a year
    assert frame.loc["everyone", "arrests"] == len(source)
    assert frame.loc["everyone", "per_1000"] == pytest.approx(1000 * len(source) / years / 2_000_000)
    white = 1000 * counted["white"] / years / 500_000
    for race, residents in population.by_race.items():
        rate = 1000 * counted[race] / years / residents
        assert frame.loc[race, "per_1000"] == pytest.approx(rate)
        assert frame.loc[race, "ratio"] == pytest.approx(rate / white)
    assert list(frame.index) == ["everyone", "hispanic", "white", "black"]  # most residents first
    assert "asian/pacific islander" not in frame.index  # no population figure, no rate
