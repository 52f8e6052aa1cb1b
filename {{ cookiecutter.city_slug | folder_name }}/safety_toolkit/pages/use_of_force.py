"""The use of force report, section by section. Each section says plainly when the data cannot answer its
question, so a reader learns what to ask the publisher for."""

from __future__ import annotations

import dataclasses

import pandas as pd

from .. import charts
from .. import report as r
from ..analysis import Dataset
from ..analysis import police_stops as stops
from ..analysis import use_of_force as uof
from ..standardize import processed_path
from . import common
from .common import Page

TITLES = {
    "subject_race": "Race",
    "subject_sex": "Sex",
    "force_type": "Kind of force",
    "force_level": "Level of force",
    "force_action": "Action",
    "subject_weapon": "Armed with",
    "precinct": "Precinct",
    "district": "District",
    "beat": "Beat",
    "neighborhood": "Neighborhood",
    "city": "City",
    "officer_unit": "Officer's unit",
    "review_outcome": "Outcome of the review",
}
CAVEATS = (
    "A use of force is counted only when an officer reports it and the department publishes it. What must be "
    "reported differs between departments and changes over time.",
    "Race and sex are usually what the officer perceived and recorded, not what the person would say.",
    "A difference between groups is not, by itself, proof of unfair treatment: groups can differ in how often "
    "and why they meet the police. The data cannot say why force was used more often on some people.",
    "Publishers count differently: some write one row per officer, person and kind of force, so rows can "
    "overstate people and incidents. Compare departments only with care.",
    "Small numbers swing widely from year to year; shaded cells say where that applies.",
)
NEXT_QUESTIONS = (
    "What does the department's policy require officers to report as force (pointing a firearm? handcuffing?), "
    "and when did that change?",
    "How many of these uses of force were reviewed, how many were found to break policy, and what happened then?",
    "Were people hurt by the force itself, and were their injuries checked by medical staff?",
    "Do a few officers account for much of the force, and what does the department do when they do?",
    "How many arrests, stops and calls did the department handle over the same years, so that force can be read "
    "against them?",
)


def _title(column: str) -> str:
    return TITLES.get(column, column)


def _count_columns(numbered: bool) -> list[str]:
    return ["uses of force", "incidents"] if numbered else ["uses of force"]


def _counts_table(page: Page, frame: pd.DataFrame, column: str, table_id: str, caption: str) -> str:
    """Uses of force (and incidents, when the data numbers them) per value, with the share of all uses."""
    assert page.ds is not None
    numbered = page.ds.has_values("incident_id")
    table = frame.rename(columns={"value": _title(column), "uses": "uses of force", "share": "share of uses"})
    if not numbered and "incidents" in table.columns:
        table = table.drop(columns="incidents")
    return r.table(
        table,
        table_id,
        caption,
        page.small,
        counts=_count_columns(numbered),
        percents=["share of uses"],
        base="uses of force",
    )


def _scope(page: Page) -> uof.Scope | None:
    assert page.ds is not None
    return uof.scope(page.ds, page.config.state)


def scope(page: Page) -> str:
    """Which rows the report covers, for data from several states (the Post's national file)."""
    if not common.has_rows(page):
        return ""
    kept = _scope(page)
    if kept is None:
        return ""
    parts = [
        r.heading("Which uses of force this report covers"),
        r.paragraph(
            f"The data covers {kept.states} states, {kept.total:,} rows in all. This report keeps the {kept.kept:,} "
            f"in {kept.state}, the state in toolkit.yaml, and leaves out the other {kept.total - kept.kept:,}."
        ),
    ]
    if not kept.kept:
        parts.append(
            r.caveat(f"No row of this data is from {kept.state}. Check 'state:' in toolkit.yaml, or use other data.")
        )
    return "".join(parts)


def in_scope(page: Page) -> Page:
    """The page limited to the rows of the toolkit's state when the data covers several (see `scope`)."""
    if not common.has_rows(page):
        return page
    kept = _scope(page)
    if kept is None:
        return page
    assert page.ds is not None
    return dataclasses.replace(page, ds=uof.limit_to(page.ds, kept))


