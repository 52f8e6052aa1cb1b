"""Police stops: what the original toolkit's stops notebook computed, and the tests of the literature.

Rates are computed over the stops where the outcome was recorded; the tables say how many that is.
Each group is compared with a reference group (white; female) by a chi-square test on the 2x2 table,
or Fisher's exact test when the table is too small for chi-square.

The statistical tests (outcome test, veil of darkness) run on the stops that pass the eligibility filters of
the Stanford Open Policing Project: vehicular stops, in months with enough stops and enough of them recorded.
Each says why it cannot run, instead of failing, when the data cannot support it.

Beside the functions the report pages call, the functions below `# Methods` give every comparison with its 95%
Wilson interval, its test against the reference group and Holm-adjusted p-values (see compare.py), each with and
without the folds a mapping makes (see folds.py); the veil of darkness with a control for place and in the weeks
around the daylight-saving clock changes; the outcome test on discretionary searches.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
import zoneinfo
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..config import Population
from ..mapping import Fold, spelling
from ..sql import one_row, quote_text
from . import Dataset
from .compare import SIGNIFICANCE, group_row, holm, rate_table
from .folds import group_sql

REFERENCE = {"subject_race": "white", "subject_sex": "female"}
GROUP_TITLES = {"subject_race": "Race", "subject_sex": "Sex", "reason_for_stop": "Reason for stop"}
FLAG_TITLES = {  # column headings
    "search_vehicle": "vehicle searched",
    "frisk_performed": "frisked",
    "search_person": "person searched",
    "search_conducted": "searched",
    "citation_issued": "cited",
    "arrest_made": "arrested",
}
FLAG_CLAUSES = {  # "... stops in which <clause>"
    "search_vehicle": "the vehicle was searched",
    "frisk_performed": "the person was frisked (searched by pat-down)",
    "search_person": "the person was searched",
    "search_conducted": "the person or vehicle was searched",
    "citation_issued": "a citation was issued",
    "arrest_made": "the person was arrested",
}
FLAG_QUESTIONS = {  # "Were X more likely than Y <question>?"
    "search_vehicle": "to have their vehicle searched",
    "frisk_performed": "to be frisked",
    "search_person": "to be searched",
    "search_conducted": "to be searched",
    "citation_issued": "to be given a citation",
    "arrest_made": "to be arrested",
}
PEOPLE = {
    "white": "white people",
    "black": "Black people",
    "hispanic": "Hispanic people",
    "asian/pacific islander": "Asian or Pacific Islander people",
    "other": "people of other races",
    "unknown": "people whose race was not recorded",
    "male": "men",
    "female": "women",
    "non-binary": "non-binary people",
}


def people(value: str, group: str) -> str:
    if value == "unknown" and group == "subject_sex":
        return "people whose sex was not recorded"
    return PEOPLE.get(value, f"people recorded as {value}")


def date_range(ds: Dataset) -> dict[str, object]:
    first, last, undated = one_row(
        ds.con, "SELECT min(date), max(date), count(*) FILTER (WHERE date IS NULL) FROM data"
    )
    return {"first": first, "last": last, "rows": ds.rows, "undated": undated}


def stops_by_hour(ds: Dataset) -> pd.DataFrame:
    """Stops that began in each hour of the day (0-23), hours without stops included."""
    return (
        ds.query(
            "SELECT h AS hour, count(time) AS stops FROM range(24) AS hours(h) "
            "LEFT JOIN data ON hour(data.time) = h GROUP BY h ORDER BY h"
        )
        if ds.has_values("time")
        else pd.DataFrame(columns=["hour", "stops"])
    )


def without_key_fields(ds: Dataset) -> int:
    """Stops that record neither race nor any search: they can enter no comparison of search rates."""
    searches = [
        c for c in ("search_vehicle", "frisk_performed", "search_person", "search_conducted") if c in ds.columns
    ]
    if not searches:
        return 0
    no_search = " AND ".join(f"{c} IS NULL" for c in searches)
    return int(
        ds.scalar(f"SELECT count(*) FROM data WHERE coalesce(subject_race, 'unknown') = 'unknown' AND {no_search}")
    )


def counts(ds: Dataset, column: str) -> pd.DataFrame:
    frame = ds.query(
        f"SELECT coalesce(CAST(\"{column}\" AS VARCHAR), 'not recorded') AS value, count(*) AS stops "
        "FROM data GROUP BY 1 ORDER BY stops DESC, value"
    )
    frame["share"] = frame["stops"] / frame["stops"].sum()
    return frame


def breakdown(ds: Dataset, group: str, column: str) -> pd.DataFrame:
    """Share of each value of `column` within each group (rows add up to 100%)."""
    frame = ds.query(
        f"SELECT coalesce(CAST(\"{group}\" AS VARCHAR), 'not recorded') AS grp, "
        f"coalesce(CAST(\"{column}\" AS VARCHAR), 'not recorded') AS value, count(*) AS stops "
        "FROM data GROUP BY 1, 2"
    )
    table = frame.pivot_table(index="grp", columns="value", values="stops", aggfunc="sum", fill_value=0)
    table.index.name = GROUP_TITLES.get(group, group)
    table.columns.name = None
    totals = table.sum(axis=1)
    shares = table.div(totals, axis=0)
    shares.insert(0, "stops", totals)
    return shares.sort_values("stops", ascending=False)


@dataclass(frozen=True)
class RateComparison:
    """A rate per group, each group compared with the reference group."""

    flag: str
    group: str
    reference: str
    table: pd.DataFrame  # group, stops (recorded), flagged, rate, ratio, likelihood, p_value, test, significant
    not_recorded: int  # stops without a value for the flag, left out of every rate

    def finding(self, value: str) -> tuple[str, str]:
        """The comparison of one group with the reference, as a question and a plain answer."""
        row = group_row(self.table, value)
        ref = group_row(self.table, self.reference)
        who, ref_who = people(value, self.group), people(self.reference, self.group)
        question = f"Were {who} who were stopped more likely than {ref_who} {FLAG_QUESTIONS[self.flag]}?"
        rates = (
            f"{row['rate']:.1%} of stops of {who} ({int(row['flagged']):,} of {int(row['stops']):,}) against "
            f"{ref['rate']:.1%} of stops of {ref_who} ({int(ref['flagged']):,} of {int(ref['stops']):,})"
        )
        if pd.isna(row["p_value"]):
            return question, f"Cannot say: {rates}; there are too few stops to compare."
        p = "p < 0.001" if row["p_value"] < 0.001 else f"p = {row['p_value']:.3f}"
        if not row["significant"]:
            return question, f"Not clearly: {rates}. A gap this size could arise by chance ({row['test']}, {p})."
        direction = "Yes" if row["rate"] > ref["rate"] else "No, less likely"
        ratio = f" ({row['ratio']:.1f} times the rate)" if row["rate"] > ref["rate"] and ref["rate"] > 0 else ""
        return question, (
            f"{direction}: {rates}{ratio}. A gap this large would be unlikely if both groups had the same "
            f"chance of this ({row['test']}, {p}). This describes a difference; it does not show its cause."
        )


def compare_rates(flagged: int, stops: int, ref_flagged: int, ref_stops: int) -> tuple[float, str]:
    """p-value and name of the test comparing a group's rate (flagged of stops) with the reference group's:
    chi-square on the 2x2 table, or Fisher's exact test when an expected count is under 5; NaN when the
    table cannot be tested."""
    table = np.array([[flagged, stops - flagged], [ref_flagged, ref_stops - ref_flagged]])
    if min(stops, ref_stops) == 0 or (flagged + ref_flagged) == 0 or (flagged + ref_flagged) == stops + ref_stops:
        return float("nan"), ""
    expected = stats.contingency.expected_freq(table)
    if expected.min() < 5:
        return float(stats.fisher_exact(table).pvalue), "Fisher's exact test"
    # Yates' continuity correction, as R's chisq.test applies to 2x2 tables.
    return float(stats.chi2_contingency(table, correction=True).pvalue), "chi-square test"


def rate_by_group(ds: Dataset, flag: str, group: str, reference: str | None = None) -> RateComparison:
    reference = reference or REFERENCE[group]
    frame = ds.query(
        f'SELECT coalesce(CAST("{group}" AS VARCHAR), \'unknown\') AS "group", '
        f'count("{flag}") AS stops, count(*) FILTER (WHERE "{flag}") AS flagged, '
        f'count(*) FILTER (WHERE "{flag}" IS NULL) AS not_recorded '
        "FROM data GROUP BY 1 ORDER BY stops DESC"
    )
    not_recorded = int(frame.pop("not_recorded").sum())
    frame = frame[frame["stops"] > 0].reset_index(drop=True)
    frame["rate"] = frame["flagged"] / frame["stops"]
    if reference not in set(frame["group"]):
        raise ValueError(f"no stops of the reference group {reference!r} have {flag} recorded")
    ref = group_row(frame, reference)
    p_values, tests = [], []
    for group_value, flagged, stops in zip(frame["group"], frame["flagged"], frame["stops"], strict=True):
        if group_value in (reference, "unknown"):
            p_values.append(float("nan"))
            tests.append("")
            continue
        p, test = compare_rates(int(flagged), int(stops), int(ref["flagged"]), int(ref["stops"]))
        p_values.append(p)
        tests.append(test)
    frame["ratio"] = frame["rate"] / ref["rate"] if ref["rate"] > 0 else float("nan")
    # Open Data Policing's "likelihood of search": (group rate - reference rate) / reference rate.
    frame["likelihood"] = frame["ratio"] - 1
    frame["p_value"] = p_values
    frame["test"] = tests
    frame["significant"] = frame["p_value"] < SIGNIFICANCE
    return RateComparison(flag, group, reference, frame, not_recorded)


def without_citation(ds: Dataset, group: str) -> pd.DataFrame:
    """Stops that ended without a citation, by group: the stops that led to no ticket at all.

    Reading a high share of stops without a citation as a sign of stops made on weak grounds (investigatory stops
    rather than traffic-safety stops) is the argument of Epp, Maynard-Moody and Haider-Markel, *Pulled Over: How
    Police Stops Define Race and Citizenship* (University of Chicago Press, 2014). A stop can also end without a
    citation for good reasons (a warning, a repair order), so the share describes, it does not prove."""
    frame = ds.query(
        f'SELECT coalesce(CAST("{group}" AS VARCHAR), \'unknown\') AS "group", '
        "count(citation_issued) AS stops, count(*) FILTER (WHERE NOT citation_issued) AS without_citation "
        "FROM data GROUP BY 1 ORDER BY stops DESC"
    )
    frame = frame[frame["stops"] > 0].reset_index(drop=True)
    frame["share"] = frame["without_citation"] / frame["stops"]
    return frame


# Stops per resident ---------------------------------------------------------------------------------------------


def years_covered(ds: Dataset) -> float:
    """The length of the period the data covers, in years of 365.25 days (first to last stop, both days included).
    A whole calendar year gives 0.9993 here; `calendar_years` gives exactly 1."""
    first, last = one_row(ds.con, "SELECT min(date), max(date) FROM data")
    return ((last - first).days + 1) / 365.25 if first else 0.0


def calendar_years(ds: Dataset) -> float:
    """The span the data covers, in calendar years: each year counts the share of its own days (365 or 366) that
    lie between the first and the last stop, both included. All of 2017 is exactly 1.0; 2016-07-01 to 2017-06-30
    is 184/366 + 181/365."""
    first, last = one_row(ds.con, "SELECT min(date), max(date) FROM data")
    if first is None:
        return 0.0
    total = 0.0
    for year in range(first.year, last.year + 1):
        start, end = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
        total += ((end - start).days + 1) / ((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)
    return total


def stop_rates(ds: Dataset, population: Population, years: float | None = None) -> pd.DataFrame:
    """Stops a year per 1,000 residents of each race with a population figure, and each rate against the white
    rate: race, stops, residents, per_1000 (a year), ratio. `years` is the span to divide by: `years_covered` when
    not given; pass `calendar_years(ds)` for the exact span of calendar years."""
    years = years_covered(ds) if years is None else years
    counts = ds.query(
        "SELECT coalesce(subject_race, 'unknown') AS race, count(*) AS stops FROM data GROUP BY 1"
    ).set_index("race")["stops"]
    rows = [
        {"race": race, "stops": int(counts.get(race, 0)), "residents": residents}
        for race, residents in population.by_race.items()
        if residents > 0
    ]
    frame = pd.DataFrame(rows, columns=["race", "stops", "residents"])
    frame["per_1000"] = frame["stops"] / years / frame["residents"] * 1000 if years else float("nan")
    white = frame.loc[frame["race"] == "white", "per_1000"]
    frame["ratio"] = frame["per_1000"] / white.iloc[0] if len(white) and white.iloc[0] > 0 else float("nan")
    return frame


# Eligibility filters --------------------------------------------------------------------------------------------

MIN_MONTH_STOPS = 50
MIN_COVERAGE = 0.5  # a month needs race, searches, contraband (and times) recorded for at least half its stops
MIN_AREA_SEARCHES = 50  # outcome test: searches per race per area
MIN_VEIL_STOPS = 100  # veil of darkness: stops per race
# Past this standard error of the darkness coefficient (log odds) the 95% interval spans odds ratios from below
# 1/10,000 to above 10,000: the stops cannot tell darkness from clock time, and no estimate is shown.
MAX_VEIL_STD_ERROR = 5.0
SEARCH_FLAGS = ("search_conducted", "search_vehicle", "search_person")
AREAS = ("district", "precinct", "beat", "neighborhood")


def search_flag(ds: Dataset) -> str | None:
    """The column that says whether a stop led to a search: any search if recorded, else a vehicle search."""
    return next((flag for flag in SEARCH_FLAGS if ds.has_values(flag)), None)


def area_column(ds: Dataset) -> str | None:
    """The largest subgeography the data records (district, then precinct, beat, neighborhood)."""
    return next((area for area in AREAS if ds.has_values(area)), None)


@dataclass(frozen=True)
class Eligibility:
    """The stops the statistical tests may use, and how many rows each filter removed."""

    steps: pd.DataFrame  # filter, removed, remaining
    condition: str  # SQL condition over `data` selecting the eligible stops

    @property
    def eligible(self) -> int:
        return int(self.steps["remaining"].iloc[-1])


def _monthly_coverage(ds: Dataset, where: str, shares: dict[str, str]) -> pd.DataFrame:
    """Per month: stops, and for each name the average of its SQL expression (1.0 recorded, 0.0 not, NULL when
    it does not apply)."""
    columns = "".join(f', avg({expression}) AS "{name}"' for name, expression in shares.items())
    return ds.query(
        f"SELECT date_trunc('month', date) AS month, count(*) AS stops{columns} FROM data "
        f"WHERE {where} AND date IS NOT NULL GROUP BY 1 ORDER BY 1"
    )


def eligibility(ds: Dataset) -> Eligibility:
    """Open Policing's filters before any disparity test, applied in order: vehicular stops (when the data says
    which stops were of vehicles), dated stops, months with at least 50 stops, months with race and searches
    recorded for at least half their stops and contraband for at least half their searches."""
    pending = []  # (filter, the conditions up to it): every count comes from one scan at the end
    conditions = ["TRUE"]
    if ds.has_values("type"):
        conditions.append("type = 'vehicular'")
        pending.append(("not a vehicular stop", " AND ".join(conditions)))
    conditions.append("date IS NOT NULL")
    pending.append(("no date", " AND ".join(conditions)))
    shares = {"race": "CASE WHEN coalesce(subject_race, 'unknown') <> 'unknown' THEN 1.0 ELSE 0.0 END"}
    flag = search_flag(ds)
    if flag:
        shares["searches"] = f"CASE WHEN {flag} IS NOT NULL THEN 1.0 ELSE 0.0 END"
        if ds.has_values("contraband_found"):
            shares["contraband"] = (
                f"CASE WHEN {flag} THEN (CASE WHEN contraband_found IS NULL THEN 0.0 ELSE 1.0 END) END"
            )
    months = _monthly_coverage(ds, " AND ".join(conditions), shares)
    rules = [(f"month with fewer than {MIN_MONTH_STOPS} stops", months["stops"] < MIN_MONTH_STOPS)]
    for name in shares:
        of = "searches" if name == "contraband" else "stops"
        rules.append((f"month with {name} recorded for under half its {of}", months[name] < MIN_COVERAGE))
    dropped: set[pd.Timestamp] = set()
    for label, failing in rules:
        dropped |= set(months.loc[failing, "month"])
        if dropped:
            listed = ", ".join(f"DATE '{pd.Timestamp(m):%Y-%m-%d}'" for m in sorted(dropped))
            conditions = [c for c in conditions if not c.startswith("date_trunc")]
            conditions.append(f"date_trunc('month', date) NOT IN ({listed})")
        pending.append((label, " AND ".join(conditions)))
    steps = _steps([("all stops", 0, ds.rows)], pending, _counts(ds, "data", [c for _, c in pending]))
    return Eligibility(pd.DataFrame(steps, columns=["filter", "removed", "remaining"]), " AND ".join(conditions))


def _counts(ds: Dataset, relation: str, conditions: list[str], weight: str | None = None) -> list[int]:
    """The rows meeting each condition, all counted in one scan; with `weight`, the rows of a table of counts
    (the sum of that column)."""
    if not conditions:
        return []
    count = f"sum({weight})" if weight else "count(*)"
    found = one_row(
        ds.con, f"SELECT {', '.join(f'coalesce({count} FILTER (WHERE {c}), 0)' for c in conditions)} FROM {relation}"
    )
    return [int(n) for n in found]


def _steps(
    steps: list[tuple[str, int, int]], pending: list[tuple[str, str]], remaining: list[int]
) -> list[tuple[str, int, int]]:
    """The filters with the rows each removed, from the rows remaining after each."""
    steps = list(steps)
    for (label, _), left in zip(pending, remaining, strict=True):
        steps.append((label, steps[-1][2] - left, left))
    return steps


# Outcome (hit-rate) test ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HitRates:
    """Share of searches that found contraband, per race, citywide and per area."""

    problem: str  # why the test cannot run; "" when it can
    area: str | None = None
    citywide: pd.DataFrame | None = None  # race, searches, hits, rate
    by_area: pd.DataFrame | None = None  # area, race, searches, hits, rate (areas with enough searches)
    areas_left_out: int = 0  # areas without enough searches of white people and of any other group


def hit_rates(ds: Dataset, eligible: Eligibility, min_searches: int = MIN_AREA_SEARCHES) -> HitRates:
    flag = search_flag(ds)
    if flag is None:
        return HitRates("This data does not record searches, so the outcome test cannot be run.")
    if not ds.has_values("contraband_found"):
        return HitRates(
            "This data does not record whether searches found contraband, so the outcome test cannot be run."
        )
    area = area_column(ds)
    area_sql = f"CAST({area} AS VARCHAR)" if area else "'citywide'"
    frame = ds.query(
        f"SELECT {area_sql} AS area, coalesce(subject_race, 'unknown') AS race, count(*) AS searches, "
        "count(*) FILTER (WHERE contraband_found) AS hits "
        f"FROM data WHERE {eligible.condition} AND {flag} AND contraband_found IS NOT NULL GROUP BY 1, 2"
    )
    if frame.empty:
        return HitRates("No eligible stop led to a search with its outcome recorded, so the test cannot be run.")
    frame["rate"] = frame["hits"] / frame["searches"]
    citywide = frame.groupby("race", as_index=False)[["searches", "hits"]].sum()
    citywide["rate"] = citywide["hits"] / citywide["searches"]
    enough = frame[frame["searches"] >= min_searches]
    with_white = set(enough.loc[enough["race"] == "white", "area"])
    with_other = set(enough.loc[~enough["race"].isin(["white", "unknown"]), "area"])
    kept = with_white & with_other
    by_area = enough[enough["area"].isin(kept)].sort_values(["area", "race"]).reset_index(drop=True)
    left_out = frame["area"].nunique() - len(kept)
    return HitRates(
        "", area, citywide.sort_values("searches", ascending=False).reset_index(drop=True), by_area, left_out
    )


# Veil of darkness -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Veil:
    """The veil-of-darkness test: is a stopped driver less likely to be Black after dark than in daylight,
    at the same clock time? Run on vehicle stops only; `place` names the column whose fixed effects the model
    includes (None: none), `dst_days` the window around each daylight-saving clock change the stops were kept in
    (None: the whole year)."""

    problem: str  # why the test cannot run; "" when it can
    steps: pd.DataFrame | None = None  # filter, removed, remaining
    black: int = 0
    white: int = 0
    coefficient: float = float("nan")  # of is_dark in the logistic regression (log odds of a Black driver)
    std_error: float = float("nan")
    p_value: float = float("nan")
    ci: tuple[float, float] = (float("nan"), float("nan"))
    window: tuple[float, float] = (float("nan"), float("nan"))  # minutes after midnight: earliest, latest dusk
    robustness: pd.DataFrame | None = None  # df, coefficient, std_error, p_value (spline degrees of freedom 1-6)
    shares: pd.DataFrame | None = None  # clock (start of a 15-minute bin), light, dark (share of Black drivers)
    place: str | None = None
    dst_days: int | None = None
    places: int = 0  # distinct places in the model, when `place` is set

    @property
    def odds_ratio(self) -> float:
        return math.exp(self.coefficient)


def sun_times(dates: list[dt.date], center: tuple[float, float], timezone: str) -> pd.DataFrame:
    """Sunset and dusk (civil twilight: the sun 6 degrees below the horizon) on each date at the centre, as
    minutes after local midnight; missing on days the sun does not set or twilight does not end."""
    from astral import Observer
    from astral.sun import dusk, sunset

    observer, zone = Observer(*center), zoneinfo.ZoneInfo(timezone)
    rows: list[tuple[dt.date, float | None, float | None]] = []
    for day in dates:
        try:
            times = [sunset(observer, day, tzinfo=zone), dusk(observer, day, tzinfo=zone)]
        except ValueError:  # polar day or night
            rows.append((day, None, None))
            continue
        minutes = [t.hour * 60 + t.minute + t.second / 60 for t in times]
        rows.append((day, minutes[0], minutes[1]))
    return pd.DataFrame(rows, columns=["date", "sunset", "dusk"])


def clock_changes(years: range, timezone: str) -> list[dt.date]:
    """The days the clocks change in `timezone` (daylight-saving time starts or ends), in the given years."""
    zone = zoneinfo.ZoneInfo(timezone)
    changes = []
    for year in years:
        day = dt.date(year, 1, 1)
        offset = dt.datetime(year, 1, 1, 12, tzinfo=zone).utcoffset()
        while day.year == year:
            day += dt.timedelta(days=1)
            now = dt.datetime(day.year, day.month, day.day, 12, tzinfo=zone).utcoffset()
            if now != offset:
                changes.append(day)
                offset = now
    return changes


def median_location(ds: Dataset) -> tuple[float, float] | None:
    """The middle (median) of the stops' coordinates: close enough to the city centre for sunset times,
    which move by seconds per kilometre."""
    if not (ds.has_values("lat") and ds.has_values("lng")):
        return None
    lat, lng = one_row(ds.con, "SELECT median(lat), median(lng) FROM data")
    return None if lat is None or lng is None else (float(lat), float(lng))


PLACES = ("district", "precinct")  # the place whose fixed effects the veil-of-darkness model can include
# The daylight-saving comparison of Grogger & Ridgeway (2006): around a clock change, the same evening clock
# time is light on one side of the change and dark on the other. The window, 30 days either side, is the one of
# the Stanford Open Policing Project's robustness check (Pierson et al. 2020).
DST_DAYS = 30


def place_column(ds: Dataset) -> str | None:
    """The district or precinct, whichever the data records first; None when it records neither."""
    return next((area for area in PLACES if ds.has_values(area)), None)


def veil_of_darkness(
    ds: Dataset,
    eligible: Eligibility,
    center: tuple[float, float] | None,
    timezone: str,
    place: str | None = None,
    dst_days: int | None = None,
) -> Veil:
    """The veil-of-darkness test on the eligible vehicle stops of Black and white drivers in the inter-twilight
    window: logistic regression of is_black on is_dark and a natural spline of clock time (6 degrees of freedom;
    1 to 6 in `robustness`), plus fixed effects of `place` when given (Pierson et al. 2020 adjust for location),
    on stops within `dst_days` of a daylight-saving clock change when given (the comparison of Grogger & Ridgeway
    2006)."""
    if center is None:
        return Veil("toolkit.yaml gives no centre point for the city (center: lat, lng), so sunset times are unknown.")
    if not ds.has_values("type"):
        return Veil(
            "This data does not say which stops were of vehicles; the veil-of-darkness test compares drivers, so it "
            "is run only on stops recorded as vehicle stops."
        )
    if not ds.has_values("time"):
        return Veil("This data does not record the time of day of stops, so the veil-of-darkness test cannot be run.")
    if not eligible.eligible:
        return Veil("No stop passes the eligibility filters above, so the veil-of-darkness test cannot be run.")
    if place is not None and not ds.has_values(place):
        return Veil(f"This data does not record the {place}, so the test cannot control for it.")
    steps, stops, window = _veil_sample(ds, eligible, center, timezone, place, dst_days)
    if stops is None:
        return Veil("No eligible stop has a time on a day with a sunset.", steps, place=place, dst_days=dst_days)
    black, white = int(stops["black"].sum()), int(stops["white"].sum())

    def not_run(problem: str) -> Veil:
        return Veil(problem, steps, black, white, window=window, place=place, dst_days=dst_days)

    if min(black, white) < MIN_VEIL_STOPS or stops["is_dark"].nunique() < 2:
        return not_run(
            f"Too few stops are left to run the test: it needs at least {MIN_VEIL_STOPS} stops of Black drivers and "
            f"of white drivers, in daylight and after dark, in the twilight window ({black:,} and {white:,} here)."
        )
    fits = {df: _fit_veil(stops, df, place is not None) for df in range(1, 7)}
    main = fits[6]
    spread = max(fit.bse["is_dark"] for fit in fits.values())
    if not spread < MAX_VEIL_STD_ERROR:  # also when not a number
        return not_run(
            "The model cannot tell darkness from clock time in these stops (the standard error of its estimate is "
            f"{spread:.3g}), usually because too few stops fall on both sides of dusk at the same clock times; no "
            "estimate is shown."
        )
    robustness = pd.DataFrame(
        [(df, fit.params["is_dark"], fit.bse["is_dark"], fit.pvalues["is_dark"]) for df, fit in fits.items()],
        columns=["df", "coefficient", "std_error", "p_value"],
    )
    low, high = main.conf_int().loc["is_dark"]
    return Veil(
        "",
        steps,
        black,
        white,
        float(main.params["is_dark"]),
        float(main.bse["is_dark"]),
        float(main.pvalues["is_dark"]),
        (float(low), float(high)),
        window,
        robustness,
        _shares(stops),
        place,
        dst_days,
        int(stops["place"].nunique()) if place is not None else 0,
    )


def veil_variants(
    ds: Dataset, eligible: Eligibility, center: tuple[float, float] | None, timezone: str
) -> pd.DataFrame:
    """The veil-of-darkness test four ways: the whole year without and with fixed effects of place (district or
    precinct, when recorded), and the stops within 30 days of a clock change without and with them. One row each:
    variant, place, dst_days, stops, black, white, places, coefficient, std_error, p_value, low, high (95% interval
    of the coefficient), odds_ratio, spline_range (smallest and largest coefficient over spline degrees 1-6, as
    text), problem ("" when it ran)."""
    place = place_column(ds)
    variants: list[tuple[str, str | None, int | None]] = [
        ("whole year", None, None),
        ("whole year, place controlled", place, None),
    ]
    variants += [(f"within {DST_DAYS} days of a clock change", None, DST_DAYS)]
    variants += [(f"within {DST_DAYS} days of a clock change, place controlled", place, DST_DAYS)]
    rows: list[dict[str, Any]] = []
    for name, where, days in variants:
        if "place" in name and where is None:
            rows.append({"variant": name, "problem": "The data records no district or precinct."})
            continue
        result = veil_of_darkness(ds, eligible, center, timezone, where, days)
        spread = (
            f"{result.robustness['coefficient'].min():.3f} to {result.robustness['coefficient'].max():.3f}"
            if result.robustness is not None
            else ""
        )
        rows.append(
            {
                "variant": name,
                "place": where,
                "dst_days": days,
                "stops": result.black + result.white,
                "black": result.black,
                "white": result.white,
                "places": result.places,
                "coefficient": result.coefficient,
                "std_error": result.std_error,
                "p_value": result.p_value,
                "low": result.ci[0],
                "high": result.ci[1],
                "odds_ratio": result.odds_ratio,
                "spline_range": spread,
                "problem": result.problem,
            }
        )
    return pd.DataFrame(rows)


def _veil_counts(ds: Dataset, eligible: Eligibility) -> str:
    """The eligible stops counted by date, time of day, race and place (district, precinct): every figure of the
    veil-of-darkness test, in each of its variants, comes from this table (column n counts the stops), so the
    data is scanned once however often the test runs."""
    places = "".join(f", {place}" for place in PLACES if place in ds.columns)
    return ds.table(
        "veil_counts",
        f"SELECT date, time, subject_race{places}, count(*) AS n FROM data WHERE {eligible.condition} GROUP BY ALL",
    )


def _veil_sample(
    ds: Dataset,
    eligible: Eligibility,
    center: tuple[float, float],
    timezone: str,
    place: str | None = None,
    dst_days: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame | None, tuple[float, float]]:
    """The filters of the test with the rows each removes; the stops kept, counted by clock time, darkness and place
    (minute, is_dark, place, black, white: one row per distinct combination, so the frame stays small however many
    stops there are), or None when no stop has a time on a day with a dusk; the window (earliest and latest dusk,
    minutes)."""
    counts = _veil_counts(ds, eligible)
    dates = pd.to_datetime(ds.query(f"SELECT DISTINCT date FROM {counts}")["date"])
    sun = sun_times(dates.dt.date.tolist(), center, timezone)
    if dst_days is not None and len(sun):
        changes = clock_changes(range(min(sun["date"]).year - 1, max(sun["date"]).year + 2), timezone)
        sun["near_change"] = [min(abs((day - c).days) for c in changes) <= dst_days if changes else False
                              for day in sun["date"]]  # fmt: skip
    else:
        sun["near_change"] = True
    ds.con.register("sun", sun)
    ds.con.execute(
        "CREATE OR REPLACE TEMP VIEW stops_sun AS SELECT c.*, sun.sunset, sun.dusk, sun.near_change, "
        f"hour(time) * 60 + minute(time) + second(time) / 60 AS minute_of_day FROM {counts} AS c LEFT JOIN sun "
        "USING (date)"
    )
    conditions = ["TRUE"]  # the counts hold only eligible stops
    steps = [("eligible stops (see the filters above)", 0, eligible.eligible)]
    pending: list[tuple[str, str]] = []  # filters whose counts are still to be made, in one scan

    def step(label: str, condition: str) -> None:
        conditions.append(condition)
        pending.append((label, " AND ".join(conditions)))

    step("not a Black or white driver", "subject_race IN ('black', 'white')")
    step("no time recorded", "time IS NOT NULL")
    months = ds.query(
        "SELECT date_trunc('month', date) AS month FROM stops_sun GROUP BY 1 "
        f"HAVING sum(CASE WHEN time IS NULL THEN 0 ELSE n END) / sum(n) < {MIN_COVERAGE}"
    )["month"]
    listed = ", ".join(f"DATE '{pd.Timestamp(m):%Y-%m-%d}'" for m in months)
    step(
        "month with times recorded for under half its stops",
        f"date_trunc('month', date) NOT IN ({listed})" if listed else "TRUE",
    )
    if dst_days is not None:
        step(f"more than {dst_days} days from a daylight-saving clock change", "near_change")
    if place is not None:
        step(f"no {place} recorded", f"{place} IS NOT NULL")
    step("no sunset that day", "dusk IS NOT NULL")
    where = " AND ".join(conditions)
    low, high = one_row(ds.con, f"SELECT min(dusk) FILTER (WHERE {where}), max(dusk) FILTER (WHERE {where}) "
                                "FROM stops_sun")  # fmt: skip
    steps, pending = _steps(steps, pending, _counts(ds, "stops_sun", [c for _, c in pending], weight="n")), []
    if low is None:
        return pd.DataFrame(steps, columns=["filter", "removed", "remaining"]), None, (float("nan"), float("nan"))
    # The inter-twilight window: clock times that are light on some days and dark on others.
    step("outside the inter-twilight window", f"minute_of_day BETWEEN {low} AND {high}")
    step("between sunset and dusk (neither light nor dark)", "NOT (minute_of_day > sunset AND minute_of_day <= dusk)")
    steps = _steps(steps, pending, _counts(ds, "stops_sun", [c for _, c in pending], weight="n"))
    place_sql = f"CAST({place} AS VARCHAR)" if place else "''"
    stops = ds.query(
        f"SELECT minute_of_day AS minute, CAST(minute_of_day > dusk AS INTEGER) AS is_dark, {place_sql} AS place, "
        "CAST(coalesce(sum(n) FILTER (WHERE subject_race = 'black'), 0) AS BIGINT) AS black, "
        "CAST(coalesce(sum(n) FILTER (WHERE subject_race = 'white'), 0) AS BIGINT) AS white "
        f"FROM stops_sun WHERE {' AND '.join(conditions)} GROUP BY ALL ORDER BY ALL"
    )
    return pd.DataFrame(steps, columns=["filter", "removed", "remaining"]), stops, (low, high)


def _fit_veil(stops: pd.DataFrame, df: int, by_place: bool = False):  # type: ignore[no-untyped-def]
    """Logistic regression is_black ~ is_dark + a natural spline of clock time with `df` degrees of freedom
    (df 1 is a straight line), + fixed effects of place when `by_place`.

    Fitted as a binomial model on the counts of Black and white drivers per (minute, is_dark, place): the likelihood
    is the one of the logistic regression on the stops one by one, so the darkness coefficient, its standard error
    and p-value are the same, while the model sees thousands of rows instead of millions. The spline's knots are the
    same too: they are quantiles of the distinct clock times, which the counts keep."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning, SingularMatrixWarning

    time_term = "minute" if df == 1 else f"cr(minute, df={df}, constraints='center')"
    place_term = " + C(place)" if by_place else ""
    formula = f"black + white ~ is_dark + {time_term}{place_term}"
    with warnings.catch_warnings():
        # A place whose stops are all of one group separates perfectly without harming the darkness estimate; when
        # darkness itself is not identified (the fit's arithmetic then divides by zero on the way), its standard
        # error says so (MAX_VEIL_STD_ERROR).
        for noise in (PerfectSeparationWarning, SingularMatrixWarning, RuntimeWarning):
            warnings.simplefilter("ignore", noise)
        # IRLS run to a tight tolerance: its default stops while the standard error still moves in the 7th digit.
        return smf.glm(formula, data=stops, family=sm.families.Binomial()).fit(tol=1e-12)


