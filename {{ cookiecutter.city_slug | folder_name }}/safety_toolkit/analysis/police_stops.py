"""Police stops: what the original toolkit's stops notebook computed, and the tests it ran.

Rates are computed over the stops where the outcome was recorded; the tables say how many that is.
Each group is compared with a reference group (white; female) by a chi-square test on the 2x2 table,
or Fisher's exact test when the table is too small for chi-square.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy import stats

from . import Dataset

SIGNIFICANCE = 0.05
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
    first, last, undated = ds.con.execute(
        "SELECT min(date), max(date), count(*) FILTER (WHERE date IS NULL) FROM data"
    ).fetchone()
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
    table: pd.DataFrame  # group, stops (recorded), flagged, rate, ratio, p_value, test, significant
    not_recorded: int  # stops without a value for the flag, left out of every rate

    def finding(self, value: str) -> tuple[str, str]:
        """The comparison of one group with the reference, as a question and a plain answer."""
        row = self.table.set_index("group").loc[value]
        ref = self.table.set_index("group").loc[self.reference]
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


def _test(flagged: int, stops: int, ref_flagged: int, ref_stops: int) -> tuple[float, str]:
    table = [[flagged, stops - flagged], [ref_flagged, ref_stops - ref_flagged]]
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
        f'count("{flag}") AS stops, count(*) FILTER (WHERE "{flag}") AS flagged '
        "FROM data GROUP BY 1 ORDER BY stops DESC"
    )
    not_recorded = int(ds.scalar(f'SELECT count(*) FROM data WHERE "{flag}" IS NULL'))
    frame = frame[frame["stops"] > 0].reset_index(drop=True)
    frame["rate"] = frame["flagged"] / frame["stops"]
    if reference not in set(frame["group"]):
        raise ValueError(f"no stops of the reference group {reference!r} have {flag} recorded")
    ref = frame.set_index("group").loc[reference]
    p_values, tests = [], []
    for row in frame.itertuples():
        if row.group in (reference, "unknown"):
            p_values.append(float("nan"))
            tests.append("")
            continue
        p, test = _test(int(row.flagged), int(row.stops), int(ref["flagged"]), int(ref["stops"]))
        p_values.append(p)
        tests.append(test)
    frame["ratio"] = frame["rate"] / ref["rate"] if ref["rate"] > 0 else float("nan")
    frame["p_value"] = p_values
    frame["test"] = tests
    frame["significant"] = frame["p_value"] < SIGNIFICANCE
    return RateComparison(flag, group, reference, frame, not_recorded)


def without_citation(ds: Dataset, group: str) -> pd.DataFrame:
    """Stops that ended without a citation, by group: the stops that led to no ticket at all."""
    frame = ds.query(
        f'SELECT coalesce(CAST("{group}" AS VARCHAR), \'unknown\') AS "group", '
        "count(citation_issued) AS stops, count(*) FILTER (WHERE NOT citation_issued) AS without_citation "
        "FROM data GROUP BY 1 ORDER BY stops DESC"
    )
    frame = frame[frame["stops"] > 0].reset_index(drop=True)
    frame["share"] = frame["without_citation"] / frame["stops"]
    return frame
