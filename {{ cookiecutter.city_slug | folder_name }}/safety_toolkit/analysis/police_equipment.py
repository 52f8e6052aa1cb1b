"""Military equipment from the 1033 program: what the agencies of the toolkit's state received.

Follows the original toolkit's 1033 notebook: the value of a line is the acquisition value (the
original price of ONE unit) times the quantity; agencies and items are ranked by that value; items
are grouped by supply class, the first four digits of the National Stock Number (NSN); vehicles,
aircraft and robots, and surveillance equipment are highlighted.

The DLA's files cover every state: the report keeps the rows of the toolkit's state (toolkit.yaml
`state:`). Transfers are read from the property list (record_type "inventory") when the data has
one, else from the quarterly shipments; cancelled requests are only counted in their own table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..quality import PLACEHOLDER_DATES
from ..sql import one_row
from . import Dataset

VALUE = "(quantity * acquisition_value)"
SUPPLY_CLASS = "left(trim(nsn), 4)"
# The supply classes the original toolkit highlights: key -> (title, classes).
HIGHLIGHTS = {
    "vehicles": ("Vehicles, aircraft and robots", ("1385", "1510", "1520", "1550", "2350", "2355", "2360")),
    "surveillance": ("Surveillance equipment", ("5840", "5841", "5845", "5855")),
}
# Names of the Federal Supply Classes that come up most in 1033 transfers.
CLASS_NAMES = {
    "1005": "Guns, through 30 mm",
    "1010": "Guns, over 30 mm up to 75 mm",
    "1240": "Optical sighting and ranging equipment",
    "1385": "Surface use explosive ordnance disposal tools and equipment (robots)",
    "1510": "Aircraft, fixed wing",
    "1520": "Aircraft, rotary wing (helicopters)",
    "1550": "Unmanned aircraft (drones)",
    "2310": "Passenger motor vehicles",
    "2320": "Trucks and truck tractors, wheeled",
    "2330": "Trailers",
    "2340": "Motorcycles, motor scooters and bicycles",
    "2350": "Combat, assault and tactical vehicles, tracked",
    "2355": "Combat, assault and tactical vehicles, wheeled",
    "2360": "Unmanned ground vehicles",
    "4240": "Safety and rescue equipment",
    "5820": "Radio and television communication equipment",
    "5840": "Radar equipment, except airborne",
    "5841": "Radar equipment, airborne",
    "5845": "Underwater sound equipment",
    "5855": "Night vision equipment",
    "6515": "Medical and surgical instruments, equipment and supplies",
    "7110": "Office furniture",
    "8405": "Outerwear, men's",
    "8415": "Clothing, special purpose",
    "8465": "Individual equipment",
}
# Transfers come from the first of these record types the data holds.
TRANSFER_TYPES = ("inventory", "shipment")


@dataclass(frozen=True)
class Scope:
    """Which rows a report covers."""

    total: int  # rows in the data (within the report's dates)
    states: tuple[str, ...]  # the states the data records, most rows first; () when it records none
    state: str | None  # the state kept; None when the data records no state
    kept: int  # rows the report covers
    also: str = "TRUE"  # a further SQL condition on the rows kept

    @property
    def condition(self) -> str:
        state = "TRUE" if self.state is None else "state = '" + self.state.replace("'", "''") + "'"
        return f"({state}) AND ({self.also})"


def scope(ds: Dataset, state: str) -> Scope:
    """The rows of the toolkit's state (all rows when the data records no state)."""
    states = ds.query(
        "SELECT state, count(*) AS n FROM data WHERE state IS NOT NULL GROUP BY 1 ORDER BY n DESC, state"
    )["state"].tolist()
    if not states:
        return Scope(ds.rows, (), None, ds.rows)
    kept = int(ds.scalar("SELECT count(*) FROM data WHERE state = ?", [state]))
    return Scope(ds.rows, tuple(states), state, kept)


