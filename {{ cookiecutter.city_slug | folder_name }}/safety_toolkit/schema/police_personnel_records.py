"""Police personnel records: the roster of officers, and complaints with their allegations, findings and
complainants.

One schema holds every kind of record; each source says which kind it holds in `record_type`. Publishers often
split complaints into several tables (the complaint, the accused officers, the complainants) linked by a complaint
number: map each table as its own source with the same `complaint_id`, and the report links them.
"""

from . import Column, Schema
from .common import officer, person, where

SCHEMA = Schema(
    topic="police_personnel_records",
    description="One row per officer (roster), per complaint, per allegation against an officer, or per complainant.",
    columns=(
        Column(
            "record_type",
            "category",
            "What the row is: an officer on the roster, a complaint, an allegation against one officer, or a person "
            "who complained.",
            ("officer", "complaint", "allegation", "complainant", "unknown"),
        ),
        Column(
            "date",
            "date",
            "For a complaint or an allegation: the date the complaint was made. Officers on a roster have none: their "
            "appointment date is appointed_date.",
        ),
        Column("appointed_date", "date", "The date the officer was appointed (hired or sworn in)."),
        *where(),
        *officer(),
        Column("officer_name", "string", "The officer's name.", private=True),
        Column("active", "bool", "The officer is on active duty."),
        Column("sworn", "bool", "A sworn officer, not civilian staff such as clerks or crossing guards."),
        Column("complaint_id", "string", "Identifier of the complaint: links complaints, allegations, complainants."),
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
