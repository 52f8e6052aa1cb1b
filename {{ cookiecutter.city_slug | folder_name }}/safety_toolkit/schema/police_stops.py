"""Police stops, after the Stanford Open Policing Project's standard (the columns a local toolkit needs)."""

from . import Column, Schema
from .common import officer, person, when, where

SCHEMA = Schema(
    topic="police_stops",
    description="One row per stop: when and where, who was stopped, why, and what the officer did.",
    columns=(
        Column("raw_row_number", "string", "Identifier of the stop in the publisher's data."),
        *when("stop"),
        *where(),
        *person("subject", "person stopped"),
        Column("subject_name", "string", "Name of the person stopped.", private=True),
        Column("subject_dob", "date", "Date of birth of the person stopped.", private=True),
        Column("vehicle_plate", "string", "Licence plate of the vehicle stopped.", private=True),
        *officer(),
        Column("type", "category", "Vehicular or pedestrian stop.", ("vehicular", "pedestrian", "unknown")),
        Column("reason_for_stop", "string", "Why the officer made the stop, as recorded."),
        Column("violation", "string", "Violation(s) recorded."),
        Column("disposition", "string", "How the stop was closed, as recorded."),
        Column("agency", "string", "Agency that made the stop (for statewide or multi-agency data)."),
        Column("arrest_made", "bool", "The person was arrested."),
        Column("citation_issued", "bool", "A citation (ticket) was issued."),
        Column("warning_issued", "bool", "A warning was issued."),
        Column(
            "outcome",
            "category",
            "The strictest action taken.",
            ("arrest", "summons", "citation", "warning", "none", "unknown"),
        ),
        Column("search_conducted", "bool", "Any search of the person or the vehicle."),
        Column("search_person", "bool", "The person was searched."),
        Column("search_vehicle", "bool", "The vehicle was searched."),
        Column("frisk_performed", "bool", "The person was frisked (a pat-down search)."),
        Column(
            "search_basis",
            "category",
            "Legal basis of the search.",
            ("k9", "plain view", "consent", "probable cause", "other", "unknown"),
        ),
        Column("contraband_found", "bool", "Contraband was found in a search."),
        Column("contraband_drugs", "bool", "Drugs were found."),
        Column("contraband_weapons", "bool", "Weapons were found."),
    ),
)
