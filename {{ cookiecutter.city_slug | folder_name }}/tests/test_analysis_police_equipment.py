"""The 1033 program analyses, checked against independent pandas computations on the raw DLA files."""

from __future__ import annotations

import pandas as pd
import pytest

from safety_toolkit.analysis import Dataset
from safety_toolkit.analysis import police_equipment as equipment

from .presets import FIXTURES, read_raw

QUARTER = FIXTURES / "police_equipment" / "leso_shipments_cancellations_2019q4_mn_wi.xlsx"
VEHICLES = ("1385", "1510", "1520", "1550", "2350", "2355", "2360")


@pytest.fixture
def wisconsin(standardized) -> Dataset:
    ds = standardized("leso_1033_property").dataset()
    return equipment.limit_to(ds, equipment.scope(ds, "WI"))


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The Wisconsin lines of the raw property list, with the value of each line."""
    frame = read_raw("leso_1033_property")
    frame = frame[frame["State"] == "WI"].copy()
    frame["units"] = frame["Quantity"].astype(float)
    frame["value"] = frame["units"] * frame["Acquisition Value"].astype(float)
    frame["date"] = pd.to_datetime(frame["Ship Date"].str[:10])
    frame["class"] = frame["NSN"].str[:4]
    return frame


def test_scope_keeps_the_state(standardized, raw):
    ds = standardized("leso_1033_property").dataset()
    kept = equipment.scope(ds, "WI")
    assert kept.kept == len(raw)
    assert kept.total == ds.rows > len(raw)
    assert equipment.limit_to(ds, kept).rows == len(raw)
    assert equipment.scope(ds, "TX").kept == 0


def test_a_city_report_keeps_the_lines_of_the_agencies_matched_by_name(standardized, raw):
    ds = standardized("leso_1033_property").dataset()
    kept = equipment.scope(ds, "WI")
    named = equipment.agencies_named(equipment.limit_to(ds, kept), "Milwaukee")["agency"].tolist()
    city = equipment.limit_to_agencies(ds, kept, named)
    expected = raw[raw["Station Name (LEA)"].str.contains("MILWAUKEE")]
    assert named
    assert sorted(named) == sorted(expected["Station Name (LEA)"].unique())
    assert city.rows == len(expected)
    assert equipment.totals(city)["value"] == pytest.approx(expected["value"].sum())
    assert equipment.limit_to_agencies(ds, kept, []).rows == 0


def test_totals_multiply_unit_value_by_quantity(wisconsin, raw):
    totals = equipment.totals(wisconsin)
    assert totals["lines"] == len(raw)
    assert totals["units"] == raw["units"].sum()
    assert totals["value"] == pytest.approx(raw["value"].sum())
    assert totals["agencies"] == raw["Station Name (LEA)"].nunique()


def test_value_by_year_leaves_out_placeholder_dates(wisconsin, raw):
    placeholder = raw["Ship Date"].str[:10].isin(["1900-01-01", "1970-01-01", "1980-01-01"])
    dated = raw[~placeholder]
    frame = equipment.by_year(wisconsin).set_index("year")
    expected = dated.groupby(dated["date"].dt.year)
    assert frame["value"].to_dict() == pytest.approx(expected["value"].sum().to_dict())
    assert frame["lines"].to_dict() == expected.size().to_dict()
    per_agency = dated.groupby([dated["date"].dt.year, "Station Name (LEA)"])["value"].sum()
    for year, row in frame.iterrows():
        top = per_agency.loc[year]
        assert row["top_value"] == pytest.approx(top.max())
        assert row["top_agency"] in set(top[top == top.max()].index)
        assert row["top_share"] == pytest.approx(top.max() / top.sum())
    assert equipment.undated(wisconsin) == int(placeholder.sum())


def test_top_agencies_and_the_citys_agencies(wisconsin, raw):
    frame = equipment.top_agencies(wisconsin, top=5)
    expected = raw.groupby("Station Name (LEA)")["value"].sum().sort_values(ascending=False).head(5)
    assert frame["value"].tolist() == pytest.approx(expected.tolist())
    named = equipment.agencies_named(wisconsin, "Milwaukee")
    milwaukee = raw[raw["Station Name (LEA)"].str.contains("MILWAUKEE")]
    assert named["lines"].sum() == len(milwaukee) > 0
    assert named["value"].sum() == pytest.approx(milwaukee["value"].sum())


def test_items_and_supply_classes(wisconsin, raw):
    by_units = equipment.top_items(wisconsin, "units", top=3)
    expected = raw.groupby(["Item Name", "class"])["units"].sum().sort_values(ascending=False).head(3)
    assert by_units["units"].tolist() == expected.tolist()
    classes = equipment.supply_classes(wisconsin, top=50).set_index("supply_class")
    assert classes["lines"].to_dict() == raw["class"].value_counts().to_dict()
    assert classes.loc["2355", "name"] == "Combat, assault and tactical vehicles, wheeled"


def test_vehicles_aircraft_and_robots_by_agency(wisconsin, raw):
    frame = equipment.highlighted_by_agency(wisconsin, VEHICLES)
    vehicles = raw[raw["class"].isin(VEHICLES)]
    assert frame["lines"].sum() == len(vehicles) > 0
    assert frame["value"].sum() == pytest.approx(vehicles["value"].sum())
    expected = vehicles.groupby("Station Name (LEA)")["value"].sum()
    assert dict(zip(frame["agency"], frame["value"], strict=True)) == pytest.approx(expected.to_dict())
    items = equipment.top_items(wisconsin, "value", top=50, classes=VEHICLES)
    assert items["value"].sum() == pytest.approx(vehicles["value"].sum())


def test_transfers_come_from_the_property_list_when_there_is_one(standardized):
    ds = standardized("leso_1033_property", "leso_shipments", "leso_cancellations").dataset()
    assert equipment.transfer_type(ds) == "inventory"
    raw = read_raw("leso_1033_property")
    assert equipment.totals(ds)["lines"] == len(raw)


def test_shipments_alone_and_cancellations(standardized):
    ds = standardized("leso_shipments", "leso_cancellations").dataset()
    shipped = pd.read_excel(QUARTER, sheet_name="All Shipments", dtype=str)
    assert equipment.transfer_type(ds) == "shipment"
    assert equipment.totals(ds)["lines"] == len(shipped)
    reasons = equipment.cancellations(ds, top=3)
    cancelled = pd.read_excel(QUARTER, sheet_name="Cancellations", dtype=str)
    counts = cancelled["Reason Cancelled"].fillna("").str.strip().replace("", "no reason given").value_counts()
    assert reasons["requests"].head(3).tolist() == counts.head(3).tolist()
    assert reasons["requests"].sum() == len(cancelled)
    assert reasons["reason"].iloc[-1] == f"{len(counts) - 3} other reasons"