def overview(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    total = uof.totals(ds)
    parts = [r.heading("2. Uses of force over time")]
    if total["numbered"] and total["incidents"] < total["uses"]:
        parts.append(
            r.paragraph(
                f"Each row of this data is one use of force on one person, and rows that share an incident number "
                f"belong to one incident. Section 1 counts rows: the {total['uses']:,} uses of force come from "
                f"{total['incidents']:,} incidents. Tables below show both."
            )
        )
    elif not total["numbered"]:
        parts.append(
            r.paragraph(
                f"Each of the {total['uses']:,} rows is one use of force. The data gives no incident number, so the "
                "uses of force of one incident cannot be grouped: every figure counts uses of force, not incidents."
            )
        )
    else:
        parts.append(r.paragraph(f"Each of the {total['uses']:,} rows is a separate incident."))
    if ds.has_values("city"):
        parts.append(
            _counts_table(page, uof.counts(ds, "city", top=15), "city", "uses-by-city", "Uses of force by city")
        )
    years = uof.by_year(ds)
    if not len(years):
        parts.append(common.not_recorded("when force was used", "Ask the publisher for the date of each incident."))
        return "".join(parts)
    shown = common.chart_rows(page, years, "uses")
    parts.append(
        r.figure(
            charts.columns(
                [str(y) for y in shown["year"]],
                shown["uses"].tolist(),
                "Uses of force per year",
                "uses of force",
                "Each bar counts the uses of force recorded in one calendar year. A year with few months of data "
                "(see the table) is not comparable with a full year; a change can mean a change in reporting rules.",
            )
        )
    )
    table = years.rename(columns={"uses": "uses of force", "months": "months with data"})
    table["year"] = table["year"].astype(str)
    if not total["numbered"]:
        table = table.drop(columns="incidents")
    parts.append(
        r.table(
            table,
            "uses-by-year",
            "Uses of force per year",
            page.small,
            counts=[*_count_columns(bool(total["numbered"])), "months with data"],
            base="uses of force",
        )
    )
    partial = uof.partial_years(ds)
    if partial:
        parts.append(
            r.caveat(
                f"{' and '.join(str(y) for y in partial)}: the data starts or ends part-way through the year, so "
                "the count is not comparable with full years. Section 1 shows any months missing in between."
            )
        )
    return "".join(parts)


def force(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    parts = [r.heading("3. What force was used")]
    if not ds.has_values("force_type") and not ds.has_values("force_level"):
        parts.append(
            common.not_recorded(
                "what kind of force was used",
                "Ask for the kind of force in each report (bodily force, taser, chemical spray, firearm...).",
            )
        )
        return "".join(parts)
    if ds.has_values("force_type"):
        frame = uof.counts(ds, "force_type", top=15)
        chart = common.chart_rows(page, frame[~frame["value"].isin(["not recorded", "all others"])].head(10), "uses")
        parts.append(
            r.figure(
                charts.bars(
                    chart["value"].tolist(),
                    chart["uses"].tolist(),
                    "The most common kinds of force",
                    "uses of force",
                    "Each bar counts the uses of force of one kind, as the department names them. Departments name "
                    "and group kinds of force differently, so compare kinds within this data only.",
                )
            )
        )
        parts.append(_counts_table(page, frame, "force_type", "force-by-type", "Uses of force by kind of force"))
    if ds.has_values("force_level"):
        frame = uof.counts(ds, "force_level", by_value=True)
        caption = "Uses of force by the department's level of force"
        parts.append(_counts_table(page, frame, "force_level", "force-by-level", caption))
    if ds.has_values("force_action"):
        frame = uof.counts(ds, "force_action", top=15)
        parts.append(_counts_table(page, frame, "force_action", "force-by-action", "The most common specific actions"))
    return "".join(parts)


def people(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    parts = [r.heading("4. Who force was used on")]
    for column in ("subject_race", "subject_sex"):
        what = _title(column).lower()
        if not ds.has_values(column):
            parts.append(
                common.not_recorded(
                    f"the {what} of the people force was used on", f"Ask the department to publish {what}."
                )
            )
            continue
        frame = uof.counts(ds, column)
        chart = common.chart_rows(page, frame, "uses")
        parts.append(
            r.figure(
                charts.bars(
                    chart["value"].tolist(),
                    chart["uses"].tolist(),
                    f"Uses of force by the person's {what}",
                    "uses of force",
                    "Counts of uses of force, not of people: one person can appear several times. "
                    + ("Race is usually the officer's perception. " if column == "subject_race" else "")
                    + "Without knowing how often each group meets the police, these counts do not show unequal "
                    "treatment.",
                )
            )
        )
        parts.append(_counts_table(page, frame, column, f"uses-by-{column}", f"Uses of force by the person's {what}"))
    if ds.has_values("subject_age"):
        frame = uof.age_groups(ds)
        parts.append(
            r.table(
                frame.rename(columns={"value": "Age", "uses": "uses of force", "share": "share of uses"}),
                "uses-by-age",
                "Uses of force by the person's age",
                page.small,
                counts=["uses of force"],
                percents=["share of uses"],
                base="uses of force",
            )
        )
    if ds.has_values("subject_weapon"):
        frame = uof.counts(ds, "subject_weapon", top=12)
        parts.append(
            _counts_table(page, frame, "subject_weapon", "armed-with", "What the person was recorded as armed with")
        )
    elif ds.has_values("subject_armed"):
        recorded, armed = uof.overall_rate(ds, "subject_armed")
        parts.append(
            r.paragraph(
                f"The person was recorded as armed in {armed:,} of the {recorded:,} uses of force that say "
                f"({armed / recorded:.1%})."
            )
        )
    return "".join(parts)


def _injury_finding(comparison: stops.RateComparison, value: str) -> tuple[str, str]:
    """One group's injury rate against the reference group's, as a question and a plain answer."""
    table = comparison.table.set_index("group")
    row, ref = table.loc[value], table.loc[comparison.reference]
    who, ref_who = stops.people(value, comparison.group), stops.people(comparison.reference, comparison.group)
    question = f"When force was used, were {who} injured more often than {ref_who}?"
    rates = (
        f"{row['rate']:.1%} of uses of force on {who} ({int(row['flagged']):,} of {int(row['stops']):,}) left the "
        f"person injured, against {ref['rate']:.1%} for {ref_who} ({int(ref['flagged']):,} of {int(ref['stops']):,})"
    )
    if pd.isna(row["p_value"]):
        return question, f"Cannot say: {rates}; there are too few to compare."
    p = "p < 0.001" if row["p_value"] < 0.001 else f"p = {row['p_value']:.3f}"
    if not row["significant"]:
        return question, f"Not clearly: {rates}. A gap this size could arise by chance ({row['test']}, {p})."
    direction = "Yes" if row["rate"] > ref["rate"] else "No, less often"
    return question, (
        f"{direction}: {rates}. A gap this large would be unlikely by chance alone ({row['test']}, {p}). It may "
        "reflect differences in the kinds of force used or in how injuries were recorded; it does not show a cause."
    )


def _injury_comparison(page: Page, group: str) -> str:
    assert page.ds is not None
    comparison = uof.compare_groups(page.ds, "subject_injured", group)
    if comparison is None:
        return ""
    table = comparison.table
    what = _title(group).lower()
    shown = pd.DataFrame(
        {
            _title(group): table["group"],
            "injury recorded": table["stops"],
            "person injured": table["flagged"],
            "share injured": table["rate"],
            f"times the {comparison.reference} rate": table["ratio"],
            "p-value": table["p_value"],
            "test": table["test"],
        }
    )
    parts = [
        r.table(
            shown,
            f"injured-by-{group}",
            f"Share of uses of force in which the person was injured, by {what}",
            page.small,
            counts=["injury recorded", "person injured"],
            percents=["share injured"],
            base="injury recorded",
            decimals={f"times the {comparison.reference} rate": 2},
            pvalues=["p-value"],
        )
    ]
    for row in table.itertuples():
        if row.group in (comparison.reference, "unknown") or row.stops < page.small.threshold:
            continue
        parts.append(r.finding(*_injury_finding(comparison, row.group)))
    return "".join(parts)


def injuries(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    parts = [r.heading("5. Injuries")]
    if not ds.has_values("subject_injured"):
        parts.append(
            common.not_recorded(
                "whether the people force was used on were injured",
                "Ask for each person's injuries and whether they were taken to hospital.",
            )
        )
        return "".join(parts)
    recorded, injured = uof.overall_rate(ds, "subject_injured")
    text = (
        f"Of the {recorded:,} uses of force that say whether the person was injured, {injured:,} "
        f"({injured / recorded:.1%}) left the person injured."
    )
    if ds.has_values("subject_hospitalized"):
        taken, hospital = uof.overall_rate(ds, "subject_hospitalized")
        text += f" The person was taken to hospital in {hospital:,} of {taken:,} ({hospital / taken:.1%})."
    parts.append(r.paragraph(text))
    if recorded < ds.rows:
        parts.append(_injury_recording(page, ds.rows - recorded))
    if ds.has_values("force_type"):
        frame = uof.rate_by(ds, "subject_injured", "force_type", top=15)
        parts.append(
            r.table(
                frame.rename(
                    columns={
                        "value": _title("force_type"),
                        "recorded": "injury recorded",
                        "flagged": "person injured",
                        "rate": "share injured",
                    }
                ),
                "injured-by-force_type",
                "Share of uses of force in which the person was injured, by kind of force",
                page.small,
                counts=["injury recorded", "person injured"],
                percents=["share injured"],
                base="injury recorded",
            )
        )
    for group in ("subject_race", "subject_sex"):
        if ds.has_values(group):
            parts.append(_injury_comparison(page, group))
    parts.append(
        r.caveat(
            "Each group is compared with a reference group (white people; women) by a chi-square test, or Fisher's "
            "exact test for small tables. A small p-value says a gap is unlikely to be chance; it says nothing about "
            "why the gap exists. The test treats every use of force as independent; when one incident has many "
            "rows, it overstates how sure we can be. What counts as an injury is the department's recording, not a "
            "medical finding."
        )
    )
    if ds.has_values("officer_injured"):
        recorded, hurt = uof.overall_rate(ds, "officer_injured")
        parts.append(
            r.paragraph(f"An officer was recorded as injured in {hurt:,} of {recorded:,} ({hurt / recorded:.1%}).")
        )
    return "".join(parts)


def _injury_recording(page: Page, missing: int) -> str:
    """How many uses of force leave injuries blank, and in which years: a change in recording shows here."""
    assert page.ds is not None
    years = uof.recorded_by_year(page.ds, "subject_injured")
    years["year"] = years["year"].astype(str)
    note = r.caveat(
        f"{missing:,} uses of force ({missing / page.ds.rows:.1%}) do not say whether the person was injured; they "
        "are left out of every injury rate. Where the table shows years with little or no recording, the rates "
        "speak only for the years that record injuries."
    )
    return note + r.table(
        years.rename(columns={"uses": "uses of force", "recorded": "injury recorded", "share": "share recorded"}),
        "injury-recorded-by-year",
        "Uses of force that say whether the person was injured, by year",
        page.small,
        counts=["uses of force", "injury recorded"],
        percents=["share recorded"],
    )


def _arrests(page: Page) -> Dataset | None:
    """The toolkit's standardized arrests over the same dates, when arrests are configured and processed."""
    if not page.config.sources("arrests") or not r.data_ready(page.config, "arrests"):
        return None
    assert page.ds is not None
    return Dataset(processed_path(page.config.root, "arrests"), page.ds.start, page.ds.end)


def per_arrests(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    parts = [r.heading("6. Uses of force per 1,000 arrests")]
    if page.ds.has_values("state"):
        parts.append(
            r.paragraph(
                "This data covers a whole state or country, not one department, so it is not set against the "
                "city's arrests."
            )
        )
        return "".join(parts)
    arrests = _arrests(page)
    if arrests is None:
        parts.append(
            r.paragraph(
                "Force is often read against arrests, since many uses of force happen during one. This toolkit has "
                "no arrest data yet: add the department's arrests under 'topics: arrests: sources' in toolkit.yaml "
                "and this section will show uses of force per 1,000 arrests, in all and by race."
            )
        )
        return "".join(parts)
    result = uof.per_thousand_arrests(page.ds, arrests)
    if result.start is None:
        parts.append(
            r.paragraph(
                "The arrest data and the use of force data cover different periods, so they cannot be set side by side."
            )
        )
        return "".join(parts)
    everyone = result.table.iloc[0]
    parts.append(
        r.finding(
            f"How often was force used, for every 1,000 arrests, from {result.start:%B %-d, %Y} to "
            f"{result.end:%B %-d, %Y}?",
            f"{everyone['per_1000']:,.1f} uses of force per 1,000 arrests ({int(everyone['uses']):,} uses of force "
            f"and {int(everyone['arrests']):,} arrests over the days both data sets cover).",
        )
    )
    parts.append(
        r.table(
            result.table.rename(
                columns={"group": "Race", "uses": "uses of force", "per_1000": "uses of force per 1,000 arrests"}
            ),
            "force-per-arrests",
            "Uses of force per 1,000 arrests, by race, over the days both data sets cover",
            page.small,
            counts=["uses of force", "arrests"],
            base="uses of force",
            decimals={"uses of force per 1,000 arrests": 1},
        )
    )
    parts.append(
        r.caveat(
            "Not every use of force happens during an arrest, and not every arrest is in the same system as the "
            "force reports. Race may be recorded differently in the two data sets. The rate says how the two counts "
            "compare; it does not say whether force was justified."
        )
    )
    return "".join(parts)


def places(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    parts = [r.heading("7. Where force was used")]
    area = uof.area_column(ds)
    if area is None:
        parts.append(common.not_recorded("where force was used", "Ask for the precinct or district of each incident."))
        return "".join(parts)
    what = _title(area).lower()
    if area == "officer_unit":
        parts.append(
            r.caveat(
                "This data does not record where force was used, only the unit or district each officer was "
                "assigned to. The table below counts uses of force by that unit, not by place."
            )
        )
    frame = uof.counts(ds, area)
    chart = common.chart_rows(page, frame[frame["value"] != "not recorded"].head(15), "uses")
    parts.append(
        r.figure(
            charts.bars(
                chart["value"].tolist(),
                chart["uses"].tolist(),
                f"Uses of force by {what}",
                "uses of force",
                f"Each bar counts the uses of force in one {what} (the 15 with the most). Areas differ in people, "
                "calls and officers on patrol, so counts alone do not show where force is used more readily.",
            )
        )
    )
    parts.append(_counts_table(page, frame, area, "uses-by-area", f"Uses of force by {what}"))
    return "".join(parts)


def officers_and_reviews(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    parts = [r.heading("8. Officers and reviews")]
    spread = uof.officers(ds)
    if spread is None:
        parts.append(
            common.not_recorded(
                "which officer used force",
                "Ask for an officer identifier (the toolkit keeps only a salted hash of it) to see whether a few "
                "officers account for much of the force.",
            )
        )
    else:
        parts.append(
            r.finding(
                "Do a few officers account for much of the force?",
                f"{spread['officers']:,} officers appear in the {spread['with_id']:,} uses of force that name one; "
                f"the median officer appears in {spread['median']:g}. The {spread['top']:,} officers with the "
                f"most (a tenth of them) account for {spread['top_share']:.1%} of those uses of force. Officers in "
                "busy areas or units meet more people; this shows concentration, not misconduct.",
            )
        )
    if ds.has_values("review_outcome"):
        parts.append(
            _counts_table(
                page,
                uof.counts(ds, "review_outcome", top=12),
                "review_outcome",
                "review-outcomes",
                "How the department's reviews ended (its own words)",
            )
        )
    else:
        parts.append(
            common.not_recorded(
                "how the department's review of each use of force ended",
                "Ask whether each use of force was reviewed and found within policy.",
            )
        )
    return "".join(parts)


def closing(page: Page) -> str:
    return common.closing(page, CAVEATS, NEXT_QUESTIONS)
