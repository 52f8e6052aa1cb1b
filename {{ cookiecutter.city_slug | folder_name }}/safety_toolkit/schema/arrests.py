"""Arrests: one row per arrest (or per charge, where the publisher lists charges)."""

from . import Column, Schema
from .common import person, when, where

SCHEMA = Schema(
    topic="arrests",
    description="One row per arrest: when, where, for what offense, and who was arrested.",
    columns=(
        Column("arrest_id", "string", "Identifier of the arrest in the publisher's data."),
        *when("arrest"),
        *where(),
        Column("offense", "string", "The offense charged, as described by the publisher."),
        Column("offense_category", "string", "The publisher's broader offense category."),
        Column("offense_code", "string", "The publisher's offense or statute code."),
        Column(
            "offense_level",
            "category",
            "Seriousness of the top charge.",
            ("felony", "misdemeanor", "violation", "infraction", "other", "unknown"),
        ),
        *person("subject", "person arrested"),
        Column("subject_age_group", "string", "Age group of the person arrested, where only a group is published."),
        Column("subject_name", "string", "Name of the person arrested.", private=True),
        Column("subject_dob", "date", "Date of birth of the person arrested.", private=True),
        Column("agency", "string", "Arresting agency or unit."),
    ),
)
