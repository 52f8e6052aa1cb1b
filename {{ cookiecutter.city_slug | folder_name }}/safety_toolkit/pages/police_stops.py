"""The police stops report, section by section."""

from __future__ import annotations

import pandas as pd

from .. import charts
from .. import report as r
from ..analysis import police_stops as stops
from .common import Page

CAVEATS = (
    "Race and sex are usually what the officer perceived, not what the person would say.",
    "A difference between groups is not, by itself, proof of discrimination: groups can differ in where "
    "and how they travel, and in why they were stopped.",
    "Rates built on small numbers swing widely from year to year; shaded cells say where that applies.",
    "Recording rules change. Compare periods only when the monthly counts above show steady recording.",
    "Population figures, used elsewhere to compare stop rates, count residents, not who drives or walks where.",
)
NEXT_QUESTIONS = (
    "Which precincts or neighborhoods account for the gaps in search rates, and did the gaps change over time?",
    "How often did searches find anything (contraband), and does that hit rate differ by group?",
    "What does the department's policy say about when officers may search a vehicle or frisk a person?",
    "Who records race and when: before or after the contact? What happens to stops recorded outside the "
    "squad car's computer?",
)


def _title(group: str) -> str:
    return stops.GROUP_TITLES.get(group, group)


def overview(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds = page.ds
    span = stops.date_range(ds)
    parts = [r.heading("2. When the stops happened")]
    parts.append(
        r.paragraph(
            f"The data records {span['rows']:,} stops from {span['first']:%B %-d, %Y} to {span['last']:%B %-d, %Y}."
            + (f" {span['undated']:,} stops have no date and appear in no monthly figure." if span["undated"] else "")
        )
    )
    unrecorded = stops.without_key_fields(ds)
    if unrecorded:
        parts.append(
            r.caveat(
                f"{unrecorded:,} stops ({unrecorded / span['rows']:.1%}) record neither the person's race nor "
                "whether anyone was searched. They count in the totals but cannot enter any comparison by race "
                "or any search rate below."
            )
        )
    hours = stops.stops_by_hour(ds)
    if len(hours):
        parts.append(
            r.figure(
                charts.columns(
                    [f"{h:02d}:00" for h in hours["hour"]],
                    hours["stops"].tolist(),
                    "Stops by hour of the day",
                    "stops",
                    "Each bar counts the stops that began in that hour, local time, over the whole period. "
                    "Stops per month are in section 1.",
                )
            )
        )
    parts.append(r.heading("3. Who was stopped, and why"))
    for column in ("subject_sex", "subject_race", "reason_for_stop"):
        if not ds.has_values(column):
            parts.append(r.paragraph(f"This data does not record {_title(column).lower()}."))
            continue
        frame = stops.counts(ds, column)
        parts.append(
            r.figure(
                charts.bars(
                    frame["value"].tolist(),
                    frame["stops"].tolist(),
                    f"Stops by {_title(column).lower()}",
                    "stops",
                    "Counts of stops, not of people: one person stopped twice counts twice. "
                    + ("Race is the officer's perception." if column == "subject_race" else ""),
                )
            )
        )
        parts.append(
            r.table(
                frame.rename(columns={"value": _title(column), "share": "share of stops"}),
                f"stops-by-{column}",
                f"Stops by {_title(column).lower()}",
                page.small,
                counts=["stops"],
                percents=["share of stops"],
                base="stops",
            )
        )
    return "".join(parts)


def reasons(page: Page) -> str:
    if not page.ready or page.ds is None or not page.ds.has_values("reason_for_stop"):
        return ""
    parts = [r.heading("4. Reasons for stops, by group")]
    for group in ("subject_race", "subject_sex"):
        if not page.ds.has_values(group):
            continue
        table = stops.breakdown(page.ds, group, "reason_for_stop").reset_index()
        shares = [c for c in table.columns if c not in (_title(group), "stops")]
        parts.append(
            r.table(
                table,
                f"reason-by-{group}",
                f"Reason for stop by {_title(group).lower()} (share of each group's stops)",
                page.small,
                counts=["stops"],
                percents=shares,
                base="stops",
            )
        )
    parts.append(
        r.caveat(
            "The reason is what the officer recorded. A larger share of 'suspicious' stops for a group means "
            "officers more often recorded that reason for that group, not that the group was more suspicious."
        )
    )
    return "".join(parts)


def _rate_section(page: Page, flag: str, group: str) -> str:
    assert page.ds is not None
    comparison = stops.rate_by_group(page.ds, flag, group)
    what, clause = stops.FLAG_TITLES[flag], stops.FLAG_CLAUSES[flag]
    table = comparison.table
    labels = [f"{g} (reference)" if g == comparison.reference else g for g in table["group"]]
    parts = [
        r.figure(
            charts.bars(
                labels,
                table["rate"].tolist(),
                f"Stops in which {clause.split(' (')[0]}, by {_title(group).lower()}",
                "share of stops",
                f"Each bar is the share of stops of that group in which {clause}; grey is the reference "
                f"group ({comparison.reference}). Only stops with this outcome recorded are counted.",
                percent=True,
                highlight=f"{comparison.reference} (reference)",
            )
        )
    ]
    shown = pd.DataFrame(
        {
            _title(group): table["group"],
            "stops recorded": table["stops"],
            what: table["flagged"],
            "rate": table["rate"],
            f"times the {comparison.reference} rate": table["ratio"],
            "p-value": table["p_value"],
            "test": table["test"],
        }
    )
    parts.append(
        r.table(
            shown,
            f"{flag}-by-{group}",
            f"Share of stops in which {clause}, by {_title(group).lower()}",
            page.small,
            counts=["stops recorded", what],
            percents=["rate"],
            base="stops recorded",
            decimals={f"times the {comparison.reference} rate": 2},
            pvalues=["p-value"],
        )
    )
    if comparison.not_recorded:
        parts.append(
            r.paragraph(
                f"{comparison.not_recorded:,} stops do not record whether {clause}; they are left out of these rates."
            )
        )
    for row in table.itertuples():
        if row.group in (comparison.reference, "unknown") or row.stops < page.small.threshold:
            continue
        question, answer = comparison.finding(row.group)
        parts.append(r.finding(question, answer))
    return "".join(parts)


def searches(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    parts = [r.heading("5. Searches and frisks")]
    for flag in ("search_vehicle", "frisk_performed", "search_person", "search_conducted"):
        if not page.ds.has_values(flag):
            continue
        for group in ("subject_race", "subject_sex"):
            if page.ds.has_values(group):
                parts.append(r.heading(f"Stops in which {stops.FLAG_CLAUSES[flag]}, by {_title(group).lower()}", 3))
                parts.append(_rate_section(page, flag, group))
    if len(parts) == 1:
        return ""
    parts.append(
        r.caveat(
            "Each group is compared with a reference group (white people; women) by a chi-square test on the "
            "2×2 table of searched / not searched, or Fisher's exact test for small tables. A small p-value "
            "says the gap is unlikely to be chance; it says nothing about why the gap exists."
        )
    )
    return "".join(parts)


def citations(page: Page) -> str:
    if not page.ready or page.ds is None or not page.ds.has_values("citation_issued"):
        return ""
    parts = [r.heading("6. Stops that ended without a citation")]
    parts.append(
        r.paragraph(
            "A stop that ends without a ticket may still have cost the person time, a search or worse. "
            "Researchers (Lerman and Weaver) read a larger share of such stops for a group as a sign that the "
            "group is stopped on weaker grounds; it is a question to ask, not a conclusion."
        )
    )
    for group in ("subject_race", "subject_sex"):
        if not page.ds.has_values(group):
            continue
        frame = stops.without_citation(page.ds, group)
        parts.append(
            r.table(
                frame.rename(
                    columns={
                        "group": _title(group),
                        "stops": "stops recorded",
                        "without_citation": "without citation",
                        "share": "share without",
                    }
                ),
                f"without-citation-by-{group}",
                f"Stops that ended without a citation, by {_title(group).lower()}",
                page.small,
                counts=["stops recorded", "without citation"],
                percents=["share without"],
                base="stops recorded",
            )
        )
    missing = int(page.ds.scalar("SELECT count(*) FROM data WHERE citation_issued IS NULL"))
    if missing:
        parts.append(
            r.caveat(f"{missing:,} stops do not record whether a citation was issued; they are left out above.")
        )
    return "".join(parts)


def closing(page: Page) -> str:
    if not page.ready:
        return ""
    return (
        r.heading("What these numbers cannot tell you")
        + r.bullets(CAVEATS)
        + r.heading("Questions to ask next")
        + r.bullets(NEXT_QUESTIONS)
    )
