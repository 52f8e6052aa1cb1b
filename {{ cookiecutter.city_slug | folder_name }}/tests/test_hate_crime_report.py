"""The hate crime report, run by the command line on real data of cities other than the demo's: its
numbers equal an independent pandas computation on the raw files."""

from __future__ import annotations

import pandas as pd

from .presets import read_raw
from .report_helpers import run_report


def _chicago(raw: pd.DataFrame) -> pd.DataFrame:
    """The incidents of Chicago's city police in the raw FBI file."""
    raw = raw[(raw["STATE_ABBR"] == "IL") & (raw["PUB_AGENCY_NAME"] == "Chicago") & (raw["AGENCY_TYPE_NAME"] == "City")]
    return raw.assign(year=pd.to_datetime(raw["INCIDENT_DATE"], format="%d-%b-%y").dt.year)


def test_the_fbi_file_limited_to_the_citys_police(project):
    page = run_report(project, "hate_crime", "fbi_hate_crime_incidents", city="Chicago", state="IL")
    raw = read_raw("fbi_hate_crime_incidents")
    chicago = _chicago(raw)

    assert "Hate crimes in Chicago, IL" in page.text
    assert f"keeps the {(raw['STATE_ABBR'] == 'IL').sum():,} reported by agencies in IL" in page.text
    assert f"keeps the {len(chicago):,} reported by the city agency named Chicago" in page.text
    assert page.table("agencies-of-state").iloc[0].tolist() == ["Chicago", "City", "ILCPD0000", f"{len(chicago):,}"]
    assert f"{len(chicago):,} incidents from" in page.text  # the data-quality section covers the same incidents

    shown = page.table("incidents-by-bias", "Bias")
    biases = chicago["BIAS_DESC"].str.split(";").map(set).explode().value_counts()
    assert len(shown) == min(15, len(biases))
    for bias, row in shown.iterrows():
        assert row["incidents"] == f"{biases[bias]:,}"
        assert row["share of incidents"] == f"{biases[bias] / len(chicago):.1%}"

    years = page.table("incidents-by-year-and-bias-category", "year")["incidents"]
    assert years.to_dict() == {str(y): f"{n:,}" for y, n in chicago["year"].value_counts().items()}

    races = page.table("incidents-by-offender-race", "Offender race")["incidents"]
    hispanic = chicago["OFFENDER_ETHNICITY"] == "Hispanic or Latino"
    unknown = chicago["OFFENDER_RACE"].isin(["Unknown", "Not Specified"]) & ~hispanic
    assert races["unknown"] == f"{unknown.sum():,}"
    assert races["hispanic"] == f"{hispanic.sum():,}"

    assert "<svg" in page.html
    assert "http://" not in page.html.replace("https://", "")
    assert "What these numbers cannot tell you" in page.text


def test_city_data_with_arrests(project):
    page = run_report(project, "hate_crime", "nyc_hate_crimes", city="New York", state="NY")
    raw = read_raw("nyc_hate_crimes")
    raw["year"] = pd.to_datetime(raw["Record Create Date"], format="%m/%d/%Y").dt.year.astype(str)
    shown = page.table("arrests-by-year", "Year")
    assert list(shown.index) == sorted(raw["year"].unique())
    for year, group in raw.groupby("year"):
        arrests = int((group["Arrest Date"] != "").sum())
        assert shown.loc[year, "with an arrest"] == f"{arrests:,}"
        assert shown.loc[year, "share with an arrest"] == f"{arrests / len(group):.1%}"
    assert "Which incidents this report covers" not in page.text  # one city's own data is used whole
