"""The warrants report, section by section."""

from __future__ import annotations

import dataclasses

import pandas as pd

from .. import charts
from .. import report as r
from ..analysis import warrants
from . import common
from .common import Page

CAVEATS = (
    "A warrant is an accusation or a court's order to appear, not a finding of guilt.",
    "A published list of wanted people is a selection the agency makes; it is not every warrant the courts "
    "issued, and it can stop being updated without notice.",
    "Unless the data has a status and a date of service, it cannot say which warrants were served, recalled or "
    "are still outstanding. A warrant that leaves a published list was not necessarily served.",
    "Race and sex are as the agency recorded them, and the labels may mix race and ethnicity.",
    "Small numbers swing widely; shaded cells say where that applies.",
)
NEXT_QUESTIONS = (
    "How many warrants are outstanding today, by type and by the year they were issued, and how many are more "
    "than five years old?",
    "How many warrants are for missed court dates or unpaid fines rather than new offenses?",
    "How are warrants served, who decides which ones to pursue, and how many people are arrested on a warrant "
    "during traffic stops?",
    "Will the agency or the court publish every warrant with its status and the dates it was issued, served or "
    "recalled?",
    "How does the agency choose which warrants to post publicly, and for how long?",
)
TITLES = {"subject_race": "Race", "subject_sex": "Sex", "warrant_type": "Type of warrant", "status": "Status"}


def folding(page: Page) -> str:
    """Says so when the data lists warrants several times (saved copies of a list, one row per charge)."""
    if not page.ready or page.ds is None:
        return ""
    folded = warrants.one_row_per_warrant(page.ds)
    if folded.rows == page.ds.rows:
        return ""
    return r.heading("One row per warrant") + r.paragraph(
        f"This data lists some warrants more than once: its {page.ds.rows:,} rows hold {folded.rows:,} warrants "
        "(by warrant number). Every figure below counts each warrant once, with its earliest date, its charges "
        "and the first and last time it was listed."
    )


def one_row_per_warrant(page: Page) -> Page:
    """The page with each warrant once (see `folding`)."""
    if not page.ready or page.ds is None:
        return page
    return dataclasses.replace(page, ds=warrants.one_row_per_warrant(page.ds))


def _counts_table(frame: pd.DataFrame, column: str, page: Page) -> str:
    return r.table(
        frame.rename(columns={"value": TITLES[column], "share": "share of warrants"}),
        f"warrants-by-{column.replace('_', '-')}",
        f"Warrants by {TITLES[column].lower()}",
        page.small,
        counts=["warrants"],
        percents=["share of warrants"],
        base="warrants",
    )


def _list_window(page: Page) -> str:
    assert page.ds is not None
    window = warrants.list_window(page.ds)
    if window is None:
        return ""
    parts = [
        r.paragraph(
            f"The warrants were seen on copies of a published list saved from {window['first_seen']:%B %-d, %Y} to "
            f"{window['last_seen']:%B %-d, %Y}. A warrant stayed on the list for {window['median_days']:,.0f} days "
            f"(the median, from the first to the last copy that showed it); the last copy showed "
            f"{window['on_last']:,} warrants."
        )
    ]
    if window["newest"] is not None:
        stale = (window["last_seen"] - window["newest"]).days
        parts.append(
            r.finding(
                "Was the list kept up to date?",
                f"The newest warrant on it was received on {window['newest']:%B %-d, %Y}, {stale:,} days before the "
                "last saved copy. "
                + (
                    "For months before the last copy, the list added no new warrant: it may have stopped being updated."
                    if stale > 90
                    else "New warrants kept appearing until the end."
                ),
            )
        )
    return "".join(parts)


