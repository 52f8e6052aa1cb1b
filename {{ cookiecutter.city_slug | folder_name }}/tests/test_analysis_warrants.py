"""The warrants analyses, checked against independent pandas computations on the raw files."""

from __future__ import annotations

import pandas as pd
import pytest

from safety_toolkit.analysis import Dataset, warrants

from .presets import read_raw, standardize_sources


@pytest.fixture
def snapshots(standardized) -> tuple[Dataset, pd.DataFrame]:
    raw = read_raw("erie_county_warrants_snapshots")
    raw["date"] = pd.to_datetime(raw["date_received"], format="%m/%d/%Y")
    raw["seen"] = pd.to_datetime(raw["snapshot_utc"].str[:10])
    return warrants.one_row_per_warrant(standardized("erie_county_warrants_snapshots").dataset()), raw


def test_saved_copies_fold_into_one_row_per_warrant(snapshots):
    ds, raw = snapshots
    per_warrant = raw.groupby("warrant_number").agg(
        first_seen=("seen", "min"), last_seen=("seen", "max"), listings=("seen", "size"), date=("date", "min")
    )
    frame = ds.query("SELECT warrant_id, first_seen, last_seen, listings, date FROM data").set_index("warrant_id")
    assert len(frame) == len(per_warrant) == ds.rows
    for column in ("first_seen", "last_seen", "date"):
        assert (pd.to_datetime(frame[column]) == per_warrant[column].reindex(frame.index)).all()
    assert frame["listings"].to_dict() == per_warrant["listings"].to_dict()


def test_one_row_per_warrant_leaves_a_per_warrant_file_as_it_is(standardized):
    raw = read_raw("erie_county_warrants")
    folded = warrants.one_row_per_warrant(standardized("erie_county_warrants").dataset())
    assert folded.rows == len(raw) == raw["warrant_number"].nunique()


def test_years_charges_race_and_sex(snapshots):
    ds, raw = snapshots
    listed = raw.drop_duplicates("warrant_number")
    assert warrants.by_year(ds).set_index("year")["warrants"].to_dict() == (
        listed["date"].dt.year.value_counts().to_dict()
    )
    charges = listed["reason_for_warrant"].str.split(";").map(lambda p: {c.strip() for c in p}).explode()
    frame = warrants.charges(ds).set_index("charge")
    assert frame["warrants"].to_dict() == charges.value_counts().to_dict()
    table = warrants.race_by_sex(ds)
    assert table["warrants"].sum() == len(listed)
    assert table.loc["other", "male"] == int((listed["race_sex"] == "American Indian Male").sum())
    numbers = listed["warrant_number"].str.count(r"\d\d-\d{6}")  # "21-001546 & 21-001547", "21-001616, 21-001617"
    assert warrants.several_numbers(ds) == int((numbers > 1).sum()) > 0


def test_the_published_list_window(snapshots):
    ds, raw = snapshots
    window = warrants.list_window(ds)
    assert pd.Timestamp(window["first_seen"]) == raw["seen"].min()
    assert pd.Timestamp(window["last_seen"]) == raw["seen"].max()
    assert pd.Timestamp(window["newest"]) == raw["date"].max()
    assert window["on_last"] == int((raw["seen"] == raw["seen"].max()).sum())
    spans = raw.groupby("warrant_number")["seen"].agg(lambda s: (s.max() - s.min()).days)
    assert window["median_days"] == spans.median()
    assert not warrants.status_recorded(ds)


def test_status_and_time_to_service_where_recorded(tmp_path):
    # A small made-up file, for the columns no real fixture has: status and date of service.
    rows = pd.DataFrame(
        {
            "number": ["A1", "A2", "A3", "A4", "A4", "A5"],
            "issued": ["2020-01-10", "2020-03-01", "2021-02-01", "2021-05-01", "2021-05-01", "2021-06-01"],
            "state": ["Served", "Active", "Served", "Recalled", "Served", "Served"],
            "served": ["2020-01-20", "", "2021-02-11", "", "2021-05-31", "2021-06-03"],
        }
    )
    rows.to_csv(tmp_path / "warrants.csv", index=False)
    mapping = {
        "warrant_id": "number",
        "date": {"column": "issued", "format": "%Y-%m-%d"},
        "status": {"column": "state", "values": {"Active": "outstanding", "Served": "served", "Recalled": "recalled"}},
        "served_date": {"column": "served", "format": "%Y-%m-%d"},
    }
    done = standardize_sources(tmp_path, "warrants", [{"location": "warrants.csv", "mapping": mapping}])
    ds = warrants.one_row_per_warrant(done.dataset())
    assert warrants.status_recorded(ds)
    years = warrants.by_year(ds).set_index("year")
    # A4 was recalled, then served: its latest status counts.
    assert years.loc[2020, ["warrants", "served", "outstanding"]].tolist() == [2, 1, 1]
    assert years.loc[2021, ["warrants", "served", "recalled"]].tolist() == [3, 3, 0]
    timing = warrants.time_to_service(ds).set_index("year")
    assert timing.loc[2020, "median_days"] == 10
    assert timing.loc[2021, "median_days"] == pd.Series([10, 30, 2]).median()
