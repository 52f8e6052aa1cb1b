"""Columns several topics share, defined once so that every topic spells them the same way."""

from __future__ import annotations

from . import Column

RACES = ("asian/pacific islander", "black", "hispanic", "white", "other", "unknown")
SEXES = ("male", "female", "non-binary", "unknown")
AGE_RANGE = (10.0, 110.0)


def when(what: str) -> tuple[Column, ...]:
    return (
        Column("date", "date", f"Date of the {what}, local time.", required=True),
        Column("time", "time", f"Clock time of the {what}, local time (HH:MM:SS)."),
    )


def where() -> tuple[Column, ...]:
    return (
        Column("location", "string", "Street address or place, as free text.", private=True),
        Column("lat", "float", "Latitude (WGS84).", valid_range=(-90.0, 90.0)),
        Column("lng", "float", "Longitude (WGS84).", valid_range=(-180.0, 180.0)),
        Column("precinct", "string", "Police precinct."),
        Column("district", "string", "Police district, sector or division."),
        Column("beat", "string", "Police beat."),
        Column("neighborhood", "string", "Neighborhood, community area or ZIP code."),
    )


def person(prefix: str, who: str, perceived: bool = True) -> tuple[Column, ...]:
    seen = ", usually as the officer perceived it" if perceived else ""
    return (
        Column(
            f"{prefix}_race",
            "category",
            f"Race of the {who}{seen}; Hispanic ethnicity counts as hispanic whatever the race.",
            RACES,
        ),
        Column(f"{prefix}_sex", "category", f"Sex or gender of the {who}, as recorded.", SEXES),
        Column(f"{prefix}_age", "float", f"Age of the {who}, in years.", valid_range=AGE_RANGE),
    )


def officer() -> tuple[Column, ...]:
    return (
        Column("officer_id", "string", "The officer's identifier (badge, employee number).", private=True),
        *person("officer", "officer", perceived=False),
        Column("officer_years_of_service", "float", "Years the officer had served.", valid_range=(0.0, 60.0)),
        Column("officer_rank", "string", "The officer's rank or position."),
        Column("officer_unit", "string", "The officer's unit or assignment."),
    )
