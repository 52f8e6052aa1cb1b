"""Hate crimes: one row per incident, as in the FBI's hate crime file and city datasets."""

from . import Column, Schema
from .common import RACES, when, where

# The FBI's kinds of bias. "other" also holds incidents whose biases are of several kinds.
BIAS_CATEGORIES = (
    "race/ethnicity/ancestry",
    "religion",
    "sexual orientation",
    "gender",
    "gender identity",
    "disability",
    "age",
    "other",
    "unknown",
)

SCHEMA = Schema(
    topic="hate_crime",
    description="One row per hate crime incident: when, the bias that motivated it, the offense, the victims.",
    columns=(
        Column("incident_id", "string", "Identifier of the incident in the publisher's data."),
        *when("incident"),
        *where(),
        Column(
            "location_type", "string", "Kind of place: residence, street, house of worship... (several joined by ';')."
        ),
        Column("bias_motivation", "string", "The bias recorded as the motive (several are joined by ';')."),
        Column(
            "bias_category",
            "category",
            "The kind of bias, in the FBI's groups; 'other' when an incident's biases are of several kinds.",
            BIAS_CATEGORIES,
        ),
        Column("offense", "string", "The offense(s) (several are joined by ';')."),
        Column(
            "offense_category", "string", "The publisher's grouping or level of the offense (felony, misdemeanor...)."
        ),
        Column(
            "victim_type",
            "string",
            "Kind of victim: individual, business, religious organization... (several joined by ';').",
        ),
        Column("victim_count", "int", "Number of victims.", valid_range=(0, 10_000)),
        Column("offender_count", "int", "Number of offenders.", valid_range=(0, 10_000)),
        Column(
            "offender_race",
            "category",
            "Race of the offender(s) as reported (often by the victim); 'other' for a group of several races.",
            RACES,
        ),
        Column("arrest_made", "bool", "An arrest was made."),
        Column(
            "arrest_date", "date", "Date of the arrest; blank when the publisher records arrests and none was made."
        ),
        Column("agency", "string", "Reporting agency."),
        Column(
            "agency_type", "string", "Kind of reporting agency: city, county, university or college, state police..."
        ),
        Column("agency_ori", "string", "The FBI's identifier of the reporting agency (ORI)."),
        Column("state", "string", "State of the reporting agency (two-letter code)."),
    ),
)
