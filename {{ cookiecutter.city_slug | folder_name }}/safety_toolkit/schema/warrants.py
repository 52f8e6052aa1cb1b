"""Warrants: one row per warrant."""

from . import Column, Schema
from .common import person

SCHEMA = Schema(
    topic="warrants",
    description="One row per warrant: when it was issued or received, what for, and whether it was served.",
    columns=(
        Column("warrant_id", "string", "Identifier of the warrant (several may share one listing)."),
        Column("date", "date", "Date the warrant was issued or received.", required=True),
        Column("warrant_type", "string", "Kind of warrant: arrest, bench, search..."),
        Column("offense", "string", "The charge(s) (several are joined by ';')."),
        Column(
            "status",
            "category",
            "Where the warrant stands.",
            ("outstanding", "served", "recalled", "unknown"),
        ),
        Column("served_date", "date", "Date the warrant was served or cleared."),
        *person("subject", "person named in the warrant"),
        Column("subject_name", "string", "Name of the person named.", private=True),
        Column("subject_address", "string", "Address of the person named.", private=True),
        Column("neighborhood", "string", "City, ZIP code or area of the last known address."),
        Column(
            "first_seen",
            "date",
            "First day the warrant appeared in a published list (for scraped lists).",
            requestable=False,
        ),
        Column(
            "last_seen",
            "date",
            "Last day the warrant appeared in a published list (for scraped lists).",
            requestable=False,
        ),
    ),
)
