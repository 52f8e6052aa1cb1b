"""Use of force: one row per use of force on a person (an incident may have several)."""

from . import Column, Schema
from .common import officer, person, when, where

SCHEMA = Schema(
    topic="use_of_force",
    description="One row per use of force on a person: when, where, what force, on whom, with what result.",
    columns=(
        Column("incident_id", "string", "Identifier of the incident in the publisher's data."),
        *when("incident"),
        *where(),
        Column("call_type", "string", "What the police were responding to (the call or problem)."),
        Column("reason", "string", "Why force was used, as recorded."),
        Column("force_type", "string", "The kind of force (e.g. bodily force, taser, chemical irritant)."),
        Column("force_level", "string", "The level or category of force, as the agency grades it."),
        Column("subject_resistance", "string", "The resistance the officer recorded."),
        *person("subject", "person force was used on"),
        Column("subject_id", "string", "The publisher's identifier of the person.", private=True),
        Column("subject_name", "string", "Name of the person.", private=True),
        Column("subject_injured", "bool", "The person was injured."),
        Column("subject_hospitalized", "bool", "The person was taken to hospital."),
        Column("subject_arrested", "bool", "The person was arrested."),
        Column("subject_armed", "bool", "The person was recorded as armed."),
        *officer(),
        Column("officer_injured", "bool", "The officer was injured."),
        Column("dispatched_911", "bool", "The incident began with a 911 call (not officer-initiated)."),
    ),
)
