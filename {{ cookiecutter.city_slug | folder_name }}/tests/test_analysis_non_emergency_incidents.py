"""The non-emergency computations on real fixtures, each checked against an independent pandas reading of
the raw file: routing to the police, request types that may not need an armed response, time to close,
volume by month despite mistyped years, and two record systems of one city read as one topic."""

from __future__ import annotations

import pandas as pd
import pytest

from safety_toolkit.analysis import Dataset
from safety_toolkit.analysis import emergency_911 as shared
from safety_toolkit.analysis import non_emergency_incidents as requests

from .presets import PRESETS, read_raw

TOPIC = "non_emergency_incidents"


@pytest.fixture
def nyc(standardized) -> Dataset:
    return standardized("nyc_311_service_requests").dataset()


@pytest.fixture
def oakland(standardized) -> Dataset:
    return standardized("oakland_crime_incidents").dataset()


def test_requests_routed_to_the_police(nyc):
    source = read_raw("nyc_311_service_requests")
    police = source["agency"] == "NYPD"
    assert requests.record_kinds(nyc) == {"service request": len(source), "incident report": 0, "unknown": 0}
    assert requests.police_share(nyc) == {"total": len(source), "police": int(police.sum()), "not_recorded": 0}
    frame = requests.police_types(nyc).set_index("type")
    by_type = source.groupby("complaint_type")["agency"].agg(requests="size", police=lambda a: (a == "NYPD").sum())
    by_type = by_type[by_type["police"] > 0]
    assert frame[["requests", "police"]].sort_index().to_dict() == by_type.sort_index().to_dict()
    assert frame["share_police"].tolist() == pytest.approx((frame["police"] / frame["requests"]).tolist())


def test_police_requests_that_may_not_need_an_armed_response(nyc):
    source = read_raw("nyc_311_service_requests")
    types = source.loc[source["agency"] == "NYPD", "complaint_type"]
    groups = shared.UNARMED_RESPONSE
    matched = types.map(lambda t: next((g for g, words in groups.items() if any(w in t.lower() for w in words)), None))
    summary, caught = requests.unarmed_police_requests(nyc)
    assert summary.attrs["total"] == len(types)
    expected = matched.value_counts().reindex(list(groups), fill_value=0).tolist()
    assert summary["count"].tolist() == [*expected, int(matched.notna().sum())]
    assert summary.set_index("group").loc["Noise", "count"] == types.str.contains("Noise").sum() > 0
    assert caught.groupby("type")["count"].sum().to_dict() == types[matched.notna()].value_counts().to_dict()


def test_time_to_close_by_agency(nyc):
    source = read_raw("nyc_311_service_requests")
    opened = pd.to_datetime(source["created_date"])
    closed = pd.to_datetime(source["closed_date"].replace("", None))
    hours = (closed - opened).dt.total_seconds() / 3600
    frame = requests.time_to_close(nyc).set_index("group")
    for agency, group in hours.groupby(source["agency_name"]):
        row = frame.loc[agency]
        assert (row["requests"], row["closed"], row["still_open"]) == (
            len(group),
            group.notna().sum(),
            group.isna().sum(),
        )
        if group.notna().any():
            assert row["median_hours"] == pytest.approx(group.quantile(0.5))
            assert row["p90_hours"] == pytest.approx(group.quantile(0.9))
    assert frame["closed_before_opened"].sum() == (hours < 0).sum()


def test_months_and_weekdays_are_counted_despite_years_typed_wrongly(oakland):
    source = read_raw("oakland_crime_incidents", skiprows=[1])
    dates = pd.to_datetime(source["INCIDENT_DATE"].replace("", None), format="%m/%d/%y %H:%M").dropna()
    months = shared.by_month(oakland, "data")
    assert months["month"].iloc[0] == f"{dates.min():%Y-%m}"
    assert months["month"].iloc[-1] == f"{dates.max():%Y-%m}"
    assert len(months) == (dates.max().year - dates.min().year) * 12 + dates.max().month - dates.min().month + 1
    found = months[months["count"] > 0].set_index("month")
    expected = dates.groupby(dates.dt.strftime("%Y-%m"))
    assert found["count"].to_dict() == expected.size().to_dict()
    assert found["days"].to_dict() == expected.apply(lambda d: d.dt.date.nunique()).to_dict()
    weekdays = shared.by_weekday(oakland, "data").set_index("weekday")
    assert weekdays["count"].to_dict() == dates.dt.day_name().value_counts().reindex(shared.WEEKDAYS).to_dict()
    # Days counted are days with reports: a single report in 2050 adds one day, not 33 years of days.
    assert weekdays["days"].sum() == dates.dt.date.nunique()
    assert shared.area_column(oakland) == "beat"
    assert requests.record_kinds(oakland)["incident report"] == len(source)


def test_two_record_systems_of_one_city_make_one_year(standardized):
    ds = standardized("minneapolis_police_incidents_2018", "minneapolis_police_incidents_pims").dataset()
    older, newer = read_raw("minneapolis_police_incidents_2018"), read_raw("minneapolis_police_incidents_pims")
    labels = PRESETS["minneapolis_police_incidents_pims"]["source"]["mapping"]["request_type"]["values"]
    codes = pd.concat([older["Offense"], newer["offense"].str.strip()]).map(labels)
    frame = shared.top_values(ds, "request_type", "data", top=100)
    assert dict(zip(frame["value"], frame["count"], strict=True)) == codes.value_counts().to_dict()
    precincts = pd.concat([older["Precinct"].str.lstrip("0"), newer["precinct"].str.strip()])
    area = shared.top_values(ds, "precinct", "data", top=100)
    assert dict(zip(area["value"], area["count"], strict=True)) == precincts.value_counts().to_dict()
    months = shared.by_month(ds, "data")
    assert months["month"].tolist() == [f"2018-{m:02d}" for m in range(1, 13)]
    assert months["count"].sum() == len(older) + len(newer)


def test_incident_reports_listed_with_requests_stay_out_of_routing_and_closing(standardized):
    ds = standardized("nyc_311_service_requests", "oakland_crime_incidents").dataset()
    nyc, oakland = read_raw("nyc_311_service_requests"), read_raw("oakland_crime_incidents", skiprows=[1])
    assert requests.record_kinds(ds) == {"service request": len(nyc), "incident report": len(oakland), "unknown": 0}
    assert requests.police_share(ds) == {
        "total": len(nyc),
        "police": (nyc["agency"] == "NYPD").sum(),
        "not_recorded": 0,
    }
    assert "Oakland Police Department" not in set(requests.time_to_close(ds)["group"])
    assert requests.police_types(ds)["police"].sum() == (nyc["agency"] == "NYPD").sum()
