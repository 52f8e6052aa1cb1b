"""Military equipment from the federal 1033 program (DLA LESO files), one row per line item."""

from . import Column, Schema

SCHEMA = Schema(
    topic="police_equipment",
    description="One row per item line of the DLA's public 1033 program files: property an agency holds, "
    "a shipment, or a cancelled request.",
    columns=(
        Column(
            "date",
            "date",
            "Date the item was shipped to the agency (for a cancelled request: the request date).",
            required=True,
        ),
        Column(
            "record_type",
            "category",
            "Which DLA file the line comes from: property held by the agency on the file's date (inventory), "
            "an item shipped in the file's quarter (shipment), or a request cancelled in it (cancellation).",
            ("inventory", "shipment", "cancellation", "unknown"),
        ),
        Column("state", "string", "State of the agency (two-letter code)."),
        Column("agency", "string", "The receiving agency ('Station Name (LEA)')."),
        Column("station_type", "string", "Kind of agency (state, county, municipal...)."),
        Column("nsn", "string", "National Stock Number; its first four digits are the supply class."),
        Column("item_name", "string", "What the item is."),
        Column("quantity", "float", "Number of units.", valid_range=(0.0, 1_000_000.0)),
        Column("unit", "string", "Unit of issue (each, pair, kit...)."),
        Column("acquisition_value", "float", "Original price of ONE unit, in dollars.", valid_range=(0.0, 1e9)),
        Column("demil_code", "string", "Demilitarization code: how the item must be disposed of."),
        Column("justification", "string", "The agency's stated reason for the request, where published."),
        Column("cancel_reason", "string", "Why the request was cancelled (cancelled requests only)."),
    ),
)
