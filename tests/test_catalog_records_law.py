"""The records-law facts a toolkit's guide and letters cite, as toolkit.yaml's records_law block holds them."""

from __future__ import annotations

import pytest

from toolkit_catalog.records_law import FEDERAL_LAW_KEYS, LAW_COLUMNS, federal_sources, law_value, records_law
from toolkit_catalog.states import all_states


def test_a_states_law_and_the_federal_foia() -> None:
    law = records_law("Minnesota")
    assert law["state"]["law_name"] == "Minnesota Government Data Practices Act (MGDPA)"
    assert law["state"]["citation"].startswith("Minn. Stat.")
    assert all(url.startswith("https://") for url in law["state"]["sources"])
    assert law["federal"]["law_name"] == "Freedom of Information Act (FOIA)"
    assert list(law["federal"]) == list(FEDERAL_LAW_KEYS)
    assert law["federal"]["response_deadline_days"] == 20
    assert records_law("Atlantis") == {}


def test_every_state_has_a_row_with_typed_facts() -> None:
    for state in all_states():
        facts = records_law(state.code)["state"]
        assert set(facts) == {*LAW_COLUMNS.values(), "sources"}, state.code
        assert facts["law_name"], state.code
        assert facts["sources"], state.code
        assert facts["response_deadline_days"] is None or isinstance(facts["response_deadline_days"], int)
        assert facts["residency_required"] in (None, True, False)


@pytest.mark.parametrize(
    ("column", "text", "value"),
    [
        ("response_deadline_days", " 10 ", 10),
        ("deadline_business_days", "TRUE", True),
        ("residency_required", "false", False),
        ("residency_required", "", None),  # not verified: never guessed
        ("law_name", "  Public Records Act ", "Public Records Act"),
    ],
)
def test_a_cell_becomes_the_value_yaml_holds(column: str, text: str, value: object) -> None:
    assert law_value(column, text) == value


def test_the_federal_files_offered_in_the_interview_name_their_page() -> None:
    files = federal_sources()["files"]
    assert files
    assert all(offer["page"].startswith("https://") and "{page}" in offer["question"] for offer in files.values())
