"""Figures the catalog holds for particular cities (catalog/places.csv), filled into toolkit.yaml when one matches."""

from __future__ import annotations

from functools import cache
from typing import Any

from .files import catalog_csv
from .states import state_code


@cache
def _places() -> dict[tuple[str, str], dict[str, str]]:
    return {(row["state"], row["city"].casefold()): row for row in catalog_csv("places.csv")}


def known_population(city: object, state: object) -> dict[str, Any]:
    """The population the catalog holds for this city, with its source and year; {} when it holds none."""
    row = _places().get((state_code(state), " ".join(str(city).split()).casefold()))
    if not row:
        return {}
    by_race = {race: int(row[f"population_{race}"]) for race in ("white", "black") if row[f"population_{race}"]}
    return {
        "total": int(row["population_total"]),
        "by_race": by_race,
        "year": int(row["population_year"]),
        "source": row["population_source"],
    }