def limit_to(ds: Dataset, kept: Scope) -> Dataset:
    """The same data, limited to the rows in scope (the data-quality profile included)."""
    limited = Dataset(ds.path, ds.start, ds.end)
    source = "'" + ds.path.as_posix().replace("'", "''") + "'"
    # Dataset reads everything through the view `everything`; narrowing it narrows every query.
    limited.con.execute(
        f"CREATE OR REPLACE VIEW everything AS SELECT * FROM read_parquet({source}) WHERE {kept.condition}"
    )
    return limited


def limit_to_agencies(ds: Dataset, kept: Scope, agencies: list[str]) -> Dataset:
    """The data in scope, limited further to the lines of the named agencies (a city's own, say)."""
    names = ", ".join("'" + name.replace("'", "''") + "'" for name in agencies) or "NULL"
    return limit_to(ds, Scope(kept.total, kept.states, kept.state, kept.kept, f"agency IN ({names})"))


def record_types(ds: Dataset) -> pd.DataFrame:
    """Lines per record type: record_type, lines."""
    return ds.query(
        "SELECT coalesce(record_type, 'unknown') AS record_type, count(*) AS lines FROM data GROUP BY 1 ORDER BY 2 DESC"
    )


def transfer_type(ds: Dataset) -> str | None:
    """The record type the transfer figures use; None when the data does not say (all lines but
    cancellations are used)."""
    present = set(record_types(ds)["record_type"])
    return next((kind for kind in TRANSFER_TYPES if kind in present), None)


def transfers(ds: Dataset) -> str:
    """SQL condition selecting the transfer lines."""
    kind = transfer_type(ds)
    if kind is None:
        return "coalesce(record_type, 'unknown') <> 'cancellation'"
    return f"record_type = '{kind}'"


def _dated() -> str:
    placeholders = ", ".join(f"DATE '{d.isoformat()}'" for d in PLACEHOLDER_DATES)
    return f"date IS NOT NULL AND date NOT IN ({placeholders})"


def undated(ds: Dataset) -> int:
    """Transfer lines with no date or a placeholder date: left out of the figures by year."""
    return int(ds.scalar(f"SELECT count(*) FROM data WHERE {transfers(ds)} AND NOT ({_dated()})"))


def totals(ds: Dataset) -> dict[str, float]:
    """Transfer lines, units, value, agencies, and lines whose value is unknown."""
    lines, units, value, agencies, unvalued = one_row(
        ds.con,
        f"SELECT count(*), coalesce(sum(quantity), 0), coalesce(sum({VALUE}), 0), count(DISTINCT agency), "
        f"count(*) FILTER (WHERE {VALUE} IS NULL) FROM data WHERE {transfers(ds)}"
    )
    return {"lines": lines, "units": units, "value": value, "agencies": agencies, "unvalued": unvalued}


def by_year(ds: Dataset) -> pd.DataFrame:
    """Per ship year: year, lines, units, value, and the agency that received the most value with its
    value and share of the year's value."""
    frame = ds.query(
        f"""
        WITH lines AS (
            SELECT CAST(year(date) AS INTEGER) AS year, coalesce(agency, 'not recorded') AS agency,
                   quantity, {VALUE} AS value
            FROM data WHERE {transfers(ds)} AND {_dated()}
        ),
        agencies AS (
            SELECT year, agency, coalesce(sum(value), 0) AS value FROM lines GROUP BY 1, 2
        ),
        top AS (
            SELECT year, arg_max(agency, (value, agency)) AS top_agency, max(value) AS top_value
            FROM agencies GROUP BY 1
        )
        SELECT year, count(*) AS lines, coalesce(sum(quantity), 0) AS units, coalesce(sum(value), 0) AS value,
               any_value(top_agency) AS top_agency, any_value(top_value) AS top_value
        FROM lines JOIN top USING (year) GROUP BY 1 ORDER BY 1
        """
    )
    frame["top_share"] = frame["top_value"] / frame["value"].where(frame["value"] > 0)
    return frame


