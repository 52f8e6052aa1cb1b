"""Use of force: how often, what kind, with what injuries, on whom, where, and against the number of arrests.

A row is one use of force on one person. Publishers differ: some write one row per officer and kind of force,
so one incident can have many rows. Everything here counts rows ("uses of force") and, where the publisher
gives an incident number, incidents too. `units` says how many rows, incidents, people and officers the data
holds and how many rows lack each identifier; `incidents_involving` counts kinds of force that can occur together
as "incidents involving X"; `label_merges` lists the spellings of one label that are merged ("Knee", "Knees").
Injury rates are computed over the rows that say whether the person was injured; the tables say how many that is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..sql import one_row, quote_ident, quote_text
from . import Dataset
from . import police_stops as stops

# Where force was used, in the order the report prefers them; the officer's unit only stands in for a place.
AREA_COLUMNS = ("precinct", "district", "beat", "neighborhood", "city", "officer_unit")
AGE_BINS = ((0, 18, "under 18"), (18, 25, "18-24"), (25, 35, "25-34"), (35, 45, "35-44"), (45, 55, "45-54"))
OLDEST = "55 and over"
# Incidents: rows that share an incident number are one incident. A row with a blank number belongs to no known
# incident: it is counted among the rows without one (totals()["without_incident"], units()), never as an incident
# of its own, which would inflate the count by every blank.
INCIDENTS = "count(DISTINCT incident_id)"


def _text(column: str) -> str:
    """A column as text, missing values as 'not recorded' (categories already say 'unknown')."""
    return f"coalesce(CAST({quote_ident(column)} AS VARCHAR), 'not recorded')"


@dataclass(frozen=True)
class Scope:
    """Which rows a report covers when the data spans several states (a national file such as the Post's)."""

    state: str  # the toolkit's state, the one kept
    total: int  # rows in the data (within the report's dates)
    kept: int  # rows of that state, and rows that name no state (from other sources)
    states: int  # states the data names

    @property
    def condition(self) -> str:
        """SQL that keeps the rows in scope."""
        return f"(state IS NULL OR state = {quote_text(self.state)})"


def scope(ds: Dataset, state: str) -> Scope | None:
    """The rows of `state`, for data naming several states; None when it names one state or none."""
    states = int(ds.scalar("SELECT count(DISTINCT state) FROM data"))
    if states <= 1:
        return None
    kept = int(ds.scalar("SELECT count(*) FROM data WHERE state IS NULL OR state = ?", [state]))
    return Scope(state, ds.rows, kept, states)


def limit_to(ds: Dataset, kept: Scope) -> Dataset:
    """The same data limited to the rows in scope, the data-quality profile included."""
    limited = Dataset(ds.path, ds.start, ds.end)
    source = quote_text(ds.path.as_posix())
    # Dataset reads everything through the view `everything`; narrowing it narrows every query.
    limited.con.execute(
        f"CREATE OR REPLACE VIEW everything AS SELECT * FROM read_parquet({source}) WHERE {kept.condition}"
    )
    return limited


def totals(ds: Dataset) -> dict[str, object]:
    """Rows, incidents, the first and last dates, whether the publisher numbers its incidents, and the rows whose
    incident number is blank (without_incident)."""
    rows, incidents, first, last, numbered = one_row(
        ds.con,
        f"SELECT count(*), {INCIDENTS}, min(date), max(date), count(incident_id) FROM data"
    )
    return {
        "uses": rows,
        "incidents": incidents,
        "first": first,
        "last": last,
        "numbered": numbered > 0,
        "without_incident": rows - numbered,
    }


def by_year(ds: Dataset) -> pd.DataFrame:
    """Uses of force and incidents per calendar year (years without any included), with the months of each year
    that hold any data."""
    return ds.query(
        f"""
        WITH years AS (
            SELECT unnest(range(year(min(date)), year(max(date)) + 1)) AS year FROM data WHERE date IS NOT NULL
        ),
        counted AS (
            SELECT year(date) AS year, count(*) AS uses, {INCIDENTS} AS incidents,
                   count(DISTINCT date_trunc('month', date)) AS months
            FROM data WHERE date IS NOT NULL GROUP BY 1
        )
        SELECT years.year, coalesce(uses, 0) AS uses, coalesce(incidents, 0) AS incidents,
               coalesce(months, 0) AS months
        FROM years LEFT JOIN counted USING (year) ORDER BY 1
        """
    )


def partial_years(ds: Dataset) -> list[int]:
    """The first and last years when the data starts after January or ends before December: not comparable with
    full years."""
    first, last = one_row(ds.con, "SELECT min(date), max(date) FROM data")
    if first is None:
        return []
    return sorted({year for year, partial in ((first.year, first.month > 1), (last.year, last.month < 12)) if partial})


def counts(ds: Dataset, column: str, top: int | None = None, by_value: bool = False) -> pd.DataFrame:
    """Uses of force and incidents per value of a column, most frequent first (or in the order of the values,
    for graded values such as levels); `top` keeps the most frequent values and folds the rest into 'all others'."""
    order = "value" if by_value else "uses DESC, value"
    frame = ds.query(
        f"SELECT {_text(column)} AS value, count(*) AS uses, {INCIDENTS} AS incidents "
        f"FROM data GROUP BY 1 ORDER BY {order}"
    )
    if top is not None and len(frame) > top + 1:
        rest = frame.iloc[top:]
        # An incident can span several of the folded values, so its incidents are not summed.
        frame = pd.concat(
            [frame.iloc[:top], pd.DataFrame([{"value": "all others", "uses": rest["uses"].sum(), "incidents": None}])],
            ignore_index=True,
        )
    frame["share"] = frame["uses"] / frame["uses"].sum()
    return frame


def age_groups(ds: Dataset) -> pd.DataFrame:
    """Uses of force by the person's age group (ages are kept only from 10 to 110)."""
    cases = " ".join(f"WHEN subject_age < {high} THEN '{label}'" for _, high, label in AGE_BINS)
    frame = ds.query(
        f"SELECT CASE WHEN subject_age IS NULL THEN 'not recorded' {cases} ELSE '{OLDEST}' END AS value, "
        "count(*) AS uses FROM data GROUP BY 1"
    )
    order = [label for *_, label in AGE_BINS] + [OLDEST, "not recorded"]
    frame = frame.set_index("value").reindex([o for o in order if o in set(frame["value"])]).reset_index()
    frame["share"] = frame["uses"] / frame["uses"].sum()
    return frame


def rate_by(ds: Dataset, flag: str, column: str, top: int | None = None) -> pd.DataFrame:
    """Share of uses of force with `flag` true, per value of `column`, over the rows where the flag is recorded:
    value, recorded, flagged, rate."""
    frame = ds.query(
        f"SELECT {_text(column)} AS value, count({flag}) AS recorded, count(*) FILTER (WHERE {flag}) AS flagged "
        f"FROM data GROUP BY 1 HAVING count({flag}) > 0 ORDER BY recorded DESC, value"
    )
    if top is not None:
        frame = frame.head(top)
    frame["rate"] = frame["flagged"] / frame["recorded"]
    return frame.reset_index(drop=True)


def recorded_by_year(ds: Dataset, flag: str) -> pd.DataFrame:
    """Per calendar year, the uses of force that record the flag at all: year, uses, recorded, share.
    A recording practice that starts or stops shows here before it distorts any rate."""
    frame = ds.query(
        f"SELECT year(date) AS year, count(*) AS uses, count({flag}) AS recorded FROM data "
        "WHERE date IS NOT NULL GROUP BY 1 ORDER BY 1"
    )
    frame["share"] = frame["recorded"] / frame["uses"]
    return frame


def overall_rate(ds: Dataset, flag: str) -> tuple[int, int]:
    """(rows where the flag is recorded, rows where it is true)."""
    recorded, flagged = one_row(ds.con, f"SELECT count({flag}), count(*) FILTER (WHERE {flag}) FROM data")
    return int(recorded), int(flagged)


def compare_groups(ds: Dataset, flag: str, group: str) -> stops.RateComparison | None:
    """Each group's rate compared with the reference group (white; women) by the same chi-square or Fisher test
    as the stops report; None when the reference group has no recorded value."""
    try:
        return stops.rate_by_group(ds, flag, group)
    except ValueError:
        return None


def area_column(ds: Dataset) -> str | None:
    """The first column that says where force was used (or, failing that, the officer's unit)."""
    return next((c for c in AREA_COLUMNS if ds.has_values(c)), None)


def officers(ds: Dataset) -> dict[str, float] | None:
    """How uses of force spread over officers (by hashed id): officers, median per officer, and the share of
    uses by the tenth of officers with the most. None without officer ids."""
    if not ds.has_values("officer_id_hash"):
        return None
    per = ds.query(
        "SELECT count(*) AS uses FROM data WHERE officer_id_hash IS NOT NULL GROUP BY officer_id_hash "
        "ORDER BY uses DESC"
    )["uses"]
    top = max(1, round(len(per) / 10))
    return {
        "officers": len(per),
        "with_id": int(per.sum()),
        "median": float(per.median()),
        "top": top,
        "top_share": float(per.head(top).sum() / per.sum()),
    }


@dataclass(frozen=True)
class PerArrests:
    """Uses of force per 1,000 arrests over the days both data sets cover."""

    start: object  # first day both cover (None when they do not overlap)
    end: object
    table: pd.DataFrame  # group, uses, arrests, per_1000


def per_thousand_arrests(ds: Dataset, arrests: Dataset) -> PerArrests:
    """Uses of force per 1,000 arrests, in all and by race, over the days both data sets cover."""
    lo1, hi1 = one_row(ds.con, "SELECT min(date), max(date) FROM data")
    lo2, hi2 = one_row(arrests.con, "SELECT min(date), max(date) FROM data")
    empty = pd.DataFrame(columns=["group", "uses", "arrests", "per_1000"])
    if None in (lo1, hi1, lo2, hi2) or max(lo1, lo2) > min(hi1, hi2):
        return PerArrests(None, None, empty)
    start, end = max(lo1, lo2), min(hi1, hi2)
    between = f"WHERE date BETWEEN DATE '{start.isoformat()}' AND DATE '{end.isoformat()}'"

    def by_race(dataset: Dataset, name: str) -> pd.DataFrame:
        return dataset.query(
            f"SELECT coalesce(subject_race, 'unknown') AS \"group\", count(*) AS {name} FROM data {between} GROUP BY 1"
        )

    table = by_race(ds, "uses").merge(by_race(arrests, "arrests"), on="group", how="outer").fillna(0)
    table = pd.concat(
        [pd.DataFrame([{"group": "all", "uses": table["uses"].sum(), "arrests": table["arrests"].sum()}]), table],
        ignore_index=True,
    )
    table[["uses", "arrests"]] = table[["uses", "arrests"]].astype(int)
    table["per_1000"] = 1000 * table["uses"] / table["arrests"].where(table["arrests"] > 0)
    # All first, then the groups with most arrests, unknown last.
    table["order"] = [0 if g == "all" else 2 if g == "unknown" else 1 for g in table["group"]]
    table = table.sort_values(["order", "arrests"], ascending=[True, False]).drop(columns="order")
    return PerArrests(start, end, table.reset_index(drop=True))


# Units: rows, incidents, people, officers -------------------------------------------------------------------------

UNIT_NAMES = {
    "rows": "uses of force (rows of the data)",
    "incidents": "incidents (distinct incident numbers)",
    "people": "people (distinct person identifiers)",
    "officers": "officers (distinct officer identifiers)",
}


@dataclass(frozen=True)
class Units:
    """How many of each unit the data holds. Rows, incidents, people and officers are different counts: one
    incident can have several rows (several officers, people or kinds of force), and one person or officer several
    incidents. A count is None when the data has no identifier for that unit; `without_*` counts the rows whose
    identifier is blank, which are reported, never counted as units of their own."""

    rows: int
    incidents: int | None
    without_incident: int
    people: int | None
    without_person: int
    officers: int | None
    without_officer: int

    def table(self) -> pd.DataFrame:
        """unit, count (None: not recorded), rows_without_id: one line per unit, as a report shows it."""
        return pd.DataFrame(
            [
                (UNIT_NAMES["rows"], self.rows, 0),
                (UNIT_NAMES["incidents"], self.incidents, self.without_incident),
                (UNIT_NAMES["people"], self.people, self.without_person),
                (UNIT_NAMES["officers"], self.officers, self.without_officer),
            ],
            columns=["unit", "count", "rows_without_id"],
        )


def units(ds: Dataset) -> Units:
    """Rows, incidents, people and officers in the data, and the rows whose identifier for each is blank."""
    columns = set(ds.columns)

    def distinct(column: str) -> tuple[int | None, int]:
        if column not in columns or not ds.has_values(column):
            return None, ds.rows
        known, blank = one_row(
            ds.con,
            f"SELECT count(DISTINCT {quote_ident(column)}), count(*) FILTER (WHERE {quote_ident(column)} IS NULL) "
            "FROM data"
        )
        return int(known), int(blank)

    return Units(ds.rows, *distinct("incident_id"), *distinct("subject_id_hash"), *distinct("officer_id_hash"))


# Labels the publisher spells several ways -----------------------------------------------------------------------

# Words left out when two labels are compared: "Body Weight to Pin" is "Body Weight Pin".
FILLER_WORDS = frozenset({"a", "an", "as", "of", "the", "to"})


def label_key(label: str) -> str:
    """What two spellings of one label share: lower case, punctuation as spaces, filler words dropped, and each word
    without a plural 's' ("Punches" -> "punch", "Knees" -> "knee"). Labels with the same key are merged."""
    words = re.sub(r"[^0-9a-z]+", " ", str(label).casefold()).split()
    kept = [_singular(word) for word in words if word not in FILLER_WORDS]
    return " ".join(kept)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def label_merges(ds: Dataset, column: str, keep_apart: tuple[str, ...] = ()) -> pd.DataFrame:
    """The labels of `column` that are spellings of one another, each with the label it is merged into (the most
    used spelling): label, merged_into, uses. Only labels that are merged are listed; this table is the appendix a
    report prints. `keep_apart` lists labels never to merge, for a pair the rule joins wrongly."""
    frame = ds.query(
        f"SELECT CAST({quote_ident(column)} AS VARCHAR) AS label, count(*) AS uses FROM data "
        f"WHERE {quote_ident(column)} IS NOT NULL GROUP BY 1 ORDER BY uses DESC, label"
    )
    frame = frame[~frame["label"].isin(keep_apart)].copy()
    frame["key"] = frame["label"].map(label_key)
    first = frame.groupby("key", sort=False)["label"].transform("first")  # sorted by uses: the most used spelling
    merged = frame.assign(merged_into=first)
    merged = merged[merged.groupby("key")["label"].transform("size") > 1]
    return merged[["label", "merged_into", "uses"]].reset_index(drop=True)


def merged_sql(column: str, merges: pd.DataFrame) -> str:
    """SQL for `column` with the merges of `label_merges` applied, missing values as 'not recorded'."""
    cases = " ".join(
        f"WHEN {quote_text(label)} THEN {quote_text(merged_into)}"
        for label, merged_into in zip(merges["label"], merges["merged_into"], strict=True)
        if label != merged_into
    )
    text = f"CAST({quote_ident(column)} AS VARCHAR)"
    return f"coalesce(CASE {text} {cases} ELSE {text} END, 'not recorded')" if cases else _text(column)


def incidents_involving(ds: Dataset, column: str, merges: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each value of a category that can co-occur in one incident (kinds of force, actions): value, uses (rows
    with it), incidents (incidents involving it: distinct incident numbers among those rows; None when the data
    numbers no incident), share (of all numbered incidents; the shares add up to more than 100% because an
    incident can involve several), rows_without_incident (rows with it but a blank incident number, reported
    apart). `merges` (from label_merges) merges spellings first."""
    value = merged_sql(column, merges) if merges is not None else _text(column)
    numbered = "incident_id" in ds.columns and ds.has_values("incident_id")
    incidents = "count(DISTINCT incident_id)" if numbered else "NULL"
    frame = ds.query(
        f"SELECT {value} AS value, count(*) AS uses, {incidents} AS incidents, "
        f"count(*) FILTER (WHERE {'incident_id IS NULL' if numbered else 'TRUE'}) AS rows_without_incident "
        "FROM data GROUP BY 1 ORDER BY uses DESC, value"
    )
    total = int(ds.scalar("SELECT count(DISTINCT incident_id) FROM data")) if numbered else 0
    frame["share"] = frame["incidents"] / total if total else float("nan")
    return frame[["value", "uses", "incidents", "share", "rows_without_incident"]]
