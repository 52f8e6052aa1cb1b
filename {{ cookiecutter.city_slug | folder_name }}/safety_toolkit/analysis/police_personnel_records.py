"""Police personnel records: who serves on the force, and the complaints made about officers.

Rows come in four kinds (record_type): officers (the roster), complaints, allegations (one officer named in
one complaint) and complainants, linked by complaint_id. The roster is a snapshot: the report's date range
never limits it. An allegation without a date of its own takes the date of its complaint; when the report
is limited to a date range, only allegations and complaints dated within it count.

Sustained rate = sustained allegations / allegations closed with any finding (findings "unknown" and
"pending" are left out: those complaints may still be open).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..config import Population
from ..sql import one_row
from . import Dataset
from .compare import SIGNIFICANCE
from .police_stops import compare_rates, people

RACE_ORDER = ("white", "black", "hispanic", "asian/pacific islander", "other", "unknown")
OPEN_FINDINGS = ("unknown", "pending")
REFERENCE_RACE = "white"
REPEAT_BANDS = ((1, 1, "1"), (2, 2, "2"), (3, 4, "3–4"), (5, 9, "5–9"), (10, None, "10 or more"))


def _views(ds: Dataset) -> None:
    """Views `officers`, `allegations`, `complaints` and `complainants` over every row (not only `data`,
    which drops undated rows whenever a date range is set)."""
    dated = []
    if ds.start:
        dated.append(f"date >= DATE '{ds.start.isoformat()}'")
    if ds.end:
        dated.append(f"date <= DATE '{ds.end.isoformat()}'")
    in_range = " AND ".join(dated) or "TRUE"
    ds.con.execute("CREATE OR REPLACE TEMP VIEW officers AS SELECT * FROM everything WHERE record_type = 'officer'")
    ds.con.execute(
        "CREATE OR REPLACE TEMP VIEW complaint_dates AS SELECT complaint_id, min(date) AS date FROM everything "
        "WHERE record_type = 'complaint' AND complaint_id IS NOT NULL GROUP BY complaint_id"
    )
    ds.con.execute(
        "CREATE OR REPLACE TEMP VIEW allegations AS SELECT * FROM ("
        "SELECT a.* REPLACE (coalesce(a.date, c.date) AS date) FROM everything AS a "
        "LEFT JOIN complaint_dates AS c USING (complaint_id) WHERE a.record_type = 'allegation'"
        f") WHERE {in_range}"
    )
    # A complaint is known from its own row or from the allegations that name it; each counts once.
    ds.con.execute(
        "CREATE OR REPLACE TEMP VIEW complaints AS SELECT * FROM (SELECT complaint_id, min(date) AS date FROM ("
        "SELECT complaint_id, date FROM everything WHERE record_type = 'complaint' "
        "UNION ALL SELECT complaint_id, date FROM everything WHERE record_type = 'allegation') "
        f"WHERE complaint_id IS NOT NULL GROUP BY complaint_id) WHERE {in_range}"
    )
    ds.con.execute(
        "CREATE OR REPLACE TEMP VIEW complainants AS SELECT * FROM everything "
        "WHERE record_type = 'complainant' AND complaint_id IN (SELECT complaint_id FROM complaints)"
    )


def _query(ds: Dataset, sql: str) -> pd.DataFrame:
    _views(ds)
    return ds.query(sql)


@dataclass(frozen=True)
class Summary:
    officers: int  # rows of the roster
    sworn: int | None  # sworn officers on the roster, None when the roster does not say
    complaints: int
    allegations: int
    officers_named: int  # distinct officers (hashed ids) named in the allegations
    complainants: int
    undated_allegations: int  # allegations with no date, even through their complaint


def summary(ds: Dataset) -> Summary:
    _views(ds)
    officers, sworn, sworn_known = one_row(
        ds.con,
        "SELECT count(*), count(*) FILTER (WHERE sworn), count(sworn) FROM officers"
    )
    undated = ds.scalar(
        "SELECT count(*) FROM everything AS a LEFT JOIN complaint_dates AS c USING (complaint_id) "
        "WHERE a.record_type = 'allegation' AND coalesce(a.date, c.date) IS NULL"
    )
    return Summary(
        officers=int(officers),
        sworn=int(sworn) if sworn_known else None,
        complaints=int(ds.scalar("SELECT count(*) FROM complaints")),
        allegations=int(ds.scalar("SELECT count(*) FROM allegations")),
        officers_named=int(ds.scalar("SELECT count(DISTINCT officer_id_hash) FROM allegations")),
        complainants=int(ds.scalar("SELECT count(*) FROM complainants")),
        undated_allegations=int(undated),
    )


def _race_order(frame: pd.DataFrame, column: str = "race") -> pd.DataFrame:
    rank = {race: i for i, race in enumerate(RACE_ORDER)}
    return frame.sort_values(column, key=lambda s: s.map(lambda v: rank.get(v, len(rank)))).reset_index(drop=True)


def _sworn(ds: Dataset) -> str:
    """The condition for sworn officers, when the roster says who is sworn; everyone on it otherwise."""
    _views(ds)  # whichever function runs first on a dataset
    return "sworn" if ds.scalar("SELECT count(sworn) FROM officers") else "TRUE"


def force_by_race(ds: Dataset, population: Population | None) -> pd.DataFrame:
    """Sworn officers by race against the city's residents: race, officers, share of officers (of those with
    a known race), residents, share of residents, and the gap in percentage points (None without figures)."""
    frame = _query(
        ds,
        "SELECT coalesce(officer_race, 'unknown') AS race, count(*) AS officers FROM officers "
        f"WHERE {_sworn(ds)} GROUP BY 1",
    )
    known = frame.loc[frame["race"] != "unknown", "officers"].sum()
    frame["officer_share"] = [n / known if race != "unknown" and known else None for race, n in frame.values]
    by_race = population.by_race if population else {}
    frame["residents"] = [by_race.get(race) for race in frame["race"]]
    frame["resident_share"] = [
        by_race[r] / population.total if population and r in by_race else None for r in frame["race"]
    ]
    frame["gap"] = [
        (o - p) * 100 if o is not None and p is not None else None
        for o, p in zip(frame["officer_share"], frame["resident_share"], strict=True)
    ]
    return _race_order(frame)


def officers_by(ds: Dataset, column: str, top: int = 10) -> pd.DataFrame:
    """Sworn officers by one column (sex, rank...), largest group first; past the `top` groups, the rest are
    summed in one last row."""
    frame = _query(
        ds,
        f"SELECT coalesce(CAST({column} AS VARCHAR), 'not recorded') AS value, count(*) AS officers FROM officers "
        f"WHERE {_sworn(ds)} GROUP BY 1 ORDER BY officers DESC, value",
    )
    if len(frame) > top + 1:
        others = {"value": f"all {len(frame) - top} others", "officers": frame["officers"].iloc[top:].sum()}
        frame = pd.concat([frame.iloc[:top], pd.DataFrame([others])], ignore_index=True)
    frame["share"] = frame["officers"] / frame["officers"].sum()
    return frame


def hires_by_period(ds: Dataset, years: int = 5) -> pd.DataFrame:
    """Sworn officers on the roster by the period they were appointed in, with the share of each race."""
    frame = _query(
        ds,
        f"SELECT CAST(floor(year(appointed_date) / {years}) * {years} AS INTEGER) AS start, "
        "coalesce(officer_race, 'unknown') AS race, count(*) AS officers "
        f"FROM officers WHERE {_sworn(ds)} AND appointed_date IS NOT NULL GROUP BY 1, 2",
    )
    if frame.empty:
        return pd.DataFrame(columns=["appointed", "officers"])
    table = frame.pivot_table(index="start", columns="race", values="officers", aggfunc="sum", fill_value=0)
    races = [race for race in RACE_ORDER if race in table.columns]
    totals = table.sum(axis=1)
    shares = table[races].div(totals, axis=0)
    shares.insert(0, "officers", totals)
    shares.insert(0, "appointed", [f"{start}–{start + years - 1}" for start in table.index])
    return shares.reset_index(drop=True)


def complaints_by_year(ds: Dataset) -> pd.DataFrame:
    """Complaints made each year (each complaint number once)."""
    return _query(
        ds,
        "SELECT year(date) AS year, count(*) AS complaints FROM complaints WHERE date IS NOT NULL "
        "GROUP BY 1 ORDER BY 1",
    )


def findings(ds: Dataset) -> pd.DataFrame:
    """Allegations by finding, with the share of all allegations."""
    frame = _query(
        ds,
        "SELECT coalesce(finding, 'unknown') AS finding, count(*) AS allegations FROM allegations "
        "GROUP BY 1 ORDER BY allegations DESC, finding",
    )
    frame["share"] = frame["allegations"] / frame["allegations"].sum()
    return frame


def _closed(alias: str = "") -> str:
    column = f"{alias}finding" if alias else "finding"
    return f"coalesce({column}, 'unknown') NOT IN ({', '.join(repr(f) for f in OPEN_FINDINGS)})"


def sustained_by_category(ds: Dataset, top: int = 15) -> pd.DataFrame:
    """The most frequent allegation categories: allegations, closed ones, sustained ones and the sustained
    rate; the rest are summed in one last row."""
    frame = _query(
        ds,
        "SELECT coalesce(allegation_category, 'not recorded') AS category, count(*) AS allegations, "
        f"count(*) FILTER (WHERE {_closed()}) AS closed, count(*) FILTER (WHERE finding = 'sustained') AS sustained "
        "FROM allegations GROUP BY 1 ORDER BY allegations DESC, category",
    )
    if len(frame) > top + 1:
        rest = frame.iloc[top:][["allegations", "closed", "sustained"]].sum()
        others = pd.DataFrame([{"category": f"all {len(frame) - top} other categories", **rest.to_dict()}])
        frame = pd.concat([frame.iloc[:top], others], ignore_index=True)
    frame["rate"] = [s / c if c else None for s, c in zip(frame["sustained"], frame["closed"], strict=True)]
    return frame


RACE_WORDS = {
    "white": "white",
    "black": "Black",
    "hispanic": "Hispanic",
    "asian/pacific islander": "Asian or Pacific Islander",
    "other": "other-race",
    "unknown": "unrecorded-race",
}
SEX_WORDS = {"male": "male", "female": "female", "non-binary": "non-binary", "unknown": "unrecorded-sex"}


def what(group: str, value: str) -> str:
    """The allegations or complaints of one group, in words: "allegations against Black officers"."""
    if group == "officer_race":
        return f"allegations against {RACE_WORDS.get(value, value)} officers"
    if group == "officer_sex":
        return f"allegations against {SEX_WORDS.get(value, value)} officers"
    if value == "several":
        return "complaints made by people of several races together"
    return f"complaints made by {people(value, 'subject_race')}"


@dataclass(frozen=True)
class SustainedComparison:
    """The sustained rate per group, each group compared with the reference group."""

    group: str  # officer_race, officer_sex, complainant_race
    reference: str
    table: pd.DataFrame  # group, closed, sustained, rate, ratio, p_value, test, significant

    @property
    def unit(self) -> str:
        return "complaints" if self.group == "complainant_race" else "allegations"

    def finding(self, value: str) -> tuple[str, str]:
        """The comparison of one group with the reference, as a question and a plain answer."""
        rows = self.table.set_index("group")
        row, ref = rows.loc[value].to_dict(), rows.loc[self.reference].to_dict()
        these, those = what(self.group, value), what(self.group, self.reference)
        question = f"Were {these} sustained more often than {those}?"
        rates = (
            f"{row['rate']:.1%} of closed {these} were sustained ({int(row['sustained']):,} of "
            f"{int(row['closed']):,}), against {ref['rate']:.1%} of closed {those} "
            f"({int(ref['sustained']):,} of {int(ref['closed']):,})"
        )
        if pd.isna(row["p_value"]):
            return question, f"Cannot say: {rates}; there are too few to compare."
        p = "p < 0.001" if row["p_value"] < 0.001 else f"p = {row['p_value']:.3f}"
        if not row["significant"]:
            return question, f"Not clearly: {rates}. A gap this size could arise by chance ({row['test']}, {p})."
        direction = "Yes" if row["rate"] > ref["rate"] else "No, less often"
        return question, (
            f"{direction}: {rates}. A gap this large would be unlikely if both had the same chance of being "
            f"sustained ({row['test']}, {p}). This describes a difference; it does not show its cause."
        )


def _compare(frame: pd.DataFrame, group: str, reference: str) -> SustainedComparison:
    frame = frame[frame["closed"] > 0].reset_index(drop=True)
    frame["rate"] = frame["sustained"] / frame["closed"]
    ref = frame.set_index("group")["closed"].get(reference)
    p_values, tests = [], []
    for row in frame.to_dict("records"):
        if ref is None or row["group"] in (reference, "unknown"):
            p_values.append(float("nan"))
            tests.append("")
            continue
        ref_row = frame.set_index("group").loc[reference].to_dict()
        p, test = compare_rates(
            int(row["sustained"]), int(row["closed"]), int(ref_row["sustained"]), int(ref_row["closed"])
        )
        p_values.append(p)
        tests.append(test)
    ref_rate = frame.set_index("group")["rate"].get(reference)
    frame["ratio"] = frame["rate"] / ref_rate if ref_rate else float("nan")
    frame["p_value"] = p_values
    frame["test"] = tests
    frame["significant"] = frame["p_value"] < SIGNIFICANCE
    return SustainedComparison(group, reference, _race_order(frame, "group") if "race" in group else frame)


def sustained_by_officer(
    ds: Dataset, column: str = "officer_race", reference: str = REFERENCE_RACE
) -> SustainedComparison:
    """Sustained rate of the allegations against officers of each group (race or sex)."""
    frame = _query(
        ds,
        f"SELECT coalesce({column}, 'unknown') AS \"group\", count(*) FILTER (WHERE {_closed()}) AS closed, "
        "count(*) FILTER (WHERE finding = 'sustained') AS sustained FROM allegations GROUP BY 1 ORDER BY closed DESC",
    )
    return _compare(frame, column, reference)


def sustained_by_complainant(ds: Dataset, reference: str = REFERENCE_RACE) -> SustainedComparison:
    """Complaints by the complainants' race ("several" when they differ), and the share of closed complaints
    with at least one sustained allegation. A complaint is closed when every allegation has a finding."""
    frame = _query(
        ds,
        """
        WITH people AS (
            SELECT complaint_id, CASE WHEN count(DISTINCT coalesce(complainant_race, 'unknown')) > 1 THEN 'several'
                                      ELSE any_value(coalesce(complainant_race, 'unknown')) END AS race
            FROM complainants GROUP BY complaint_id
        ),
        outcome AS (
            SELECT complaint_id, bool_and("""
        + _closed()
        + """) AS closed,
                   bool_or(finding = 'sustained') AS sustained
            FROM allegations GROUP BY complaint_id
        )
        SELECT people.race AS "group", count(*) FILTER (WHERE closed) AS closed,
               count(*) FILTER (WHERE closed AND sustained) AS sustained
        FROM people JOIN outcome USING (complaint_id) GROUP BY 1 ORDER BY closed DESC
        """,
    )
    return _compare(frame, "complainant_race", reference)


def complaints_per_officer(ds: Dataset) -> pd.DataFrame:
    """Officers (by hashed id) by how many complaints named them, with the share of all complaint-officer
    pairs they account for."""
    frame = _query(
        ds,
        "SELECT officer_id_hash, count(DISTINCT complaint_id) AS complaints FROM allegations "
        "WHERE officer_id_hash IS NOT NULL GROUP BY 1",
    )
    total = frame["complaints"].sum()
    rows = []
    for low, high, label in REPEAT_BANDS:
        band = frame[(frame["complaints"] >= low) & ((frame["complaints"] <= high) if high else True)]
        rows.append(
            {
                "complaints per officer": label,
                "officers": len(band),
                "share of officers": len(band) / len(frame) if len(frame) else None,
                "share of complaints": band["complaints"].sum() / total if total else None,
            }
        )
    return pd.DataFrame(rows)


def most_named(ds: Dataset, top: int = 10) -> pd.DataFrame:
    """The officers named in the most complaints, by the first 8 characters of their hashed id (never a name),
    with how many of their allegations were sustained."""
    return _query(
        ds,
        "SELECT left(officer_id_hash, 8) AS officer, count(DISTINCT complaint_id) AS complaints, "
        "count(*) AS allegations, count(*) FILTER (WHERE finding = 'sustained') AS sustained "
        "FROM allegations WHERE officer_id_hash IS NOT NULL GROUP BY officer_id_hash "
        f"HAVING count(DISTINCT complaint_id) > 1 ORDER BY complaints DESC, allegations DESC, officer LIMIT {top}",
    )
