"""The hate crime analyses, checked against independent pandas computations on the raw files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from safety_toolkit.analysis import Dataset
from safety_toolkit.analysis import hate_crime as hate
from safety_toolkit.quality import monthly_coverage

from .presets import read_raw


@pytest.fixture
def fbi_path(standardized) -> Path:
    return standardized("fbi_hate_crime_incidents").path


@pytest.fixture
def nyc_path(standardized) -> Path:
    return standardized("nyc_hate_crimes").path


@pytest.fixture(scope="module")
def fbi_raw() -> pd.DataFrame:
    raw = read_raw("fbi_hate_crime_incidents")
    return raw.assign(date=pd.to_datetime(raw["INCIDENT_DATE"], format="%d-%b-%y"))


@pytest.fixture(scope="module")
def nyc_raw() -> pd.DataFrame:
    raw = read_raw("nyc_hate_crimes")
    return raw.assign(date=pd.to_datetime(raw["Record Create Date"], format="%m/%d/%Y"))


def _mentions(cells: pd.Series) -> pd.Series:
    """Incidents mentioning each value of ';'-joined cells, each value once per incident."""
    return cells.str.split(";").map(lambda parts: sorted(set(parts))).explode().value_counts()


def test_scope_keeps_the_citys_agency_within_the_state(fbi_path, fbi_raw):
    ds = Dataset(fbi_path)
    kept = hate.scope(ds, "IL", "Chicago")
    in_state = fbi_raw[fbi_raw["STATE_ABBR"] == "IL"]
    chicago = in_state[in_state["PUB_AGENCY_NAME"] == "Chicago"]
    assert (kept.total, kept.in_state, kept.kept) == (len(fbi_raw), len(in_state), len(chicago))
    assert kept.oris == tuple(chicago["ORI"].unique()) == ("ILCPD0000",)
    assert set(kept.states) == set(fbi_raw["STATE_ABBR"])
    limited = hate.limit_to(ds, kept)
    assert limited.rows == len(chicago)
    # The data-quality profile sees the same rows.
    assert monthly_coverage(limited)["rows"].sum() == len(chicago)


def test_scope_falls_back_to_the_whole_state_when_no_agency_has_the_citys_name(fbi_path, fbi_raw):
    ds = Dataset(fbi_path)
    kept = hate.scope(ds, "MD", "Rockville")
    assert kept.oris == ()
    assert kept.kept == kept.in_state == int((fbi_raw["STATE_ABBR"] == "MD").sum())
    assert hate.scope(ds, "MN", "Minneapolis").kept == 0


def test_a_county_with_the_citys_name_is_not_the_citys_police(fbi_path, fbi_raw):
    peoria = fbi_raw[(fbi_raw["STATE_ABBR"] == "IL") & (fbi_raw["PUB_AGENCY_NAME"] == "Peoria")]
    assert set(peoria["AGENCY_TYPE_NAME"]) == {"City", "County"}
    kept = hate.scope(Dataset(fbi_path), "IL", "Peoria")
    city = peoria[peoria["AGENCY_TYPE_NAME"] == "City"]
    assert kept.oris == tuple(city["ORI"].unique())
    assert kept.kept == len(city) < len(peoria)


def test_city_data_without_states_is_used_whole(nyc_path, nyc_raw):
    kept = hate.scope(Dataset(nyc_path), "NY", "New York")
    assert kept.state is None
    assert kept.kept == kept.total == len(nyc_raw)


def test_agencies_of_state(fbi_path, fbi_raw):
    frame = hate.agencies_of_state(Dataset(fbi_path), "IL", top=5)
    expected = fbi_raw[fbi_raw["STATE_ABBR"] == "IL"].groupby("ORI").size().sort_values(ascending=False).head(5)
    assert frame["incidents"].tolist() == expected.tolist()
    assert frame["ori"].iloc[0] == expected.index[0] == "ILCPD0000"


def test_mentions_count_each_incident_once_per_bias(fbi_path, fbi_raw):
    ds = hate.limit_to(Dataset(fbi_path), hate.scope(Dataset(fbi_path), "IL", "Chicago"))
    raw = fbi_raw[(fbi_raw["STATE_ABBR"] == "IL") & (fbi_raw["PUB_AGENCY_NAME"] == "Chicago")]
    frame = hate.mentions(ds, "bias_motivation").set_index("value")
    expected = _mentions(raw["BIAS_DESC"])
    assert frame["incidents"].to_dict() == expected.to_dict()
    assert frame["share"].to_dict() == pytest.approx((expected / len(raw)).to_dict())


def test_offenses_by_year_split_and_grouped(fbi_path, fbi_raw):
    ds = Dataset(fbi_path)
    table = hate.by_year(ds, "offense", top=3, split=True)
    exploded = fbi_raw.assign(offense=fbi_raw["OFFENSE_NAME"].str.split(";")).explode("offense")
    counts = exploded.drop_duplicates(["INCIDENT_ID", "offense"])["offense"].value_counts()
    top = counts.head(3).index.tolist()
    assert counts.iloc[2] > counts.iloc[3]  # no tie decides which offenses are shown
    assert list(table.columns) == ["incidents", *top, "all other"]
    years = fbi_raw["date"].dt.year
    assert table["incidents"].to_dict() == years.value_counts().sort_index().to_dict()
    for value in top:
        expected = fbi_raw[fbi_raw["OFFENSE_NAME"].str.split(";").map(lambda p, v=value: v in p)]
        assert (
            table[value].to_dict()
            == expected["date"].dt.year.value_counts().reindex(table.index, fill_value=0).to_dict()
        )
    # An incident with any other offense counts once under "all other".
    other = fbi_raw[fbi_raw["OFFENSE_NAME"].str.split(";").map(lambda p: bool(set(p) - set(top)))]
    assert (
        table["all other"].to_dict()
        == other["date"].dt.year.value_counts().reindex(table.index, fill_value=0).to_dict()
    )


def test_bias_categories_by_year_add_up_to_the_incidents(fbi_path):
    table = hate.by_year(Dataset(fbi_path), "bias_category", top=10)
    assert (table.drop(columns="incidents").sum(axis=1) == table["incidents"]).all()


def test_arrests_from_arrest_dates(nyc_path, nyc_raw):
    ds = Dataset(nyc_path)
    assert hate.arrest_flag(ds) == "(arrest_date IS NOT NULL)"
    frame = hate.arrests_by(ds).set_index("group")
    grouped = nyc_raw.groupby(nyc_raw["date"].dt.year.astype(str))["Arrest Date"]
    assert frame["incidents"].to_dict() == grouped.size().to_dict()
    assert frame["arrests"].to_dict() == grouped.agg(lambda s: int((s != "").sum())).to_dict()
    assert frame["share"].to_dict() == pytest.approx(grouped.agg(lambda s: (s != "").mean()).to_dict())


def test_no_arrest_section_without_arrest_data(fbi_path):
    ds = Dataset(fbi_path)
    assert hate.arrest_flag(ds) is None
    assert hate.arrests_by(ds).empty


def test_complete_years_leave_out_partial_ones(nyc_path, nyc_raw):
    first, last = nyc_raw["date"].min(), nyc_raw["date"].max()
    assert (first.year, first.month, last.year, last.month) == (2019, 1, 2024, 9)
    assert hate.complete_years(Dataset(nyc_path)) == [2019, 2020, 2021, 2022, 2023]


def test_a_date_range_limits_the_counts(nyc_path, nyc_raw):
    ds = Dataset(nyc_path, dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    years = hate.per_year(ds).set_index("year")["incidents"].to_dict()
    in_range = nyc_raw[(nyc_raw["date"] >= "2021-01-01") & (nyc_raw["date"] <= "2022-12-31")]
    assert years == in_range["date"].dt.year.value_counts().to_dict()
    counts = hate.counts(ds, "offense_category").set_index("value")["incidents"].to_dict()
    assert counts == in_range["Law Code Category Description"].value_counts().to_dict()
