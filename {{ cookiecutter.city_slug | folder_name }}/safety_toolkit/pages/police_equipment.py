"""The 1033 program (military equipment) report, section by section.

Tables here count item lines and units, not people, and no rate rests on them, so most are not
shaded for small counts; the yearly table, which gives a share, is.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from .. import charts
from .. import report as r
from ..analysis import police_equipment as equipment
from . import common
from .common import Page

CAVEATS = (
    "The DLA's property list is a snapshot: controlled items (such as weapons, tactical vehicles and night-vision "
    "equipment) stay on it while an agency keeps them, but other items drop off one year after they were shipped. "
    "Older years therefore look smaller than they were, and items returned, sold or destroyed are not listed.",
    "The value is the acquisition value (what the military originally paid for one unit) times the quantity. It "
    "is not what the items are worth today, nor what the agency paid: 1033 items are free, apart from shipping "
    "and upkeep.",
    "A transfer is not a use. These files say what an agency received, not when or how it was deployed.",
    "Agencies also buy equipment with their own budgets and federal grants; this program is only one source.",
    "Supply classes are broad: class 5855 holds night-vision goggles and thermal sights alike, and armored "
    "trucks are filed under trucks (2320), not under tactical vehicles.",
)
NEXT_QUESTIONS = (
    "Which of these items does the agency still hold, where are they kept, and how often were they used last year?",
    "What does the agency's policy say about using armored vehicles, robots, aircraft and night-vision equipment, "
    "and who approves each use?",
    "What did the agency write in its requests for the most valuable items (the DLA publishes a justification for "
    "each shipment)?",
    "What do the upkeep, fuel, training and insurance of the transferred vehicles and aircraft cost the local "
    "budget each year?",
    "Did the city council or county board discuss or approve the agency's participation in the program?",
)


def _dollars(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Dollar amounts as text ("$1,234"), for tables."""
    frame = frame.copy()
    for column in columns:
        frame[column] = frame[column].map(lambda v: "—" if pd.isna(v) else f"${v:,.0f}")
    return frame


def _scope(page: Page) -> equipment.Scope:
    assert page.ds is not None
    return equipment.scope(page.ds, page.config.state)


def scope(page: Page) -> str:
    """Which lines the report covers: the agencies of the toolkit's state, and which record type."""
    if not page.ready or page.ds is None:
        return ""
    kept = _scope(page)
    types = equipment.record_types(page.ds)
    if kept.state is None and len(types) < 2:
        return ""
    parts = [r.heading("Which agencies and items this report covers")]
    if kept.state is not None:
        if kept.states == (kept.state,):
            text = f"All {kept.total:,} item lines are for agencies in {kept.state}, the state in toolkit.yaml."
        else:
            text = (
                f"The data holds {kept.total:,} item lines for agencies in {len(kept.states)} states. This report "
                f"keeps the {kept.kept:,} lines of agencies in {kept.state}, the state in toolkit.yaml."
            )
        parts.append(r.paragraph(text))
        if not kept.kept:
            parts.append(
                r.caveat(
                    f"No line in this data is for {kept.state}. Check 'state:' in toolkit.yaml, or use the DLA file "
                    "(or sheet) of this state."
                )
            )
    if len(types) > 1:
        parts.append(
            r.table(
                types.rename(columns={"record_type": "kind of line"}),
                "record-types",
                "Lines by the DLA file they come from",
                page.small,
                counts=["lines"],
            )
        )
        parts.append(
            r.paragraph(
                "The figures on transfers use the property list when the data has one (the quarterly shipments "
                "are mostly on it too), else the shipments; cancelled requests are counted only in their own section."
            )
        )
    return "".join(parts)


def in_scope(page: Page) -> Page:
    """The page limited to the agencies of the toolkit's state (see `scope`)."""
    if not page.ready or page.ds is None:
        return page
    return dataclasses.replace(page, ds=equipment.limit_to(page.ds, _scope(page)))


