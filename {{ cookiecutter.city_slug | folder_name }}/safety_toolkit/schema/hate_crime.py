"""Hate crimes: one row per incident, as in the FBI's hate crime file and city datasets."""

from . import Column, Schema
from .common import RACES, when, where

SCHEMA = Schema(
    topic="hate_crime",
    description="One row per hate crime incident: when, the bias that motivated it, the offense, the victims.",
    columns=(
        Column("incident_id", "string", "Identifier of the incident in the publisher's data."),
        *when("incident"),
        *where(),
        Column("bias_motivation", "string", "The bias recorded as the motive (several are joined by ';')."),
        Column("bias_category", "string", "The broader kind of bias: race/ethnicity, religion, sexual orientation..."),
        Column("offense", "string", "The offense(s) (several are joined by ';')."),
        Column("offense_category", "string", "The publisher's offense category (e.g. crimes against persons)."),
        Column("victim_type", "string", "Kind of victim: individual, business, religious organization..."),
        Column("victim_count", "int", "Number of victims.", valid_range=(0, 10_000)),
        Column("offender_count", "int", "Number of offenders.", valid_range=(0, 10_000)),
        Column("offender_race", "category", "Race of the offender(s), as reported.", RACES),
        Column("arrest_made", "bool", "An arrest was made."),
        Column("agency", "string", "Reporting agency."),
        Column("agency_ori", "string", "The FBI's identifier of the reporting agency (ORI)."),
        Column("state", "string", "State of the reporting agency (two-letter code)."),
    ),
)
