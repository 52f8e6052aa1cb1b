"""911 calls for service: when calls come, what they are about, how long help takes, and which calls
might go to responders other than armed police.

Everything is counted per call. Publishers that list one row per responding unit (fire and EMS data
often does) give several rows to one call: rows sharing a call_id are one call, timed from its first
dispatch and its first arrival. Rows without a call_id are calls of their own.

The volume and call-type helpers take the name of a relation (a view or a subquery) so that the
non-emergency report can count requests with the same code.
"""

from __future__ import annotations

import pandas as pd

from ..sql import ROW, first_recorded, numbered, one_row, quote_text
from . import Dataset

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
AREA_COLUMNS = ("precinct", "district", "neighborhood", "beat")  # the first one with values is used
TOP = 15  # values listed before the rest are summed into "all N others"

# Call types that may not need an armed police response, by the words in their names (case does not
# matter; the first group whose words match wins). Call-type names differ from city to city: edit
# the words here to fit yours, and the report lists every type each group caught so anyone can check.
UNARMED_RESPONSE: dict[str, tuple[str, ...]] = {
    "Welfare and wellness checks": ("welfare", "wellness", "check on"),
    "Mental health and crisis": ("mental", "crisis", "suicid", "emotionally disturbed"),
    "Noise": ("noise", "loud music", "loud party"),
    "Parking and abandoned vehicles": ("parking", "parked", "blocked driveway", "abandoned vehicle", "aband veh"),
    "Homelessness": ("homeless", "encampment"),
    "Animals": ("animal",),
    "Sick or injured person": ("sick", "inj person", "injured person"),
    "Lockouts and lost property": ("lockout", "locked out", "lost property"),
}

# Stages of a response, and how each is measured: from the timestamps when the data has them, else
# from the minutes the publisher computed.
STAGES = {
    "to_dispatch": "call received to first unit dispatched",
    "travel": "first unit dispatched to first unit on scene",
    "response": "call received to first unit on scene",
}


def prepare(ds: Dataset) -> None:
    """Create the views `calls` (one row per call) and `timed` (calls with their stage times, in
    minutes) on the dataset's connection. The functions that read them call it first; a view costs nothing."""
    # Intake published on its own: the wait for dispatch is intake plus dispatch.
    published_dispatch = (
        "intake_minutes + dispatch_minutes" if ds.has_values("intake_minutes") else "dispatch_minutes"
    )
    # A call's type, priority or place: its first unit row's that records one (units can disagree).
    first = ", ".join(
        first_recorded(column)
        for column in ("call_type", "call_type_group", "priority", "disposition", "agency", "precinct",
                       "district", "neighborhood", "beat")
    )  # fmt: skip
    ds.con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW calls AS
        SELECT source, {first_recorded("call_id")}, count(*) AS units,
               min(date) AS date, min(time) AS time, {first},
               bool_or(officer_initiated) AS officer_initiated,
               min(received_at) AS received_at, min(dispatched_at) AS dispatched_at,
               min(arrived_at) AS arrived_at,
               min(intake_minutes) AS intake_minutes, min(dispatch_minutes) AS dispatch_minutes,
               min(travel_minutes) AS travel_minutes, min(response_minutes) AS response_minutes
        FROM (SELECT *, coalesce(call_id, '#' || CAST({ROW} AS VARCHAR)) AS call_key FROM {numbered("data")})
        GROUP BY source, call_key
        """
    )
    ds.con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW timed AS
        SELECT *,
               coalesce(date_diff('second', received_at, dispatched_at) / 60.0, {published_dispatch})
                   AS to_dispatch,
               coalesce(date_diff('second', dispatched_at, arrived_at) / 60.0, travel_minutes) AS travel,
               coalesce(date_diff('second', received_at, arrived_at) / 60.0, response_minutes) AS response
        FROM calls
        """
    )


def call_counts(ds: Dataset) -> dict[str, int]:
    """Rows as published, calls (unit rows merged), calls started by officers, and calls answered by fire
    and EMS units."""
    prepare(ds)
    rows, calls, officer, fire = one_row(
        ds.con,
        "SELECT (SELECT count(*) FROM data), count(*), count(*) FILTER (WHERE officer_initiated), "
        "count(*) FILTER (WHERE agency = 'fire and ems') FROM calls"
    )
    return {"rows": rows, "calls": calls, "officer_initiated": officer, "fire_and_ems": fire}