def top_agencies(ds: Dataset, top: int = 15) -> pd.DataFrame:
    """Agencies by the value they received: agency, lines, units, value, first_year, last_year."""
    return ds.query(
        f"SELECT coalesce(agency, 'not recorded') AS agency, count(*) AS lines, coalesce(sum(quantity), 0) AS units, "
        f"coalesce(sum({VALUE}), 0) AS value, "
        f"CAST(min(year(date)) FILTER (WHERE {_dated()}) AS INTEGER) AS first_year, "
        f"CAST(max(year(date)) FILTER (WHERE {_dated()}) AS INTEGER) AS last_year "
        f"FROM data WHERE {transfers(ds)} GROUP BY 1 ORDER BY value DESC, agency LIMIT ?",
        [top],
    )


def agencies_named(ds: Dataset, city: str) -> pd.DataFrame:
    """Agencies whose name contains the city's name: agency, lines, units, value."""
    return ds.query(
        f"SELECT agency, count(*) AS lines, coalesce(sum(quantity), 0) AS units, coalesce(sum({VALUE}), 0) AS value "
        f"FROM data WHERE {transfers(ds)} AND contains(upper(agency), upper(trim(?))) "
        "GROUP BY 1 ORDER BY value DESC, agency",
        [city],
    )


def _classes(classes: tuple[str, ...]) -> str:
    return f"{SUPPLY_CLASS} IN ({', '.join(repr(c) for c in classes)})"


def top_items(ds: Dataset, by: str = "value", top: int = 15, classes: tuple[str, ...] = ()) -> pd.DataFrame:
    """Items ranked by total value or by units, optionally only those of some supply classes:
    item, supply_class, lines, units, value, agencies."""
    order = {"value": "value", "units": "units"}[by]
    only = f"AND {_classes(classes)}" if classes else ""
    return ds.query(
        f"SELECT coalesce(item_name, 'not recorded') AS item, {SUPPLY_CLASS} AS supply_class, count(*) AS lines, "
        f"coalesce(sum(quantity), 0) AS units, coalesce(sum({VALUE}), 0) AS value, count(DISTINCT agency) AS agencies "
        f"FROM data WHERE {transfers(ds)} {only} GROUP BY 1, 2 ORDER BY {order} DESC, item LIMIT ?",
        [top],
    )


def supply_classes(ds: Dataset, top: int = 20) -> pd.DataFrame:
    """Supply classes by value: supply_class, name, lines, units, value."""
    frame = ds.query(
        f"SELECT coalesce({SUPPLY_CLASS}, 'none') AS supply_class, count(*) AS lines, "
        f"coalesce(sum(quantity), 0) AS units, coalesce(sum({VALUE}), 0) AS value "
        f"FROM data WHERE {transfers(ds)} GROUP BY 1 ORDER BY value DESC, supply_class LIMIT ?",
        [top],
    )
    frame.insert(1, "name", frame["supply_class"].map(CLASS_NAMES).fillna(""))
    return frame


def highlighted_by_agency(ds: Dataset, classes: tuple[str, ...]) -> pd.DataFrame:
    """Agencies holding items of the given supply classes, by value: agency, lines, units, value."""
    return ds.query(
        f"SELECT coalesce(agency, 'not recorded') AS agency, count(*) AS lines, coalesce(sum(quantity), 0) AS units, "
        f"coalesce(sum({VALUE}), 0) AS value FROM data WHERE {transfers(ds)} AND {_classes(classes)} "
        "GROUP BY 1 ORDER BY value DESC, agency"
    )


def cancellations(ds: Dataset, top: int = 8) -> pd.DataFrame:
    """Cancelled requests by the reason given, the `top` reasons and the rest together: reason,
    requests, units, value (of the items asked for)."""
    frame = ds.query(
        f"SELECT coalesce(nullif(trim(cancel_reason), ''), 'no reason given') AS reason, count(*) AS requests, "
        f"coalesce(sum(quantity), 0) AS units, coalesce(sum({VALUE}), 0) AS value "
        "FROM data WHERE record_type = 'cancellation' GROUP BY 1 ORDER BY requests DESC, reason"
    )
    if len(frame) <= top:
        return frame
    rest = frame.iloc[top:]
    other = {"reason": f"{len(rest)} other reasons", **rest[["requests", "units", "value"]].sum().to_dict()}
    return pd.concat([frame.head(top), pd.DataFrame([other])], ignore_index=True)
