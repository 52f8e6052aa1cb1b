"""The 1033 program report, run by the command line on the real DLA files filtered to Wisconsin and
Minnesota, for a Wisconsin city: its numbers equal an independent pandas computation."""

from __future__ import annotations

import pandas as pd

from .presets import FIXTURES, read_raw
from .report_helpers import run_report

QUARTER = FIXTURES / "police_equipment" / "leso_shipments_cancellations_2019q4_mn_wi.xlsx"
VEHICLES = ("1385", "1510", "1520", "1550", "2350", "2355", "2360")


def _dollars(value: float) -> str:
    return f"${value:,.0f}"


def test_report_for_the_agencies_of_the_state(project):
    page = run_report(
        project, "police_equipment", "leso_1033_property", "leso_cancellations", city="Milwaukee", state="WI"
    )
    raw = read_raw("leso_1033_property")
    wi = raw[raw["State"] == "WI"].copy()
    wi["value"] = wi["Quantity"].astype(float) * wi["Acquisition Value"].astype(float)

    # The city's own agencies are the subject, named; the state is the context.
    assert "Military equipment (1033 program) of Milwaukee, WI agencies" in page.text
    matched = sorted(wi.loc[wi["Station Name (LEA)"].str.contains("MILWAUKEE"), "Station Name (LEA)"].unique())
    assert all(f"<li>{name}</li>" in page.html for name in matched)
    cancelled = pd.read_excel(QUARTER, sheet_name="Cancellations", dtype=str)
    kept = len(wi) + int((cancelled["State"] == "WI").sum())  # cancelled requests are lines too
    assert f"keeps the {kept:,} lines of agencies in WI" in page.text
    assert f"with an acquisition value of {_dollars(wi['value'].sum())}" in page.text

    top = page.table("top-agencies")
    expected = wi.groupby("Station Name (LEA)")["value"].sum().sort_values(ascending=False).head(len(top))
    assert top["value"].tolist() == [_dollars(v) for v in expected]
    assert top["agency"].iloc[0] == expected.index[0]

    years = page.table("value-by-year", "year")
    dated = wi[~wi["Ship Date"].str.startswith(("1900-01-01", "1970-01-01", "1980-01-01"))]
    per_year = dated.groupby(dated["Ship Date"].str[:4])["value"].sum()
    assert years["value"].to_dict() == {y: _dollars(v) for y, v in per_year.items()}

    vehicles = wi[wi["NSN"].str[:4].isin(VEHICLES)]
    shown = page.table("vehicles-by-agency")
    by_agency = vehicles.groupby("Station Name (LEA)")["value"].sum().sort_values(ascending=False)
    assert shown["value"].tolist() == [_dollars(v) for v in by_agency.head(len(shown))]
    assert f"{len(vehicles):,} item lines, held by {len(by_agency):,} agencies" in page.text

    milwaukee = wi[wi["Station Name (LEA)"].str.contains("MILWAUKEE")]
    assert page.table("city-agencies")["value"].tolist() == [_dollars(milwaukee["value"].sum())]

    reasons = page.table("cancellations-by-reason")
    assert reasons["requests"].astype(int).sum() == (cancelled["State"] == "WI").sum()
    for text in ("drop off one year after", "What these numbers cannot tell you"):
        assert text in page.text
    assert "<svg" in page.html
    assert "http://" not in page.html.replace("https://", "")
    assert "transfers" not in page.text.lower()  # holdings,
    assert " ten " not in page.text  # and the real number of rows
