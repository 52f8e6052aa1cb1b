"""Police personnel records: the roster of officers, and complaints with their allegations and findings.

One schema holds both kinds of record; each source says which kind it is in `record_type`.
"""

from . import Column, Schema
from .common import officer, person

SCHEMA = Schema(
    topic="police_personnel_records",
    description="One row per officer (roster) or per allegation against an officer (complaints).",
    columns=(
        Column(
            "record_type",
            "category",
            "What the row is: an officer, or an allegation.",
            ("officer", "allegation", "unknown"),
        ),
        Column("date", "date", "For an officer: the appointment date. For an allegation: the complaint date."),
        *officer(),
        Column("officer_name", "string", "The officer's name.", private=True),
        Column("active", "bool", "The officer is on active duty."),
        Column("complaint_id", "string", "Identifier of the complaint."),
        Column("allegation", "string", "What the officer was accused of."),
        Column("allegation_category", "string", "The publisher's category of allegation."),
        Column(
            "finding",
            "category",
            "How the allegation ended.",
            ("sustained", "not sustained", "unfounded", "exonerated", "no finding", "pending", "other", "unknown"),
        ),
        Column("discipline", "string", "Discipline imposed, if any."),
        *person("complainant", "person who complained", perceived=False),
    ),
)
