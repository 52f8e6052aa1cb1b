"""The non-emergency report end to end on real data of other cities (New York 311 requests, Oakland crime
reports): the numbers in the page equal an independent pandas reading of the raw file."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .presets import read_raw
from .report_helpers import assert_small_counts_hidden, run_report

TOPIC = "non_emergency_incidents"


def test_new_york_311_requests_routed_to_the_police_with_small_counts_hidden(project):
    page = run_report(
        project, TOPIC, "nyc_311_service_requests", reports={"suppress_small_counts": True},
        city="New York", state="NY", timezone="America/New_York",
    )  # fmt: skip
    source = read_raw("nyc_311_service_requests")
    police = source["agency"] == "NYPD"
    assert "Non-emergency (311) requests in New York, NY" in page.text  # the title names what the data is
    routed = f"{police.sum():,} of {len(source):,} service requests ({police.mean():.1%}) were routed to the police."
    assert routed in page.text

    assert_small_counts_hidden(page.html)
    types = page.table("records-by-type")
    expected = source["complaint_type"].value_counts()
    shown = types[~types["type"].str.startswith("all ")]
    assert len(shown) == 15
    assert set(shown["type"]) >= set(expected[expected > expected.iloc[15]].index)
    for request_type, published in zip(shown["type"], shown["requests"], strict=True):
        # Published with small counts suppressed: counts under 10 are hidden, the rest shown.
        n = expected[request_type]
        assert published == (f"{n:,}" if n >= 10 else "<10")

    routed = page.table("police-request-types").set_index("request type")
    for request_type, n in source.loc[police, "complaint_type"].value_counts().items():
        if n >= 10:
            assert routed.loc[request_type, "routed to police"] == f"{n:,}"

    noise = source.loc[police, "complaint_type"].str.contains("Noise")
    unarmed = page.table("unarmed-police-requests").set_index("group of types")
    assert unarmed.loc["Noise", "requests"] == f"{noise.sum():,}"
    assert unarmed.loc["Noise", "share of requests"] == f"{noise.mean():.1%}"

    opened = pd.to_datetime(source["created_date"])
    closed = pd.to_datetime(source["closed_date"].replace("", None))
    hours = ((closed - opened).dt.total_seconds() / 3600)[police]
    close = page.table("time-to-close").set_index("agency").loc["New York City Police Department"]
    assert (close["requests"], close["closed"], close["still open"]) == (
        f"{police.sum():,}",
        f"{hours.notna().sum():,}",
        f"{hours.isna().sum():,}",
    )
    assert close["median hours to close"] == f"{hours.quantile(0.5):.1f}"

    # No boundary layer is set: the map draws the points within 40 km of their median, and says how many.
    lat, lng = pd.to_numeric(source["latitude"], errors="coerce"), pd.to_numeric(source["longitude"], errors="coerce")
    known = lat.notna() & lng.notna() & (lat != 0) & (lng != 0)
    mid_lat, mid_lng = lat[known].median(), lng[known].median()
    km = 6371.0088 * np.hypot(np.radians(lat - mid_lat), np.radians(lng - mid_lng) * np.cos(np.radians(mid_lat)))
    usable = int((known & (km <= 40)).sum())
    assert f"{usable:,} of {len(source):,} rows have usable coordinates" in page.text


def test_oakland_crime_reports_with_years_typed_wrongly(project):
    page = run_report(
        project, TOPIC, "oakland_crime_incidents", city="Oakland", state="CA", timezone="America/Los_Angeles"
    )
    source = read_raw("oakland_crime_incidents", skiprows=[1])
    dates = pd.to_datetime(source["INCIDENT_DATE"].replace("", None), format="%m/%d/%y %H:%M")
    assert f"The data has {len(source):,} records: {len(source):,} police incident reports." in page.text

    problems = page.table("date-problems").set_index("problem")
    assert problems.loc["date in the future", "rows"] == f"{(dates.dt.date > dt.date.today()).sum():,}"
    assert problems.loc["no date", "rows"] == f"{dates.isna().sum():,}"

    months = page.table("records-by-month")
    expected = dates.dropna().dt.strftime("%Y-%m").value_counts().sort_index()
    assert dict(zip(months["month"], months["reports"], strict=True)) == {k: f"{v:,}" for k, v in expected.items()}
    first, last = dates.min(), dates.max()
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    assert f"{span - len(expected):,} months between {first:%Y-%m} and {last:%Y-%m} have no reports" in page.text

    types = page.table("records-by-type")
    expected = source["CRIME_TYPE"].replace("", "not recorded").value_counts()
    rest = types["type"].str.startswith("all ")
    for crime_type, published in zip(types.loc[~rest, "type"], types.loc[~rest, "reports"], strict=True):
        assert published == f"{expected[crime_type]:,}"
    assert types["reports"].str.replace(",", "").astype(int).sum() == len(source)  # every report counted once
    # The title names what the data is, and the sections about 311 requests are left out.
    assert "Police incident reports in Oakland, CA" in page.text
    assert "311" not in page.text.split("Data:")[0]
    assert "Requests handled by the police" not in page.text
    assert "How long requests took" not in page.text
