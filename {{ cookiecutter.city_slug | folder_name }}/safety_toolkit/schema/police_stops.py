"""Police stops, after the Stanford Open Policing Project's standard (columns a local toolkit needs)."""

from . import Column, Schema

RACES = ("asian/pacific islander", "black", "hispanic", "white", "other", "unknown")
SEXES = ("male", "female", "non-binary", "unknown")

SCHEMA = Schema(
    topic="police_stops",
    description="One row per stop: when and where, who was stopped, why, and what the officer did.",
    columns=(
        Column("raw_row_number", "string", "Identifier of the stop in the publisher's data."),
        Column("date", "date", "Date of the stop, local time."),
        Column("time", "time", "Clock time of the stop, local time (HH:MM:SS)."),
        Column("location", "string", "Where the stop happened, as free text.", private=True),
        Column("lat", "float", "Latitude of the stop (WGS84)."),
        Column("lng", "float", "Longitude of the stop (WGS84)."),
        Column("precinct", "string", "Police precinct."),
        Column("district", "string", "Police district."),
        Column("beat", "string", "Police beat."),
        Column("neighborhood", "string", "Neighborhood."),
        Column("subject_age", "float", "Age of the person stopped, in years."),
        Column(
            "subject_race",
            "category",
            "Race of the person stopped, usually as the officer perceived it; hispanic ethnicity overrides race.",
            RACES,
        ),
        Column("subject_sex", "category", "Sex or gender of the person stopped, as recorded.", SEXES),
        Column("officer_id", "string", "The publisher's officer identifier (hashed before any report).", private=True),
        Column("type", "category", "Vehicular or pedestrian stop.", ("vehicular", "pedestrian", "unknown")),
        Column("reason_for_stop", "string", "Why the officer made the stop, as recorded."),
        Column("violation", "string", "Violation(s) recorded."),
        Column("disposition", "string", "How the stop was closed, as recorded."),
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
