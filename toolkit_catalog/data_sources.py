"""A state's list of public police data (references/data_sources/<state>.md): the catalog's datasets of the state,
grouped by agency and kind of data, with one link per published page."""

from __future__ import annotations

import re
from typing import Any

from .datasets import Row, all_datasets, dataset_url, is_city_dataset, topic_of_table_type
from .states import find_state, state_name

PORTALS = ("Socrata", "CKAN", "ArcGIS", "Opendatasoft", "Carto")
YEAR_RANGE = "{}\u2013{}"  # two years with an en dash between, as a range of years is typeset


def years_covered(rows: list[Row]) -> str:
    """The years some datasets cover: a range ("2010" en dash "2026"), one year, or "" when the catalog does not say."""
    years = {int(r["Year"]) for r in rows if r["Year"].isdigit()}
    for row in rows:
        years |= {int(d[-4:]) for d in (row["coverage_start"], row["coverage_end"]) if d[-4:].isdigit()}
    if not years:
        return ""
    return YEAR_RANGE.format(min(years), max(years)) if len(years) > 1 else str(min(years))


def dataset_groups(rows: list[Row]) -> list[dict[str, Any]]:
    """Rows of known_datasets.csv by agency, then by kind of data, with one link per published page."""
    topics = topic_of_table_type()
    agencies: dict[tuple[str, str], dict[str, list[Row]]] = {}
    for row in rows:
        agency = row["AgencyFull"].strip() or ("Several agencies" if row["Agency"] == "MULTIPLE" else row["Agency"])
        agencies.setdefault((row["SourceName"], agency), {}).setdefault(row["TableType"], []).append(row)
    groups = []
    for (source, agency), kinds in sorted(agencies.items()):
        datasets = []
        for kind, kind_rows in sorted(kinds.items()):
            links: dict[str, str] = {}
            for row in sorted(kind_rows, key=lambda r: r["Year"]):
                url = row["source_url"].strip() or dataset_url(row)
                label = row["Year"] if row["Year"].isdigit() else (years_covered([row]) or "data page")
                links.setdefault(url, label)
            datasets.append(
                {
                    "kind": kind.capitalize(),
                    "topic": topics.get(kind, ""),
                    "platform": ", ".join(sorted({r["DataType"] for r in kind_rows})),
                    "years": years_covered(kind_rows),
                    "links": [{"title": label, "url": url} for url, label in links.items()],
                }
            )
        groups.append({"source": source, "agency": agency, "datasets": datasets})
    return groups


def state_data_sources(city: object, state: object) -> dict[str, Any]:
    """What the catalog knows of a state's public police data: statewide datasets and the portals
    they come from, the city's own agencies, then every other agency of the state."""
    name = state_name(state)
    rows = [row for row in all_datasets() if row["State"] == name]
    statewide = [r for r in rows if r["SourceName"] == name]
    local = [r for r in rows if r["SourceName"] != name]
    of_city = [r for r in local if is_city_dataset(r, city)]
    others = [r for r in local if not is_city_dataset(r, city)]
    portals = sorted(
        {
            re.sub(r"^https?://", "", r["URL"].strip()).split("/")[0]
            for r in statewide
            if r["DataType"] in PORTALS and r["URL"].strip()
        }
    )
    statewide_groups = dataset_groups(statewide)
    found = find_state(state)
    return {
        "fips": found.fips if found else "",
        "portals": portals,
        "statewide": statewide_groups,
        "stops": [d for g in statewide_groups for d in g["datasets"] if d["topic"] == "police_stops"],
        "city": dataset_groups(of_city),
        "others": dataset_groups(others),
        "count": len(rows),
    }
