"""The public records laws a toolkit's guide and letters cite: a state's row of catalog/state_public_records.csv
and the federal FOIA of catalog/federal_sources.yaml, as toolkit.yaml's records_law block holds them."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from .files import CATALOG, catalog_csv
from .states import state_code

# Column of state_public_records.csv -> key under records_law.state in toolkit.yaml.
LAW_COLUMNS = {
    "law_name": "law_name",
    "citation": "citation",
    "response_deadline": "response_deadline",
    "response_deadline_days": "response_deadline_days",
    "deadline_business_days": "deadline_business_days",
    "residency_required": "residency_required",
    "requester_notes": "requester_notes",
    "fees_notes": "fees",
    "appeal_route": "appeal_route",
    "police_records_notes": "police_records",
    "state_stop_data_law": "stop_data_law",
}
FEDERAL_LAW_KEYS = (
    "law_name",
    "citation",
    "covers",
    "response_deadline",
    "response_deadline_days",
    "deadline_business_days",
    "appeal_route",
    "holders",
    "sources",
)


@cache
def _state_laws() -> dict[str, dict[str, str]]:
    return {row["state_code"]: row for row in catalog_csv("state_public_records.csv")}


@cache
def federal_sources() -> dict[str, Any]:
    """catalog/federal_sources.yaml: the federal FOIA facts and the federal data sources."""
    data: dict[str, Any] = yaml.safe_load((CATALOG / "federal_sources.yaml").read_text(encoding="utf-8"))
    return data


def law_value(column: str, text: str) -> Any:
    """A CSV cell as YAML should hold it; a blank is None, shown as "not verified", never guessed."""
    text = text.strip()
    if not text:
        return None
    if column == "response_deadline_days":
        return int(text)
    if column in ("deadline_business_days", "residency_required"):
        return {"true": True, "false": False}[text.casefold()]
    return text


def records_law(state: object) -> dict[str, Any]:
    """The state's law and the federal FOIA; {} for an unknown state (the pre-generation hook rejects it)."""
    row = _state_laws().get(state_code(state))
    if row is None:
        return {}
    facts = {key: law_value(column, row[column]) for column, key in LAW_COLUMNS.items()}
    facts["sources"] = [url.strip() for url in row["source_urls"].split(";") if url.strip()]
    foia = federal_sources()["foia"]
    return {"state": facts, "federal": {key: foia.get(key) for key in FEDERAL_LAW_KEYS}}
