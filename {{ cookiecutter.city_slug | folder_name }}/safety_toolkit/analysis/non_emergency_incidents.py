"""Non-emergency requests (311) and police incident reports: when they come in, what they are about,
which go to the police, and how long requests take to close.

Counting by hour, weekday, month, type and area is shared with the 911 report (analysis/emergency_911.py:
by_hour, by_weekday, by_month, top_values, area_column), as is the editable list of request types that
may not need an armed police response.
"""

from __future__ import annotations

import pandas as pd

from ..sql import one_row
from . import Dataset
from .emergency_911 import unarmed_response

# Routing and closing are questions about service requests: police incident reports, which a city may list
# in the same topic, are left out of them.
REQUESTS = "(SELECT * FROM data WHERE record_type IS DISTINCT FROM 'incident report')"
POLICE_REQUESTS = f"(SELECT * FROM {REQUESTS} WHERE routed_to_police)"


def record_kinds(ds: Dataset) -> dict[str, int]:
    """How many rows are 311-style service requests, police incident reports, or not said."""
    frame = ds.query("SELECT coalesce(record_type, 'unknown') AS kind, count(*) AS n FROM data GROUP BY 1")
    counts = dict(zip(frame["kind"], frame["n"], strict=True))
    return {kind: int(counts.get(kind, 0)) for kind in ("service request", "incident report", "unknown")}


def police_share(ds: Dataset) -> dict[str, int]:
    """Service requests in all, those routed to the police, and those that do not say."""
    total, police, unknown = one_row(
        ds.con,
        "SELECT count(*), count(*) FILTER (WHERE routed_to_police), count(*) FILTER (WHERE routed_to_police IS NULL) "
        f"FROM {REQUESTS}"
    )
    return {"total": total, "police": police, "not_recorded": unknown}


def police_types(ds: Dataset) -> pd.DataFrame:
    """Request types that were routed to the police at least once: requests of that type, how many went
    to the police, and that share; most police requests first."""
    frame = ds.query(
        "SELECT coalesce(request_type, 'not recorded') AS type, count(*) AS requests, "
        f"count(*) FILTER (WHERE routed_to_police) AS police FROM {REQUESTS} GROUP BY 1 "
        "HAVING count(*) FILTER (WHERE routed_to_police) > 0 ORDER BY police DESC, type"
    )
    frame["share_police"] = frame["police"] / frame["requests"]
    return frame


def unarmed_police_requests(ds: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Service requests routed to the police whose type may not need an armed response."""
    return unarmed_response(ds, POLICE_REQUESTS, "request_type")


def time_to_close(ds: Dataset, column: str = "agency") -> pd.DataFrame:
    """Per value of `column`, over service requests: how many, how many were closed, how many are still
    open (no closing time), and the median and 90th percentile hours from opening to closing over the
    closed ones. A closing time before the opening time cannot be right: it is counted, and left out."""
    return ds.query(
        f"""
        WITH r AS (
            SELECT coalesce(CAST("{column}" AS VARCHAR), 'not recorded') AS "group",
                   date_diff('second', date + coalesce(time, TIME '00:00:00'), closed_at) / 3600.0 AS hours,
                   closed_at
            FROM {REQUESTS} WHERE date IS NOT NULL
        )
        SELECT "group", count(*) AS requests, count(closed_at) AS closed,
               count(*) FILTER (WHERE closed_at IS NULL) AS still_open,
               count(*) FILTER (WHERE hours < 0) AS closed_before_opened,
               quantile_cont(hours, 0.5) FILTER (WHERE hours >= 0) AS median_hours,
               quantile_cont(hours, 0.9) FILTER (WHERE hours >= 0) AS p90_hours
        FROM r GROUP BY 1 ORDER BY requests DESC, "group"
        """
    )
