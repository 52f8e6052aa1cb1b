"""The public police datasets the catalog knows (catalog/known_datasets.csv, from openpolicedata): which of them
a city publishes for a topic, the best one to offer first, and the address the toolkit fetches it from.

The addresses are written with the toolkit's own builders (safety_toolkit/sources/urls.py), the same module whose
patterns read them back when the toolkit fetches.
"""

from __future__ import annotations

import json
from functools import cache

from .files import catalog_csv, toolkit_module
from .states import state_name

Row = dict[str, str]  # a row of known_datasets.csv, with the toolkit topic its TableType feeds under "topic"
# The platforms whose datasets the toolkit's clients fetch from the address the catalog gives.
FETCHED = ("ArcGIS", "Socrata", "CKAN", "Opendatasoft", "Carto", "CSV", "Excel")


@cache
def topic_of_table_type() -> dict[str, str]:
    """known_datasets.csv's TableType -> the toolkit topic it feeds (known_dataset_topics.csv)."""
    return {row["table_type"]: row["topic"] for row in catalog_csv("known_dataset_topics.csv")}


@cache
def all_datasets() -> tuple[Row, ...]:
    """Every row of known_datasets.csv, each with its topic ("" for a kind of data no topic reads)."""
    topics = topic_of_table_type()
    return tuple({**row, "topic": topics.get(row["TableType"], "")} for row in catalog_csv("known_datasets.csv"))


def is_city_dataset(row: Row, city: object) -> bool:
    """True when a dataset is published by the city or its agency of that name."""
    wanted = " ".join(str(city).split()).casefold()
    return wanted in (row["SourceName"].casefold(), row["Agency"].casefold())


def query_filters(row: Row) -> dict[str, str] | None:
    """The catalog's equality filter for a dataset ({} for none); None when it cannot be read."""
    text = row.get("query", "").strip()
    if not text:
        return {}
    for curly, straight in (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'")):
        text = text.replace(curly, straight)
    try:
        filters = json.loads(text)
    except json.JSONDecodeError:
        return None
    return {str(k): str(v) for k, v in filters.items()} if isinstance(filters, dict) else None


def dataset_url(row: Row) -> str:
    """The address the toolkit's clients fetch, built from the catalog's platform, URL and dataset id."""
    urls = toolkit_module("sources/urls.py")
    url, dataset, kind = row["URL"].strip(), row["dataset_id"].strip(), row["DataType"]
    portal = url if url.startswith("http") else f"https://{url}"
    if not dataset:
        return url
    if kind == "Socrata":
        return str(urls.socrata_url(portal, dataset))
    if kind == "CKAN":
        return str(urls.ckan_url(portal, dataset))
    if kind == "Opendatasoft":
        return str(urls.opendatasoft_url(portal, dataset))
    if kind == "Carto":  # the catalog's URL is the Carto account; its filter goes into the SQL
        return str(urls.carto_url(url, dataset, query_filters(row)))
    return url


def known_datasets(city: object, state: object, topic: str) -> list[Row]:
    """Known public datasets of this city's agencies for a topic, best default first."""
    name = state_name(state)
    found = [
        row
        for row in all_datasets()
        if row["topic"] == topic
        and row["State"] == name
        and is_city_dataset(row, city)
        and row["DataType"] in FETCHED
        and query_filters(row) is not None  # a filter we cannot honour would fetch the wrong rows
    ]

    # One dataset covering many years beats a single year; newer years and coverage beat older ones.
    def rank(row: Row) -> tuple[int, str, str]:
        month, day, year = [*row["coverage_end"].split("/"), "", "", ""][:3]
        return (1 if row["Year"] == "MULTIPLE" else 0, row["Year"], f"{year}{month}{day}")

    return sorted(found, key=rank, reverse=True)


def known_source(city: object, state: object, topic: str) -> str:
    """Default answer for a topic's source question: the best known dataset's URL, or blank."""
    rows = known_datasets(city, state, topic)
    return dataset_url(rows[0]) if rows else ""


def known_dataset_for(source: object) -> Row | None:
    """The known dataset whose address is this source answer, if any."""
    text = str(source).strip()
    return next((row for row in all_datasets() if row["topic"] and dataset_url(row) == text), None)
