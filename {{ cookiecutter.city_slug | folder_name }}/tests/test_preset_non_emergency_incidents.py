"""The non-emergency presets (311 requests, police incident reports) on their real fixtures: the counts
of key categories after standardizing equal an independent pandas reading of the raw file."""

from __future__ import annotations

import pandas as pd

from .presets import PRESETS, read_raw


def counts(series: pd.Series) -> dict:
    return series.dropna().value_counts().to_dict()


def offense_labels(name: str) -> dict[str, str]:
    return PRESETS[name]["source"]["mapping"]["request_type"]["values"]


def test_nyc_311_types_agencies_police_routing_and_multiline_cells(standardized):
    frame = standardized("nyc_311_service_requests").frame()
    source = read_raw("nyc_311_service_requests")
    assert source["location"].str.contains("\n").any()  # the trap: quoted cells over several lines
    assert len(frame) == len(source) == source["unique_key"].nunique()
    assert counts(frame["request_type"]) == counts(source["complaint_type"])
    assert counts(frame["agency"]) == counts(source["agency_name"])
    assert counts(frame["channel"]) == counts(source["open_data_channel_type"])
    assert counts(frame["status"]) == counts(source["status"])
    assert frame["routed_to_police"].sum() == (source["agency"] == "NYPD").sum() > 0
    assert frame["closed_at"].notna().sum() == (source["closed_date"] != "").sum()
    created = pd.to_datetime(source["created_date"], format="%Y-%m-%dT%H:%M:%S.%f")
    assert (pd.to_datetime(frame["date"]) + pd.to_timedelta(frame["time"].astype(str))).tolist() == created.tolist()
    assert set(frame["record_type"]) == {"service request"}


def test_minneapolis_legacy_reports_codes_precincts_and_local_times(standardized):
    name = "minneapolis_police_incidents_2018"
    frame = standardized(name).frame()
    source = read_raw(name)
    labels = offense_labels(name)
    assert counts(frame["request_type"]) == counts(source["Offense"].map(lambda code: labels.get(code, code)))
    assert counts(frame["description"]) == counts(source["Description"])
    assert counts(frame["precinct"]) == counts(source["Precinct"].str.lstrip("0"))
    # The "Z" is not UTC: the time of day matches the clock time the report states.
    reported = pd.to_datetime(source["ReportedDate"].str.rstrip("Z"))
    assert pd.to_datetime(frame["date"]).dt.date.tolist() == reported.dt.date.tolist()
    assert [t.strftime("%H:%M:%S") for t in frame["time"]] == reported.dt.strftime("%H:%M:%S").tolist()
    assert frame["routed_to_police"].all()
    assert set(frame["record_type"]) == {"incident report"}


def test_minneapolis_pims_reports_padded_values_trimmed(standardized):
    name = "minneapolis_police_incidents_pims"
    frame = standardized(name).frame()
    source = read_raw(name)
    assert source["caseNumber"].str.endswith(" ").all()  # the trap: fixed-width padding
    assert frame["request_id"].tolist() == source["caseNumber"].str.strip().tolist()
    assert counts(frame["precinct"]) == counts(source["precinct"].str.strip())
    labels = offense_labels(name)
    assert counts(frame["request_type"]) == counts(source["offense"].str.strip().map(lambda c: labels.get(c, c)))
    reported = pd.to_datetime(source["reportedDateTime"].str.rstrip("Z"))
    assert pd.to_datetime(frame["date"]).dt.date.tolist() == reported.dt.date.tolist()


def test_both_minneapolis_systems_name_offenses_alike():
    """The two records systems of 2018 share offense codes: both presets give each code the same name, and
    every code in either file has one."""
    older = offense_labels("minneapolis_police_incidents_2018")
    assert offense_labels("minneapolis_police_incidents_pims") == older
    assert set(read_raw("minneapolis_police_incidents_2018")["Offense"]) <= set(older)
    assert set(read_raw("minneapolis_police_incidents_pims")["offense"].str.strip()) <= set(older)


def test_oakland_second_header_skipped_and_wrong_years_kept_for_the_quality_check(standardized):
    done = standardized("oakland_crime_incidents")
    frame, report = done.frame(), done.report
    source = read_raw("oakland_crime_incidents", skiprows=[1])
    assert len(frame) == len(source)
    assert "CrimeType" not in set(frame["request_type"].dropna())  # the second header row is not data
    assert counts(frame["request_type"]) == counts(source["CRIME_TYPE"].replace("", None))
    assert counts(frame["beat"]) == counts(source["LOCATION_DISTRICT"].replace("", None))
    dates = pd.to_datetime(source["INCIDENT_DATE"].replace("", None), format="%m/%d/%y %H:%M")
    assert counts(pd.to_datetime(frame["date"]).dt.year) == counts(dates.dt.year)
    assert (pd.to_datetime(frame["date"]).dt.year >= 2030).sum() == (dates.dt.year >= 2030).sum() > 0  # typed wrongly
    assert frame["date"].isna().sum() == dates.isna().sum() == 2
    assert report["sources"][0]["columns"]["date"]["parsing"]["failed"] == 0
