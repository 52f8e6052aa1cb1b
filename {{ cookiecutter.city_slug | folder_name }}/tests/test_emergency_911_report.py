"""The 911 report end to end on real data of other cities: the command line fetches, standardizes and runs
the notebook through papermill; the numbers in the page equal an independent pandas reading of the raw file."""

from __future__ import annotations

import pandas as pd

from .presets import read_raw
from .report_helpers import run_report

TOPIC = "emergency_911"
TWELVE_HOUR = "%m/%d/%Y %I:%M:%S %p"


def minutes(values: pd.Series) -> tuple[str, str, str]:
    """Calls timed, median and 90th percentile as the page prints them."""
    return f"{len(values):,}", f"{values.quantile(0.5):.1f}", f"{values.quantile(0.9):.1f}"


def test_san_francisco_fire_and_ems_calls(project):
    page = run_report(
        project, TOPIC, "sf_fire_calls_for_service", city="San Francisco", state="CA", timezone="America/Los_Angeles"
    )
    source = read_raw("sf_fire_calls_for_service")
    for column in ("Received DtTm", "Dispatch DtTm", "On Scene DtTm"):
        source[column] = pd.to_datetime(source[column].replace("", None), format=TWELVE_HOUR)
    calls = source.groupby("Call Number").agg(
        type=("Call Type", "first"),
        priority=("Priority", "first"),
        battalion=("Battalion", "first"),
        received=("Received DtTm", "min"),
        dispatched=("Dispatch DtTm", "min"),
        arrived=("On Scene DtTm", "min"),  # the first unit on scene; units that never arrived are skipped
    )
    assert "911 calls for service in San Francisco, CA" in page.text
    assert f"{len(source):,} rows, one per unit sent" in page.text
    assert f"They make {len(calls):,} calls" in page.text
    assert "Neighborhooods" in page.text  # the publisher's notes travel with the data

    types = page.table("calls-by-type")
    expected = calls["type"].value_counts()
    assert dict(zip(types["call type"], types["calls"], strict=True)) == {k: f"{v:,}" for k, v in expected.items()}
    priorities = page.table("calls-by-priority")
    assert dict(zip(priorities["priority"], priorities["calls"], strict=True)) == {
        k: f"{v:,}" for k, v in calls["priority"].value_counts().items()
    }

    response = (calls["arrived"] - calls["received"]).dt.total_seconds() / 60
    to_dispatch = (calls["dispatched"] - calls["received"]).dt.total_seconds() / 60
    waited = response.ne(0)
    stages = page.table("response-times").set_index("stage")
    for stage, values in (
        ("call received to first unit dispatched", to_dispatch[waited].dropna()),
        ("call received to first unit on scene", response[waited].dropna()),
    ):
        assert tuple(stages.loc[stage]) == minutes(values)
    by_area = page.table("response-by-district").set_index("District")
    for battalion, group in response[waited].dropna().groupby(calls["battalion"]):
        assert tuple(by_area.loc[battalion, ["calls timed", "median minutes", "90th percentile minutes"]]) == minutes(
            group
        )
    assert "answered by fire and EMS units" in page.text  # the unarmed-response question does not apply


def test_detroit_intervals_without_any_date_still_get_an_honest_report(project):
    detroit = {"city": "Detroit", "state": "MI", "timezone": "America/Detroit"}
    page = run_report(project, TOPIC, "detroit_911_calls_last30days", **detroit)
    source = read_raw("detroit_911_calls_last30days")
    number = {c: pd.to_numeric(source[c].replace("", None)) for c in source.columns}
    dispatch = number["dispatchtime"].where(number["dispatchtime"] >= 0)
    waited = number["totalresponsetime"].ne(0)
    assert f"{len(source):,} calls, with no dates" in page.text
    problems = page.table("date-problems").set_index("problem")
    assert problems.loc["no date", "rows"] == f"{len(source):,}"
    assert "This data does not record when calls come in" in page.text
    assert "This data does not record what the calls were about" in page.text
    stages = page.table("response-times").set_index("stage")
    assert tuple(stages.loc["call received to first unit dispatched"]) == minutes(
        (number["intaketime"] + dispatch)[waited].dropna()
    )
    assert tuple(stages.loc["call received to first unit on scene"]) == minutes(
        number["totalresponsetime"][waited].dropna()
    )
    assert f"{(number['totalresponsetime'] == 0).sum():,} calls that record no wait at all" in page.text
    unreadable = page.table("unreadable-values").set_index("column")
    assert unreadable.loc["dispatch_minutes", "outside the valid range"] == f"{(number['dispatchtime'] < 0).sum():,}"
