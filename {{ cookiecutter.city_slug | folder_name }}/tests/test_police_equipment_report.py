"""The 1033 program report, run by the command line on the real DLA files filtered to Wisconsin and
Minnesota, for a Wisconsin city: its numbers equal an independent pandas computation."""

from __future__ import annotations

import pandas as pd

from .conftest import FIXTURES
from .test_hate_crime_report import Tables, run_report

PROPERTY = FIXTURES / "police_equipment" / "leso_1033_property_mn_wi_sample.csv"
QUARTER = FIXTURES / "police_equipment" / "leso_shipments_cancellations_2019q4_mn_wi.xlsx"
VEHICLES = ("1385", "1510", "1520", "1550", "2350", "2355", "2360")


def _dollars(value: float) -> str:
    return f"${value:,.0f}"


def test_report_for_the_agencies_of_the_state(project):
    page = run_report(project, "police_equipment", "Milwaukee", "WI", "leso_1033_property", "leso_cancellations")
    raw = pd.read_csv(PROPERTY, dtype=str, keep_default_na=False)
    wi = raw[raw["State"] == "WI"].copy()
    wi["value"] = wi["Quantity"].astype(float) * wi["Acquisition Value"].astype(float)
    tables = Tables(page)

    # The city's own agencies are the subject, named; the state is the context.
    assert "Military equipment (1033 program) of Milwaukee, WI agencies" in page
    matched = sorted(wi.loc[wi["Station Name (LEA)"].str.contains("MILWAUKEE"), "Station Name (LEA)"].unique())
    assert all(f"<li>{name}</li>" in page for name in matched)
    cancelled = pd.read_excel(QUARTER, sheet_name="Cancellations", dtype=str)
    kept = len(wi) + int((cancelled["State"] == "WI").sum())  # cancelled requests are lines too
    assert f"keeps the {kept:,} lines of agencies in WI" in page
    assert f"with an acquisition value of {_dollars(wi['value'].sum())}" in page

    top = tables["top-agencies"]
    expected = wi.groupby("Station Name (LEA)")["value"].sum().sort_values(ascending=False).head(len(top))
    assert top["value"].tolist() == [_dollars(v) for v in expected]
    assert top["agency"].iloc[0] == expected.index[0]

    years = tables["value-by-year"].set_index("year")
    dated = wi[~wi["Ship Date"].str.startswith(("1900-01-01", "1970-01-01", "1980-01-01"))]
    per_year = dated.groupby(dated["Ship Date"].str[:4])["value"].sum()
    assert years["value"].to_dict() == {y: _dollars(v) for y, v in per_year.items()}

    vehicles = wi[wi["NSN"].str[:4].isin(VEHICLES)]
    shown = tables["vehicles-by-agency"]
    by_agency = vehicles.groupby("Station Name (LEA)")["value"].sum().sort_values(ascending=False)
    assert shown["value"].tolist() == [_dollars(v) for v in by_agency.head(len(shown))]
    assert f"{len(vehicles):,} item lines, held by {len(by_agency):,} agencies" in page

    milwaukee = wi[wi["Station Name (LEA)"].str.contains("MILWAUKEE")]
    assert tables["city-agencies"]["value"].tolist() == [_dollars(milwaukee["value"].sum())]

    reasons = tables["cancellations-by-reason"]
    assert reasons["requests"].astype(int).sum() == (cancelled["State"] == "WI").sum()
    for text in (
        "drop off one year after",
        "What these numbers cannot tell you",
        "Questions to ask next",
        "Where this data comes from",
    ):
        assert text in page
    assert "<svg" in page and "http://" not in page.replace("https://", "")
    assert "transfers" not in page.lower() and " ten " not in page  # holdings, and the real number of rows