def over_time(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    years = warrants.by_year(ds)
    parts = [r.heading("2. Issued, served and outstanding over time")]
    if len(years):
        parts.append(
            r.figure(
                charts.columns(
                    years["year"].astype(str).tolist(),
                    years["warrants"].tolist(),
                    "Warrants by year issued or received",
                    "warrants",
                    "Each bar counts the warrants dated in that year (issued, or received by the agency). The first "
                    "and last years may be partial: see the months in section 1.",
                )
            )
        )
        shown = years.assign(year=years["year"].astype(str))
        parts.append(
            r.table(
                shown,
                "warrants-by-year",
                "Warrants by year, and where they stand",
                page.small,
                counts=["warrants", *warrants.STATUSES],
                base="warrants",
            )
        )
    if warrants.status_recorded(ds):
        parts.append(_served(page))
    else:
        parts.append(
            r.finding(
                "Can this data say which warrants were served?",
                "No. It records no status for any warrant (or only 'unknown'), so it cannot say which warrants were "
                "served, recalled or are still outstanding.",
            )
        )
    parts.append(_list_window(page))
    return "".join(parts)


def _served(page: Page) -> str:
    assert page.ds is not None
    years = warrants.by_year(page.ds)
    total, served = int(years["warrants"].sum()), int(years["served"].sum())
    parts = [
        r.finding(
            "How many warrants were served?",
            f"{served:,} of {total:,} warrants ({served / total:.1%}) are recorded as served; "
            f"{int(years['outstanding'].sum()):,} as outstanding.",
        )
    ]
    timing = warrants.time_to_service(page.ds)
    if len(timing):
        timing["year"] = timing["year"].astype(str)
        parts.append(
            r.table(
                timing.rename(columns={"median_days": "median days to service"}),
                "time-to-service",
                "Days from issue to service, by year issued (served warrants with both dates)",
                page.small,
                counts=["served"],
                decimals={"median days to service": 0},
                base="served",
            )
        )
        parts.append(r.caveat("Recent warrants have had less time to be served; their medians are shorter."))
    return "".join(parts)


def charges(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    parts = [r.heading("3. What the warrants are for")]
    if ds.has_values("warrant_type"):
        parts.append(_counts_table(warrants.counts(ds, "warrant_type"), "warrant_type", page))
    else:
        parts.append(r.paragraph("This data does not record the type of warrant (arrest, bench, search...)."))
    if not ds.has_values("offense"):
        parts.append(r.paragraph("This data does not record what the warrants are for."))
        return "".join(parts)
    frame = warrants.charges(ds)
    top = frame.head(10)
    parts.append(
        r.figure(
            charts.bars(
                top["charge"].str.slice(0, 60).tolist(),
                top["warrants"].tolist(),
                "Warrants by charge",
                "warrants",
                "The ten charges listed most often. A warrant with several charges counts under each. Charges are "
                "accusations, not convictions.",
            )
        )
    )
    parts.append(
        r.table(
            frame.head(25).rename(columns={"share": "share of warrants"}),
            "warrants-by-charge",
            "Warrants by charge (the 25 most frequent; a warrant with several charges counts under each)",
            page.small,
            counts=["warrants"],
            percents=["share of warrants"],
            base="warrants",
        )
    )
    first = frame.iloc[0]
    parts.append(
        r.finding(
            "Which charge appears most often?",
            f"{first['charge']}: on {first['warrants']:,} of {ds.rows:,} warrants ({first['share']:.1%}).",
        )
    )
    several = warrants.several_numbers(ds)
    if several:
        parts.append(
            r.paragraph(
                f"{several:,} listings hold more than one warrant number (e.g. two warrants for one person); each "
                "listing counts once."
            )
        )
    return "".join(parts)


def people(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds = page.ds
    shown = [c for c in ("subject_race", "subject_sex") if ds.has_values(c)]
    if not shown:
        return r.heading("4. Who is named in the warrants") + r.paragraph(
            "This data does not record the race or sex of the people named."
        )
    parts = [r.heading("4. Who is named in the warrants")]
    for column in shown:
        parts.append(_counts_table(warrants.counts(ds, column), column, page))
    if len(shown) == 2:
        table = warrants.race_by_sex(ds).reset_index()
        parts.append(
            r.table(
                table.rename(columns={"race": "Race"}),
                "warrants-by-race-and-sex",
                "Warrants by race and sex",
                page.small,
                counts=[c for c in table.columns if c != "race"],
                base="warrants",
            )
        )
    parts.append(
        r.caveat(
            "These are the people named in the warrants in this data, as the agency recorded their race and sex. "
            "Comparing them with the population says nothing by itself about who commits offenses: it reflects "
            "who is charged, who misses court dates, and which warrants the agency lists."
        )
    )
    return "".join(parts)


def closing(page: Page) -> str:
    return common.closing(page, CAVEATS, NEXT_QUESTIONS)