def _ready(ds: Dataset, relation: str) -> str:
    """The relation, with the calls views made first when it is one of them."""
    if relation in ("calls", "timed"):
        prepare(ds)
    return relation


def by_hour(ds: Dataset, relation: str = "calls") -> pd.DataFrame:
    """Count per hour of the day (0-23, hours without any included), over rows with a time."""
    relation = _ready(ds, relation)
    return ds.query(
        f"SELECT h AS hour, count(r.time) AS count FROM range(24) AS hours(h) "
        f"LEFT JOIN {relation} AS r ON hour(r.time) = h GROUP BY h ORDER BY h"
    )


def by_weekday(ds: Dataset, relation: str = "calls") -> pd.DataFrame:
    """Count per weekday, with the number of such days that have any row and the average per day: a
    period can hold more Mondays than Sundays. Counting days with data, rather than every day between
    the first and last date, keeps a few mistyped dates years away from inflating the day count."""
    relation = _ready(ds, relation)
    frame = ds.query(
        f"""
        SELECT d AS day, count(r.date) AS count, count(DISTINCT r.date) AS days
        FROM range(1, 8) AS days(d) LEFT JOIN {relation} AS r ON isodow(r.date) = d
        GROUP BY d ORDER BY d
        """
    )
    if not frame["count"].sum():
        return pd.DataFrame(columns=["weekday", "count", "days", "per_day"])
    frame.insert(0, "weekday", list(WEEKDAYS))
    frame["per_day"] = frame["count"] / frame["days"].where(frame["days"] > 0)
    return frame[["weekday", "count", "days", "per_day"]]


def by_month(ds: Dataset, relation: str = "calls") -> pd.DataFrame:
    """Count per calendar month from the first to the last date (months without rows included), with
    the days of each month that have any row and the average per day: partial months compare fairly."""
    relation = _ready(ds, relation)
    frame = ds.query(
        f"""
        SELECT strftime(date, '%Y-%m') AS month, count(*) AS count, count(DISTINCT date) AS days
        FROM {relation} WHERE date IS NOT NULL GROUP BY 1
        """
    )
    if frame.empty:
        return pd.DataFrame(columns=["month", "count", "days", "per_day"])
    months = pd.period_range(frame["month"].min(), frame["month"].max(), freq="M").strftime("%Y-%m")
    frame = frame.set_index("month").reindex(months, fill_value=0).rename_axis("month").reset_index()
    frame["per_day"] = frame["count"] / frame["days"].where(frame["days"] > 0)
    return frame


def top_values(ds: Dataset, column: str, relation: str = "calls", top: int = TOP) -> pd.DataFrame:
    """The most common values of a column with their count and share; the rest summed into one row,
    and missing values in a row of their own."""
    relation = _ready(ds, relation)
    frame = ds.query(
        f"SELECT coalesce(CAST(\"{column}\" AS VARCHAR), 'not recorded') AS value, count(*) AS count "
        f"FROM {relation} GROUP BY 1 ORDER BY count DESC, value"
    )
    missing = frame[frame["value"] == "not recorded"]
    known = frame[frame["value"] != "not recorded"]
    shown = known.head(top)
    rest = known.iloc[top:]
    if len(rest):
        other = pd.DataFrame({"value": [f"all {len(rest)} others"], "count": [int(rest["count"].sum())]})
        shown = pd.concat([shown, other], ignore_index=True)
    shown = pd.concat([shown, missing], ignore_index=True)
    shown["share"] = shown["count"] / frame["count"].sum() if len(frame) else 0.0
    return shown.reset_index(drop=True)


def _group_case(groups: dict[str, tuple[str, ...]], column: str) -> str:
    """SQL naming the first group whose words appear in the column, else NULL."""
    cases = " ".join(
        f"WHEN {' OR '.join(f'contains(lower({column}), {quote_text(word.lower())})' for word in words)} "
        f"THEN {quote_text(group)}"
        for group, words in groups.items()
    )
    return f"CASE {cases} END"


def from_the_public(ds: Dataset) -> str:
    """The calls the unarmed-response question is about: police calls not started by an officer."""
    prepare(ds)
    return (
        "(SELECT * FROM calls WHERE NOT coalesce(officer_initiated, FALSE) AND agency IS DISTINCT FROM 'fire and ems')"
    )


