"""The DLA LESO (1033 program) presets: counts and values after standardizing equal an independent
reading of the raw files."""

from __future__ import annotations

import pandas as pd
import pytest

from .presets import FIXTURES, read_raw

QUARTER = FIXTURES / "police_equipment" / "leso_shipments_cancellations_2019q4_mn_wi.xlsx"


def _number(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.replace("", None))


@pytest.fixture
def held(standardized) -> tuple[pd.DataFrame, pd.DataFrame]:
    return standardized("leso_1033_property").frame(), read_raw("leso_1033_property")


def test_property_lines_by_state_and_supply_class(held):
    frame, raw = held
    assert frame["state"].value_counts().to_dict() == raw.loc[raw["State"] != "", "State"].value_counts().to_dict()
    classes = frame["nsn"].str[:4].value_counts().to_dict()
    assert classes == raw.loc[raw["NSN"] != "", "NSN"].str[:4].value_counts().to_dict()
    assert (frame["record_type"] == "inventory").all()


def test_property_value_is_unit_value_times_quantity(held):
    frame, raw = held
    expected = (_number(raw["Quantity"]) * _number(raw["Acquisition Value"])).sum()
    assert (frame["quantity"] * frame["acquisition_value"]).sum() == pytest.approx(expected)
    assert frame["quantity"].sum() == pytest.approx(_number(raw["Quantity"]).sum())


def test_property_dates_keep_their_traps(held):
    frame, raw = held
    dates = frame["date"].dt.strftime("%Y-%m-%d")
    assert (dates == raw["Ship Date"].str[:10].replace("", None)).sum() == (raw["Ship Date"] != "").sum()
    assert (dates == "1980-01-01").sum() == raw["Ship Date"].str.startswith("1980-01-01").sum() == 1
    assert (frame["date"] > pd.Timestamp("2019-12-31")).sum() == (raw["Ship Date"] > "2019-12-31").sum() == 1
    blank = (raw == "").all(axis=1)
    assert blank.sum() == 1
    assert frame[blank.to_numpy()].drop(columns=["source", "record_type"]).isna().all(axis=None)


def sheet(name: str) -> pd.DataFrame:
    return pd.read_excel(QUARTER, sheet_name=name, dtype=str).fillna("")


def test_shipments_sheet(standardized):
    frame, raw = standardized("leso_shipments").frame(), sheet("All Shipments")
    assert len(frame) == len(raw)
    assert (frame["record_type"] == "shipment").all()
    assert frame["state"].value_counts().to_dict() == raw["State"].value_counts().to_dict()
    # FSC and NIIN, not an NSN: the supply class is still the first four characters.
    assert frame["nsn"].str[:4].tolist() == raw["FSC"].tolist()
    expected = (_number(raw["Quantity"]) * _number(raw["Acquisition Value"])).sum()
    assert (frame["quantity"] * frame["acquisition_value"]).sum() == pytest.approx(expected)
    assert frame["date"].dt.to_period("M").astype(str).value_counts().to_dict() == (
        raw["Date Shipped"].str[:7].value_counts().to_dict()
    )


def test_cancellations_sheet(standardized):
    frame, raw = standardized("leso_cancellations").frame(), sheet("Cancellations")
    assert len(frame) == len(raw)
    assert (frame["record_type"] == "cancellation").all()
    assert frame["state"].value_counts().to_dict() == raw["State"].value_counts().to_dict()
    reasons = raw["Reason Cancelled"].str.strip().replace("", None)
    assert frame["cancel_reason"].value_counts().to_dict() == reasons.value_counts().to_dict()
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == raw["Date Requested"].str[:10].tolist()