def _shares(stops: pd.DataFrame, minutes: int = 15) -> pd.DataFrame:
    """The share of Black drivers among stops in daylight and after dark, per bin of clock time."""
    binned = stops.assign(clock=(stops["minute"] // minutes * minutes).astype(int))
    sums = binned.groupby(["clock", "is_dark"])[["black", "white"]].sum()
    table = (sums["black"] / (sums["black"] + sums["white"])).unstack("is_dark")
    table = table.rename(columns={0: "light", 1: "dark"}).reindex(columns=["light", "dark"])
    return table.reset_index()


# Methods: intervals, adjusted tests, folds, purposes, outcomes ----------------------------------------------------

OUTCOMES = ("arrest_made", "citation_issued", "warning_issued")
# Searches an officer chooses to make. "other" holds searches incident to arrest, inventories and warrants, which
# follow from an arrest or a rule rather than from the officer's judgement of the person; the Stanford Open Policing
# Project runs the outcome test on discretionary searches only.
DISCRETIONARY_BASES = ("consent", "probable cause", "plain view", "k9")
INFRA_MARGINALITY = (
    "A lower hit rate for a group suggests officers searched its members on less evidence, but it does not prove it: "
    "if the groups differ in how likely the people searched were to carry contraband, hit rates can differ even "
    "when officers apply the same bar to everyone (the problem of infra-marginality)."
)


def rates(
    ds: Dataset,
    flag: str,
    group: str = "subject_race",
    reference: str | None = None,
    unfold: list[Fold] | tuple[Fold, ...] = (),
    condition: str = "TRUE",
) -> pd.DataFrame:
    """The share of stops with `flag` true per group, over the stops where it is recorded (and `condition` holds):
    group, recorded, flagged, rate, low, high (95% Wilson interval), ratio and likelihood (against the reference
    group: white; female), p_value and test, p_holm (Holm-adjusted within the table), significant, small (a count
    under 10). With `unfold` (folds from folds.folds, on data from folds.with_labels), the folded labels are groups
    of their own."""
    reference = reference or REFERENCE.get(group)
    counts = ds.query(
        f'SELECT {group_sql(group, unfold)} AS "group", count("{flag}") AS recorded, '
        f'count(*) FILTER (WHERE "{flag}") AS flagged FROM data WHERE {condition} GROUP BY 1'
    )
    return rate_table(_by_recorded(counts), reference)


def _by_recorded(counts: pd.DataFrame) -> pd.DataFrame:
    """Groups in the order `rates` gives them: the most recorded first (ties by name)."""
    ordered = counts.sort_values(["recorded", "group"], ascending=[False, True], kind="stable")
    return ordered.reset_index(drop=True)


@dataclass(frozen=True)
class FoldEffect:
    """One rate table computed with the mapping's folds and without them, and how the ratios move."""

    flag: str
    folds: tuple[Fold, ...]
    folded: pd.DataFrame  # rates(...) with the mapping as it is
    unfolded: pd.DataFrame  # rates(...) with each folded label as its own group
    ratios: pd.DataFrame  # group (the fold's value), with_fold, without_fold: its ratio to the reference group

    @property
    def note(self) -> str:
        """The sentence to print beside any table the fold affects."""
        return " ".join(fold.describe() for fold in self.folds)


def fold_effect(labelled: Dataset, flag: str, folds: list[Fold], group: str = "subject_race") -> FoldEffect:
    """`rates` with and without the folds, on data carrying the publisher's labels (folds.with_labels)."""
    return _fold_effects(labelled, (flag,), folds, group)[flag]


def _fold_effects(
    labelled: Dataset, flags: tuple[str, ...], folds: list[Fold], group: str = "subject_race"
) -> dict[str, FoldEffect]:
    """`fold_effect` for several flags from one pass over the labelled data: the counts per group as mapped and per
    group with the folds undone, every flag side by side."""
    columns = ", ".join(
        f'count("{flag}") AS "recorded {flag}", count(*) FILTER (WHERE "{flag}") AS "flagged {flag}"' for flag in flags
    )
    counts = labelled.query(
        f'SELECT {group_sql(group)} AS folded, {group_sql(group, folds)} AS unfolded, {columns} FROM data GROUP BY 1, 2'
    )
    reference = REFERENCE.get(group)
    effects = {}
    for flag in flags:
        tables = []
        for side in ("folded", "unfolded"):
            sums = counts.groupby(side, as_index=False)[[f"recorded {flag}", f"flagged {flag}"]].sum()
            sums.columns = ["group", "recorded", "flagged"]
            tables.append(rate_table(_by_recorded(sums), reference))
        folded, unfolded = tables
        rows = []
        for value in dict.fromkeys(f.value for f in folds if f.column == group):
            with_fold = folded.set_index("group")["ratio"].get(value, float("nan"))
            without = unfolded.set_index("group")["ratio"].get(value, float("nan"))
            rows.append({"group": value, "with_fold": with_fold, "without_fold": without})
        effects[flag] = FoldEffect(flag, tuple(folds), folded, unfolded, pd.DataFrame(rows))
    return effects


def fold_ratios(labelled: Dataset, folds: list[Fold], flags: tuple[str, ...] | None = None) -> pd.DataFrame:
    """For every recorded search flag (or `flags`), each folded value's ratio to the reference group with the fold
    and without it, and the ratio of each label the fold hides: flag, group, with_fold, without_fold, and one row per
    folded label (group = the label in lower case, with_fold empty). The comparison a report shows beside the fold."""
    if flags is None:
        flags = tuple(f for f in (*SEARCH_FLAGS, "frisk_performed") if labelled.has_values(f))
    effects = _fold_effects(labelled, flags, folds) if flags else {}
    rows = []
    for flag in flags:
        effect = effects[flag]
        rows += [{"flag": flag, **row} for row in effect.ratios.to_dict("records")]
        unfolded = effect.unfolded.set_index("group")["ratio"]
        for fold in folds:
            for label in fold.folded:
                name = spelling(label)
                hidden: dict[Hashable, Any] = {
                    "flag": flag,
                    "group": name,
                    "with_fold": float("nan"),
                    "without_fold": unfolded.get(name),
                }
                rows.append(hidden)
    return pd.DataFrame(rows, columns=["flag", "group", "with_fold", "without_fold"])


def search_by_purpose(
    ds: Dataset,
    flag: str | None = None,
    group: str = "subject_race",
    purpose: str = "reason_for_stop",
    unfold: list[Fold] | tuple[Fold, ...] = (),
    top: int = 8,
) -> pd.DataFrame:
    """Open Data Policing's likelihood of search within each purpose of stop (the `top` most common), not pooled
    over purposes: purpose, then the columns of `rates`; p_holm is adjusted over every comparison in the table.
    `flag` defaults to the search the data records (search_flag)."""
    flag = flag or search_flag(ds)
    if flag is None or not ds.has_values(purpose):
        return pd.DataFrame(columns=["purpose", "group", "recorded", "flagged", "rate", "ratio", "p_value", "p_holm"])
    purposes = ds.query(
        f'SELECT CAST("{purpose}" AS VARCHAR) AS value, count("{flag}") AS n FROM data '
        f'WHERE "{purpose}" IS NOT NULL GROUP BY 1 HAVING count("{flag}") > 0 ORDER BY n DESC, value LIMIT {top}'
    )["value"]
    # Every purpose's counts in one scan; each purpose's table as `rates` would give it.
    listed = ", ".join(quote_text(value) for value in purposes)
    counts = ds.query(
        f'SELECT CAST("{purpose}" AS VARCHAR) AS purpose, {group_sql(group, unfold)} AS "group", '
        f'count("{flag}") AS recorded, count(*) FILTER (WHERE "{flag}") AS flagged FROM data '
        f'WHERE CAST("{purpose}" AS VARCHAR) IN ({listed}) GROUP BY 1, 2'
    )
    reference = REFERENCE.get(group)
    tables = [
        rate_table(_by_recorded(counts[counts["purpose"] == value].drop(columns="purpose")), reference).assign(
            purpose=value
        )
        for value in purposes
    ]
    if not tables:
        return pd.DataFrame(columns=["purpose", "group", "recorded", "flagged", "rate", "ratio", "p_value", "p_holm"])
    frame = pd.concat(tables, ignore_index=True)
    frame["p_holm"] = holm(frame["p_value"])
    frame["significant"] = frame["p_holm"] < SIGNIFICANCE
    return frame[["purpose", *[c for c in frame.columns if c != "purpose"]]]


def outcomes_by_group(
    ds: Dataset, group: str = "subject_race", unfold: list[Fold] | tuple[Fold, ...] = ()
) -> pd.DataFrame:
    """Arrest, citation and warning rates per group for every outcome the data records, each group tested against
    the reference group: outcome, then the columns of `rates`; p_holm is adjusted over every comparison in the
    table. For data that records outcomes but no searches this is the main comparison. Empty when none recorded."""
    flags = [flag for flag in OUTCOMES if ds.has_values(flag)]
    tables = []
    if flags:  # every outcome's counts in one scan; each outcome's table as `rates` would give it
        columns = ", ".join(
            f'count("{flag}") AS "recorded {flag}", count(*) FILTER (WHERE "{flag}") AS "flagged {flag}"'
            for flag in flags
        )
        counts = ds.query(f'SELECT {group_sql(group, unfold)} AS "group", {columns} FROM data GROUP BY 1')
        for flag in flags:
            one = counts[["group", f"recorded {flag}", f"flagged {flag}"]].set_axis(
                ["group", "recorded", "flagged"], axis=1
            )
            tables.append(rate_table(_by_recorded(one), REFERENCE.get(group)).assign(outcome=flag))
    if not tables:
        return pd.DataFrame(columns=["outcome", "group", "recorded", "flagged", "rate", "ratio", "p_value", "p_holm"])
    frame = pd.concat(tables, ignore_index=True)
    frame["p_holm"] = holm(frame["p_value"])
    frame["significant"] = frame["p_holm"] < SIGNIFICANCE
    return frame[["outcome", *[c for c in frame.columns if c != "outcome"]]]


@dataclass(frozen=True)
class OutcomeTest:
    """The outcome (hit-rate) test on discretionary searches: the share of searches that found contraband, per
    race with its 95% Wilson interval, each compared with white people's; `caveat` is the infra-marginality
    caveat to print beside it."""

    problem: str  # why the test cannot run; "" when it can
    basis_recorded: bool = False  # True: only discretionary searches (DISCRETIONARY_BASES) were kept
    searches: int = 0  # searches with the outcome recorded, before the discretionary filter
    left_out: int = 0  # searches left out: not discretionary, or basis not recorded
    citywide: pd.DataFrame | None = None  # the columns of `rates`, recorded = searches, flagged = hits
    area: str | None = None  # the subgeography of by_area
    by_area: pd.DataFrame | None = None  # area, then the columns of `rates`, for areas with enough searches of white
    # people and of another group; p_holm adjusted over every comparison in the table
    caveat: str = INFRA_MARGINALITY


def outcome_test(ds: Dataset, eligible: Eligibility) -> OutcomeTest:
    """Hit rates of the eligible stops' searches. Where search_basis is recorded, only discretionary searches
    (consent, probable cause, plain view, dog sniff) count, as the literature runs the test; where it is not, every
    search counts and `basis_recorded` is False, which the report must say."""
    flag = search_flag(ds)
    if flag is None:
        return OutcomeTest("This data does not record searches, so the outcome test cannot be run.")
    if not ds.has_values("contraband_found"):
        return OutcomeTest(
            "This data does not record whether searches found contraband, so the outcome test cannot be run."
        )
    searched = f"{eligible.condition} AND {flag} AND contraband_found IS NOT NULL"
    searches = int(ds.scalar(f"SELECT count(*) FROM data WHERE {searched}"))
    basis = ds.has_values("search_basis")
    if basis:
        listed = ", ".join(quote_text(b) for b in DISCRETIONARY_BASES)
        searched += f" AND search_basis IN ({listed})"
    kept = int(ds.scalar(f"SELECT count(*) FROM data WHERE {searched}"))
    if not kept:
        return OutcomeTest("No eligible discretionary search has its outcome recorded.", basis, searches, searches)
    area = area_column(ds)
    area_sql = f"CAST({area} AS VARCHAR)" if area else "'citywide'"
    counts = ds.query(
        f"SELECT {area_sql} AS area, coalesce(subject_race, 'unknown') AS \"group\", count(*) AS recorded, "
        f"count(*) FILTER (WHERE contraband_found) AS flagged FROM data WHERE {searched} GROUP BY 1, 2"
    )
    citywide = counts.groupby("group", as_index=False)[["recorded", "flagged"]].sum()
    citywide = rate_table(citywide.sort_values("recorded", ascending=False), "white")
    tables = []
    for name, rows in counts.groupby("area"):
        enough = rows[rows["recorded"] >= MIN_AREA_SEARCHES]
        if "white" in set(enough["group"]) and len(set(enough["group"]) - {"white", "unknown"}):
            tables.append(rate_table(enough.drop(columns="area"), "white").assign(area=name))
    by_area = pd.concat(tables, ignore_index=True) if tables else None
    if by_area is not None:
        by_area["p_holm"] = holm(by_area["p_value"])
        by_area["significant"] = by_area["p_holm"] < SIGNIFICANCE
        by_area = by_area[["area", *[c for c in by_area.columns if c != "area"]]]
    return OutcomeTest("", basis, searches, searches - kept, citywide, area, by_area)