def unarmed_response(
    ds: Dataset,
    relation: str,
    type_column: str = "call_type",
    groups: dict[str, tuple[str, ...]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Among the rows of `relation` with a known type: how many fall in each group of types that may
    not need an armed response (group, count, share), and which types each group caught."""
    groups = UNARMED_RESPONSE if groups is None else groups
    case = _group_case(groups, type_column)
    typed = ds.query(
        f"SELECT {type_column} AS type, {case} AS grp, count(*) AS count FROM {relation} "
        f"WHERE {type_column} IS NOT NULL GROUP BY 1, 2 ORDER BY count DESC, type"
    )
    total = int(typed["count"].sum())
    matched = typed[typed["grp"].notna()]
    summary = pd.DataFrame({"group": list(groups)})
    summary["count"] = summary["group"].map(matched.groupby("grp")["count"].sum()).fillna(0).astype(int)
    summary = pd.concat(
        [summary, pd.DataFrame({"group": ["All groups together"], "count": [int(matched["count"].sum())]})],
        ignore_index=True,
    )
    summary["share"] = summary["count"] / total if total else float("nan")
    summary.attrs["total"] = total
    caught = matched.rename(columns={"grp": "group"})[["group", "type", "count"]].reset_index(drop=True)
    return summary, caught


def area_column(ds: Dataset) -> str | None:
    """The first kind of area the data records: precinct, district, neighborhood or beat."""
    return next((c for c in AREA_COLUMNS if c in ds.columns and ds.has_values(c)), None)


def timing_exclusions(ds: Dataset) -> dict[str, int]:
    """Calls left out of the response times, and why."""
    prepare(ds)
    officer, no_wait, out_of_order = one_row(
        ds.con,
        "SELECT count(*) FILTER (WHERE officer_initiated), "
        "count(*) FILTER (WHERE response = 0 AND NOT coalesce(officer_initiated, FALSE)), "
        "count(*) FILTER (WHERE to_dispatch < 0 OR travel < 0 OR response < 0) FROM timed"
    )
    return {"officer_initiated": officer, "no_wait": no_wait, "out_of_order": out_of_order}


# Calls whose times describe a wait for help: not started by an officer, not a zero-minute response.
# A negative stage time (timestamps out of order) is left out of that stage.
_WAITED = "NOT coalesce(officer_initiated, FALSE) AND coalesce(response, 1) <> 0"


def response_summary(ds: Dataset) -> pd.DataFrame:
    """For each stage measured anywhere in the data: calls timed, median and 90th percentile minutes."""
    prepare(ds)
    records = []
    for stage, label in STAGES.items():
        n, median, p90 = one_row(
            ds.con,
            f"SELECT count({stage}), quantile_cont({stage}, 0.5), quantile_cont({stage}, 0.9) "
            f"FROM timed WHERE {_WAITED} AND {stage} >= 0"
        )
        if n:
            records.append({"stage": label, "calls": n, "median": median, "p90": p90})
    return pd.DataFrame(records, columns=["stage", "calls", "median", "p90"])


def main_stage(ds: Dataset) -> str | None:
    """The stage to compare across areas and priorities: the full response when measured, else the
    wait for dispatch."""
    prepare(ds)
    for stage in ("response", "to_dispatch"):
        if ds.scalar(f"SELECT count({stage}) FROM timed WHERE {_WAITED} AND {stage} >= 0"):
            return stage
    return None


def response_by(ds: Dataset, column: str, stage: str = "response") -> pd.DataFrame:
    """Per value of `column`: calls, calls timed for the stage, median and 90th percentile minutes."""
    prepare(ds)
    return ds.query(
        f"""
        SELECT coalesce(CAST("{column}" AS VARCHAR), 'not recorded') AS "group", count(*) AS calls,
               count({stage}) FILTER (WHERE {_WAITED} AND {stage} >= 0) AS timed,
               quantile_cont({stage}, 0.5) FILTER (WHERE {_WAITED} AND {stage} >= 0) AS median,
               quantile_cont({stage}, 0.9) FILTER (WHERE {_WAITED} AND {stage} >= 0) AS p90
        FROM timed GROUP BY 1 ORDER BY calls DESC, "group"
        """
    )
