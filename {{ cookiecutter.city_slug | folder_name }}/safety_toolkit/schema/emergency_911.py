"""911 calls for service: one row per call (or per responding unit, where the publisher lists units)."""

from . import Column, Schema
from .common import when, where

MINUTES = (0.0, 24 * 60.0)
AGENCIES = ("police", "fire and ems", "other", "unknown")

SCHEMA = Schema(
    topic="emergency_911",
    description="One row per call for service: what was reported, how urgent, and how fast help came.",
    columns=(
        Column("call_id", "string", "Identifier of the call in the publisher's data."),
        Column("unit_id", "string", "Responding unit, where each row is one unit's response."),
        *when("call"),
        *where(),
        Column("call_type", "string", "What the call was about (the nature or problem code)."),
        Column("call_type_group", "string", "The publisher's broader group of call types."),
        Column("priority", "string", "Priority given to the call (the publisher's codes)."),
        Column("disposition", "string", "How the call was closed."),
        Column("status", "string", "Status of the call when published."),
        Column(
            "agency",
            "category",
            "Who answered the call: police, or fire and EMS (ambulance) units.",
            AGENCIES,
        ),
        Column("officer_initiated", "bool", "The call was started by an officer, not a caller."),
        Column("received_at", "datetime", "When the call was received."),
        Column("dispatched_at", "datetime", "When a unit was dispatched."),
        Column("arrived_at", "datetime", "When the first unit arrived on scene."),
        Column("cleared_at", "datetime", "When the call was closed."),
        Column(
            "intake_minutes",
            "float",
            "Minutes from receiving the call to creating it for dispatch.",
            valid_range=MINUTES,
        ),
        Column("dispatch_minutes", "float", "Minutes from call to dispatch, as published.", valid_range=MINUTES),
        Column("travel_minutes", "float", "Minutes from dispatch to arrival, as published.", valid_range=MINUTES),
        Column("response_minutes", "float", "Minutes from call to arrival, as published.", valid_range=MINUTES),
        Column("on_scene_minutes", "float", "Minutes spent on scene, as published.", valid_range=MINUTES),
    ),
)
