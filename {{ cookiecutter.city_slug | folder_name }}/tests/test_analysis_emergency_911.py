"""The 911 computations on real fixtures, each checked against an independent pandas reading of the raw
file: calls counted once whatever the number of units, response times from timestamps or from published
minutes, volume by hour, weekday and month, and the call types that may not need an armed response."""

from __future__ import annotations

import pandas as pd
import pytest

from safety_toolkit.analysis import Dataset
from safety_toolkit.analysis import emergency_911 as calls

from .presets import PRESETS, read_raw

TWELVE_HOUR = "%m/%d/%Y %I:%M:%S %p"


def stage_summary(stages: pd.DataFrame, waited: pd.Series) -> pd.DataFrame:
    """Per stage: calls timed, median and 90th percentile, over calls that waited and non-negative times."""
    records = []
    for stage in ("to_dispatch", "travel", "response"):
        values = stages.loc[waited & (stages[stage] >= 0), stage]
        if len(values):
            records.append((calls.STAGES[stage], len(values), values.quantile(0.5), values.quantile(0.9)))
    return pd.DataFrame(records, columns=["stage", "calls", "median", "p90"])


def assert_same(found: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(found, expected, check_dtype=False, check_exact=False)


def test_unit_rows_become_calls_timed_from_the_first_unit(standardized):
    ds = standardized("sf_fire_calls_for_service").dataset()
    source = read_raw("sf_fire_calls_for_service")
    times = {
        column: pd.to_datetime(source[column].replace("", None), format=TWELVE_HOUR)
        for column in ("Received DtTm", "Dispatch DtTm", "On Scene DtTm")
    }
    per_call = pd.DataFrame(times).assign(call=source["Call Number"], battalion=source["Battalion"])
    per_call = per_call.groupby("call").agg("min")  # min skips missing arrivals: the first unit on scene
    minutes = pd.DataFrame(
        {
            "to_dispatch": (per_call["Dispatch DtTm"] - per_call["Received DtTm"]).dt.total_seconds() / 60,
            "travel": (per_call["On Scene DtTm"] - per_call["Dispatch DtTm"]).dt.total_seconds() / 60,
            "response": (per_call["On Scene DtTm"] - per_call["Received DtTm"]).dt.total_seconds() / 60,
        }
    )
    waited = minutes["response"].ne(0)
    counted = calls.call_counts(ds)
    assert counted["rows"] == len(source)
    assert counted["calls"] == counted["fire_and_ems"] == source["Call Number"].nunique() < len(source)
    assert_same(calls.response_summary(ds), stage_summary(minutes, waited))
    assert calls.timing_exclusions(ds)["no_wait"] == (minutes["response"] == 0).sum()

    assert calls.area_column(ds) == "district"
    assert calls.main_stage(ds) == "response"
    by_area = calls.response_by(ds, "district", "response").set_index("group")
    for battalion, group in minutes.assign(battalion=per_call["battalion"]).groupby("battalion"):
        values = group.loc[waited.loc[group.index] & (group["response"] >= 0), "response"]
        assert by_area.loc[battalion, "calls"] == len(group)
        assert by_area.loc[battalion, "timed"] == len(values)
        assert by_area.loc[battalion, "median"] == pytest.approx(values.quantile(0.5))
        assert by_area.loc[battalion, "p90"] == pytest.approx(values.quantile(0.9))


def test_published_minutes_are_used_when_there_are_no_timestamps(standardized):
    ds = standardized("detroit_911_calls_last30days").dataset()
    source = read_raw("detroit_911_calls_last30days")
    number = {c: pd.to_numeric(source[c].replace("", None)) for c in source.columns}
    dispatch = number["dispatchtime"].where(number["dispatchtime"] >= 0)  # negative times cannot be right
    minutes = pd.DataFrame(
        {
            "to_dispatch": number["intaketime"] + dispatch,  # the wait for dispatch includes intake
            "travel": number["traveltime"],
            "response": number["totalresponsetime"],
        }
    )
    waited = minutes["response"].ne(0)
    assert_same(calls.response_summary(ds), stage_summary(minutes, waited))
    assert calls.timing_exclusions(ds) == {
        "officer_initiated": 0,
        "no_wait": int((minutes["response"] == 0).sum()),
        "out_of_order": 0,
    }
    assert calls.by_hour(ds)["count"].sum() == 0
    assert calls.by_weekday(ds).empty
    assert calls.by_month(ds).empty
    assert calls.area_column(ds) is None


def test_volume_by_hour_weekday_and_month(standardized):
    ds = standardized("milwaukee_calls_for_service").dataset()
    times = pd.to_datetime(read_raw("milwaukee_calls_for_service")["time"])
    hours = calls.by_hour(ds)
    assert hours["count"].tolist() == times.dt.hour.value_counts().reindex(range(24), fill_value=0).tolist()
    weekdays = calls.by_weekday(ds).set_index("weekday")
    by_day = times.groupby(times.dt.day_name())
    for day in calls.WEEKDAYS:
        assert weekdays.loc[day, "count"] == by_day.size()[day]
        assert weekdays.loc[day, "days"] == by_day.apply(lambda t: t.dt.date.nunique())[day]
        assert weekdays.loc[day, "per_day"] == pytest.approx(by_day.size()[day] / weekdays.loc[day, "days"])
    months = calls.by_month(ds)
    assert months[["month", "count", "days"]].values.tolist() == [["2018-05", len(times), times.dt.date.nunique()]]


def test_top_call_types_and_the_rest(standardized):
    ds = standardized("milwaukee_calls_for_service").dataset()
    expected = read_raw("milwaukee_calls_for_service")["nature"].value_counts()
    frame = calls.top_values(ds, "call_type", top=5)
    assert frame["count"].head(5).tolist() == expected.head(5).tolist()
    assert frame.iloc[5]["value"] == f"all {len(expected) - 5} others"
    assert frame.iloc[5]["count"] == expected.iloc[5:].sum()
    assert frame["share"].sum() == pytest.approx(1.0)


def first_group(call_type: str, groups: dict[str, tuple[str, ...]]) -> str | None:
    return next((g for g, words in groups.items() if any(w.lower() in call_type.lower() for w in words)), None)


def test_unarmed_groups_count_calls_from_the_public_only(standardized):
    ds = standardized("milwaukee_calls_for_service").dataset()
    source = read_raw("milwaukee_calls_for_service")
    mapping = PRESETS["milwaukee_calls_for_service"]["source"]["mapping"]
    officer_codes = {code.lower() for code in mapping["officer_initiated"]["equals"]}
    public = source.loc[~source["nature"].str.lower().isin(officer_codes), "nature"]
    for groups in (calls.UNARMED_RESPONSE, {"Checks": ("check",), "Noise": ("noise", "loud music")}):
        summary, caught = calls.unarmed_response(ds, calls.from_the_public(ds), groups=groups)
        matched = public.map(lambda t, g=groups: first_group(t, g))
        expected = matched.value_counts().reindex(list(groups), fill_value=0).tolist()
        assert summary["count"].tolist() == [*expected, int(matched.notna().sum())]
        assert summary.attrs["total"] == len(public)
        assert summary["share"].tolist() == pytest.approx([n / len(public) for n in summary["count"]])
        assert caught.groupby("type")["count"].sum().to_dict() == public[matched.notna()].value_counts().to_dict()
    # "BUSINESS CHECK" holds "check" but officers start it: it is not a call from the public.
    assert "BUSINESS CHECK" in set(source["nature"])
    assert "BUSINESS CHECK" not in set(caught["type"])
    sf = standardized("sf_fire_calls_for_service").dataset()
    assert calls.call_counts(sf)["fire_and_ems"] > 0
    assert calls.unarmed_response(sf, calls.from_the_public(sf))[0].attrs["total"] == 0  # no police calls at all


def test_a_call_whose_units_disagree_takes_the_first_unit_that_records_a_value(standardized, tmp_path):
    """The real calls, with the units of each multi-unit call made to disagree: the first unit records no
    priority and the others a different call type. Each call must take, column by column, the first value
    recorded in the file's order, the same on every run."""
    real = standardized("sf_fire_calls_for_service").dataset()
    rows = real.query("SELECT * FROM everything")
    unit = rows.groupby("call_id").cumcount()
    several = rows["call_id"].map(rows["call_id"].value_counts()).gt(1)
    rows.loc[several & (unit == 0), "priority"] = None
    rows.loc[several & (unit > 0), "call_type"] = "Another type"
    rows.to_parquet(tmp_path / "disagree.parquet", index=False)
    ds = Dataset(tmp_path / "disagree.parquet", real.start, real.end)
    calls.prepare(ds)
    columns = ["call_type", "priority"]
    units = ds.query(f"SELECT call_id, {', '.join(columns)} FROM data WHERE call_id IS NOT NULL")
    first = units.groupby("call_id")[columns].first()  # first value recorded, in the file's order
    found = ds.query(f"SELECT call_id, {', '.join(columns)} FROM calls WHERE call_id IS NOT NULL")
    assert several.sum() > 0
    assert (first["call_type"] != "Another type").all()
    pd.testing.assert_frame_equal(found.set_index("call_id").loc[first.index], first, check_dtype=False)