def _what(page: Page) -> str:
    assert page.ds is not None
    kind = equipment.transfer_type(page.ds)
    return {
        "inventory": "the property the agencies held on the date of the DLA's list",
        "shipment": "the items shipped to the agencies in the period of the DLA's file",
    }.get(kind or "", "the items the agencies received")


def agencies(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    totals = equipment.totals(ds)
    if not totals["lines"]:
        return ""
    parts = [r.heading("2. Which agencies received the most")]
    parts.append(
        r.paragraph(
            f"The figures below count {_what(page)}: {totals['lines']:,} item lines, {totals['units']:,.0f} units, "
            f"held by {totals['agencies']:,} agencies, with an acquisition value of ${totals['value']:,.0f} "
            "(the original price of one unit times the quantity)."
        )
    )
    if totals["unvalued"]:
        parts.append(r.caveat(f"{totals['unvalued']:,} lines have no quantity or value and add nothing to the sums."))
    years = equipment.by_year(ds)
    if len(years):
        parts.append(
            r.figure(
                charts.columns(
                    years["year"].astype(str).tolist(),
                    (years["value"] / 1000).tolist(),
                    "Acquisition value by year shipped",
                    "thousands of dollars",
                    "Each bar adds up the value of the items shipped in that year that the list still holds. "
                    "Non-controlled items drop off the list after a year, so older years are undercounted.",
                )
            )
        )
        shown = years.rename(
            columns={"top_agency": "agency receiving the most", "top_value": "its value", "top_share": "its share"}
        )
        shown["year"] = shown["year"].astype(str)
        parts.append(
            r.table(
                _dollars(shown, "value", "its value"),
                "value-by-year",
                "Value by year shipped, and the agency that received the most each year",
                page.small,
                counts=["lines", "units"],
                percents=["its share"],
                base="lines",
            )
        )
    undated = equipment.undated(ds)
    if undated:
        parts.append(
            r.paragraph(
                f"{undated:,} lines have no ship date or a placeholder date (such as 1980-01-01) and are left out "
                "of the figures by year; they count everywhere else."
            )
        )
    top = equipment.top_agencies(ds)
    parts.append(
        r.figure(
            charts.bars(
                top["agency"].head(10).tolist(),
                (top["value"].head(10) / 1000).tolist(),
                "Agencies by acquisition value received",
                "thousands of dollars",
                "The ten agencies whose items add up to the most value, all years together. One armored vehicle can "
                "outweigh thousands of small items.",
            )
        )
    )
    parts.append(
        r.table(
            _dollars(top, "value").rename(columns={"first_year": "first year", "last_year": "last year"}),
            "top-agencies",
            "Agencies by acquisition value received, all years",
            page.small,
            counts=["lines", "units"],
        )
    )
    first = top.iloc[0]
    parts.append(
        r.finding(
            "Which agency received the most, by value?",
            f"{first['agency']}: ${first['value']:,.0f} in {first['lines']:,} item lines "
            f"({first['value'] / totals['value']:.1%} of the value in this report).",
        )
    )
    named = equipment.agencies_named(ds, page.config.city)
    if len(named):
        parts.append(
            r.table(
                _dollars(named, "value"),
                "city-agencies",
                f"Agencies whose name includes “{page.config.city}”",
                page.small,
                counts=["lines", "units"],
            )
        )
    else:
        parts.append(r.paragraph(f"No agency in this data has “{page.config.city}” in its name."))
    return "".join(parts)


def _item_labels(frame: pd.DataFrame) -> list[str]:
    """Chart labels: the item name and its supply class (several classes can hold items of one name)."""
    return [f"{item[:45]} ({cls})" for item, cls in zip(frame["item"], frame["supply_class"], strict=True)]


def _items_table(frame: pd.DataFrame, table_id: str, caption: str, page: Page) -> str:
    shown = _dollars(frame, "value").rename(columns={"supply_class": "supply class"})
    return r.table(shown, table_id, caption, page.small, counts=["lines", "units", "agencies"])


def items(page: Page) -> str:
    if not page.ready or page.ds is None or not equipment.totals(page.ds)["lines"]:
        return ""
    ds = page.ds
    parts = [r.heading("3. Which items")]
    by_value = equipment.top_items(ds, "value")
    parts.append(
        r.figure(
            charts.bars(
                _item_labels(by_value.head(10)),
                (by_value["value"].head(10) / 1000).tolist(),
                "Items by acquisition value",
                "thousands of dollars",
                "The ten items whose lines add up to the most value, with their supply class. Item names are the "
                "DLA's, abbreviated as it writes them.",
            )
        )
    )
    parts.append(_items_table(by_value, "top-items-by-value", "Items by acquisition value", page))
    parts.append(_items_table(equipment.top_items(ds, "units"), "top-items-by-units", "Items by number of units", page))
    return "".join(parts)


def supply_classes(page: Page) -> str:
    if not page.ready or page.ds is None or not equipment.totals(page.ds)["lines"]:
        return ""
    frame = equipment.supply_classes(page.ds)
    return (
        r.heading("4. Items by supply class")
        + r.paragraph(
            "The first four digits of an item's National Stock Number are its Federal Supply Class: 1005 is guns "
            "up to 30 mm, 5855 night-vision equipment, 2355 wheeled combat and tactical vehicles, and so on."
        )
        + r.table(
            _dollars(frame, "value").rename(columns={"supply_class": "supply class"}),
            "supply-classes",
            "Supply classes by acquisition value",
            page.small,
            counts=["lines", "units"],
        )
    )


def highlights(page: Page) -> str:
    if not page.ready or page.ds is None or not equipment.totals(page.ds)["lines"]:
        return ""
    ds = page.ds
    parts = [r.heading("5. Vehicles, aircraft, robots and surveillance equipment")]
    held = "hold" if equipment.transfer_type(ds) == "inventory" else "receive"
    for slug, (title, classes) in equipment.HIGHLIGHTS.items():
        names = "; ".join(f"{c} {equipment.CLASS_NAMES.get(c, '')}".strip() for c in classes)
        parts.append(r.heading(title, 3))
        parts.append(r.paragraph(f"Supply classes: {names}."))
        by_agency = equipment.highlighted_by_agency(ds, classes)
        if not len(by_agency):
            parts.append(r.paragraph("No agency in this report holds items of these classes."))
            continue
        parts.append(
            r.finding(
                f"How much of this equipment do agencies in {page.config.state} {held}?",
                f"{by_agency['units'].sum():,.0f} units in {by_agency['lines'].sum():,} item lines, held by "
                f"{len(by_agency):,} agencies, with an acquisition value of ${by_agency['value'].sum():,.0f}.",
            )
        )
        shown = by_agency.head(15)
        more = f"; the {len(shown)} of {len(by_agency)} with the most value" if len(by_agency) > len(shown) else ""
        parts.append(
            r.table(
                _dollars(shown, "value"),
                f"{slug}-by-agency",
                f"{title}: agencies holding them{more}",
                page.small,
                counts=["lines", "units"],
            )
        )
        parts.append(
            _items_table(
                equipment.top_items(ds, "value", classes=classes),
                f"{slug}-items",
                f"{title}: items by acquisition value",
                page,
            )
        )
    return "".join(parts)


def cancellations(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    frame = equipment.cancellations(page.ds)
    if not len(frame):
        return ""
    return (
        r.heading("6. Requests that were cancelled")
        + r.paragraph(
            f"{int(frame['requests'].sum()):,} requests for {frame['units'].sum():,.0f} units were cancelled. They "
            "show what agencies asked for, not what they received; most cancellations are routine (another agency "
            "got the item first)."
        )
        + r.table(
            _dollars(frame, "value").rename(columns={"value": "value requested"}),
            "cancellations-by-reason",
            "Cancelled requests by the reason the DLA gave",
            page.small,
            counts=["requests", "units"],
        )
    )


def closing(page: Page) -> str:
    return common.closing(page, CAVEATS, NEXT_QUESTIONS)
