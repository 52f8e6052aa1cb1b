"""The use of force computations on real standardized data, each checked against pandas or scipy on the raw
fixture (or, for the rate per arrest, on arrests written by the test)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from scipy import stats

from safety_toolkit.analysis import Dataset
from safety_toolkit.analysis import use_of_force as uof

from .labels import NEW_ORLEANS_RACE
from .presets import read_raw


@pytest.fixture
def nola(standardized) -> tuple[Path, pd.DataFrame]:
    source = read_raw("new_orleans_use_of_force")
    source["date"] = pd.to_datetime(source["Date Occurred"], format="%m/%d/%Y")
    return standardized("new_orleans_use_of_force").path, source


@pytest.fixture
def seattle(standardized) -> tuple[Path, pd.DataFrame]:
    return standardized("seattle_use_of_force").path, read_raw("seattle_use_of_force")


@pytest.fixture
def wapo(standardized) -> tuple[Path, pd.DataFrame]:
    return standardized("wapo_fatal_police_shootings").path, read_raw("wapo_fatal_police_shootings")


def test_rows_incidents_and_years(nola):
    path, source = nola
    ds = Dataset(path)
    total = uof.totals(ds)
    assert total["uses"] == len(source)
    assert total["incidents"] == source["PIB File Number"].nunique() < len(source)
    assert total["numbered"]
    years = uof.by_year(ds).set_index("year")
    expected = source.groupby(source["date"].dt.year).agg(
        uses=("date", "size"),
        incidents=("PIB File Number", "nunique"),
        months=("date", lambda d: d.dt.to_period("M").nunique()),
    )
    assert years.to_dict() == expected.to_dict()


def test_the_report_dates_limit_every_count(nola):
    path, source = nola
    ds = Dataset(path, dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    in_2017 = source[source["date"].dt.year == 2017]
    assert uof.totals(ds)["uses"] == len(in_2017) > 0
    assert uof.totals(ds)["incidents"] == in_2017["PIB File Number"].nunique()


def test_counts_fold_the_least_frequent_values(nola):
    path, source = nola
    frame = uof.counts(Dataset(path), "force_type", top=5)
    expected = source["Use of Force Type"].value_counts()
    assert len(frame) == 6
    assert frame["value"].iloc[-1] == "all others"
    assert dict(zip(frame["value"][:5], frame["uses"][:5], strict=True)) == expected.head(5).to_dict()
    assert frame["uses"].iloc[-1] == expected.iloc[5:].sum()
    assert frame["share"].sum() == pytest.approx(1.0)
    assert pd.isna(frame["incidents"].iloc[-1])  # incidents can span kinds of force: not summed


def test_levels_keep_their_order(nola):
    path, source = nola
    frame = uof.counts(Dataset(path), "force_level", by_value=True)
    assert frame["value"].tolist() == sorted(source["Use of Force Level"].unique())


def test_injury_rate_by_kind_of_force(nola):
    path, source = nola
    frame = uof.rate_by(Dataset(path), "subject_injured", "force_type").set_index("value")
    injured = source.assign(injured=source["Subject Injured"] == "Yes").groupby("Use of Force Type")["injured"]
    assert frame["recorded"].to_dict() == injured.size().to_dict()
    assert frame["flagged"].to_dict() == injured.sum().to_dict()
    assert frame["rate"].to_dict() == pytest.approx(injured.mean().to_dict())


def test_injury_of_black_and_white_people_compared_with_the_chi_square_test(nola):
    path, source = nola
    comparison = uof.compare_groups(Dataset(path), "subject_injured", "subject_race")
    table = comparison.table.set_index("group")
    injured = source["Subject Injured"] == "Yes"
    black, white = source["Subject Ethnicity"] == "Black", source["Subject Ethnicity"].isin(["White", "W"])
    two_by_two = [
        [(black & injured).sum(), (black & ~injured).sum()],
        [(white & injured).sum(), (white & ~injured).sum()],
    ]
    assert table.loc["black", "flagged"] == two_by_two[0][0]
    assert table.loc["white", "stops"] == white.sum()
    expected = stats.chi2_contingency(two_by_two, correction=True).pvalue
    assert table.loc["black", "p_value"] == pytest.approx(expected)


def test_age_groups(nola):
    path, source = nola
    frame = uof.age_groups(Dataset(path)).set_index("value")["uses"]
    ages = pd.to_numeric(source["Subject Age"].replace("", None))
    ages = ages.where(ages.between(10, 110))
    bins = pd.cut(ages, [0, 18, 25, 35, 45, 55, 200], right=False, labels=list(frame.index[:6]))
    assert list(frame.index[:6]) == ["under 18", "18-24", "25-34", "35-44", "45-54", "55 and over"]
    assert frame.iloc[:6].to_dict() == bins.value_counts().reindex(frame.index[:6]).fillna(0).astype(int).to_dict()
    assert frame["not recorded"] == ages.isna().sum()


def test_a_national_file_is_limited_to_the_toolkits_state(wapo, nola):
    path, source = wapo
    ds = Dataset(path)
    kept = uof.scope(ds, "NE")
    assert kept.total == len(source)
    assert kept.states == source["state"].nunique()
    assert kept.kept == (source["state"] == "NE").sum() > 0
    limited = uof.limit_to(ds, kept)
    assert limited.rows == kept.kept
    cities = uof.counts(limited, "city").set_index("value")["uses"]
    in_state = source.loc[source["state"] == "NE", "city"].replace("", "not recorded")
    assert cities.to_dict() == in_state.value_counts().to_dict()
    assert uof.scope(Dataset(nola[0]), "LA") is None  # one department's data names no state
    # Rare events: years without any still show, with zero; only the edge years can be partial.
    dates = pd.to_datetime(source.loc[source["state"] == "NE", "date"])
    years = uof.by_year(limited).set_index("year")["uses"]
    expected = dates.dt.year.value_counts().reindex(range(dates.min().year, dates.max().year + 1), fill_value=0)
    assert years.to_dict() == expected.to_dict()
    assert 0 in set(years)
    edges = {dates.min().year: dates.min().month > 1, dates.max().year: dates.max().month < 12}
    assert uof.partial_years(limited) == sorted(year for year, partial in edges.items() if partial)


def test_areas_and_officers(seattle):
    path, source = seattle
    ds = Dataset(path)
    assert uof.area_column(ds) == "precinct"
    frame = uof.counts(ds, "precinct").set_index("value")
    precincts = source["Precinct"].replace({"-": "not recorded", "": "not recorded"})
    assert frame["uses"].to_dict() == precincts.value_counts().to_dict()
    assert frame["incidents"].to_dict() == source.groupby(precincts)["Incident_Num"].nunique().to_dict()
    per_officer = source["Officer_ID"].value_counts()
    top = round(len(per_officer) / 10)
    spread = uof.officers(ds)
    assert spread["officers"] == len(per_officer)
    assert spread["with_id"] == len(source)
    assert spread["median"] == per_officer.median()
    assert spread["top_share"] == pytest.approx(per_officer.head(top).sum() / len(source))


def arrests_parquet(folder: Path, first: dt.date, days: int) -> Path:
    """Arrests written by the test: one a day from `first`, races in a fixed cycle."""
    cycle = ["black", "black", "white", "hispanic", "unknown"]
    frame = pd.DataFrame(
        {
            "date": [first + dt.timedelta(days=i) for i in range(days)],
            "subject_race": [cycle[i % len(cycle)] for i in range(days)],
        }
    )
    path = folder / "arrests.parquet"
    duckdb.from_df(frame).write_parquet(path.as_posix())
    return path


def test_uses_of_force_per_thousand_arrests_over_the_days_both_cover(nola, tmp_path):
    path, source = nola
    arrests = pd.read_parquet(arrests_parquet(tmp_path, dt.date(2017, 6, 1), 400))
    result = uof.per_thousand_arrests(Dataset(path), Dataset(tmp_path / "arrests.parquet"))
    start = max(source["date"].min().date(), dt.date(2017, 6, 1))
    end = min(source["date"].max().date(), dt.date(2017, 6, 1) + dt.timedelta(days=399))
    assert (result.start, result.end) == (start, end)
    uses = source[source["date"].dt.date.between(start, end)]
    uses = uses["Subject Ethnicity"].map(NEW_ORLEANS_RACE).fillna("unknown").value_counts()
    counted = arrests[pd.to_datetime(arrests["date"]).dt.date.between(start, end)]["subject_race"].value_counts()
    table = result.table.set_index("group")
    assert table.loc["all", "uses"] == uses.sum()
    assert table.loc["all", "arrests"] == counted.sum()
    for race in counted.index:
        assert table.loc[race, "per_1000"] == pytest.approx(1000 * uses.get(race, 0) / counted[race])
    assert table.index[0] == "all"
    assert table.index[-1] == "unknown"


def test_no_rate_per_arrest_when_the_periods_do_not_overlap(nola, tmp_path):
    arrests_parquet(tmp_path, dt.date(2030, 1, 1), 10)
    result = uof.per_thousand_arrests(Dataset(nola[0]), Dataset(tmp_path / "arrests.parquet"))
    assert result.start is None
    assert result.table.empty
