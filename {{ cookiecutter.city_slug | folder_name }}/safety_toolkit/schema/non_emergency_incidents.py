"""Non-emergency requests and incident reports: 311 service requests, and incidents reported to the
police outside 911 (crime reports)."""

from . import Column, Schema
from .common import when, where

RECORD_TYPES = ("service request", "incident report", "unknown")

SCHEMA = Schema(
    topic="non_emergency_incidents",
    description="One row per request or incident report: what it was about, who handled it, how it ended.",
    columns=(
        Column("request_id", "string", "Identifier of the request or report in the publisher's data."),
        Column(
            "record_type",
            "category",
            "What kind of record: a service request (311) or a police incident report (crime report).",
            RECORD_TYPES,
        ),
        *when("request or report"),
        *where(),
        Column("request_type", "string", "What the request or incident was about (complaint type, offense)."),
        Column("description", "string", "More detail on the type (descriptor, offense description)."),
        Column("agency", "string", "Agency the request was routed to, or that took the report."),
        Column("routed_to_police", "bool", "The request was handled by the police."),
        Column("channel", "string", "How it came in: phone, online, app..."),
        Column("status", "string", "Status when published."),
        Column("resolution", "string", "How the request was resolved, as described."),
        Column("closed_at", "datetime", "When the request was closed."),
    ),
)
