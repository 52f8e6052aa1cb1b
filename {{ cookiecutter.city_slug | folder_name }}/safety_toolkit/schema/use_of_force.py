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
        Column("city", "string", "City where it happened (for data covering many places, such as a national file)."),
        Column("state", "string", "State where it happened, as its two-letter code (for data covering many places)."),
        Column("call_type", "string", "What the police were responding to (the call or problem)."),
        Column("offense", "string", "The offense or charge recorded for the incident, as published."),
        Column("reason", "string", "Why force was used, as recorded."),
        Column("force_type", "string", "The kind of force (e.g. bodily force, taser, chemical irritant)."),
        Column("force_action", "string", "The specific technique or action, where recorded apart from the kind."),
        Column("force_level", "string", "The level or category of force, as the agency grades it."),
        Column("subject_resistance", "string", "The resistance the officer recorded."),
        *person("subject", "person force was used on"),
        Column("subject_id", "string", "The publisher's identifier of the person.", private=True),
        Column("subject_name", "string", "Name of the person.", private=True),
        Column("subject_injured", "bool", "The person was injured."),
        Column("subject_hospitalized", "bool", "The person was taken to hospital."),
        Column("subject_arrested", "bool", "The person was arrested."),
        Column("subject_armed", "bool", "The person was recorded as armed."),
        Column("subject_weapon", "string", "What the person was recorded as armed with, as published."),
        *officer(),
        Column("officer_injured", "bool", "The officer was injured."),
        Column("dispatched_911", "bool", "The incident began with a 911 call (not officer-initiated)."),
        Column("review_outcome", "string", "How the department's review of the force ended (e.g. justified)."),
    ),
)
