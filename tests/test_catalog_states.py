"""States, DC and Puerto Rico: found from the answers people give, with the facts the toolkit needs."""

from __future__ import annotations

import zoneinfo

import pytest

from toolkit_catalog.states import all_states, closest_states, find_state, not_a_state, state_code, state_fips


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("MN", "MN"),
        ("mn", "MN"),
        ("Minnesota", "MN"),
        (" new   york ", "NY"),
        ("Washington", "WA"),
        ("Washington, D.C.", "DC"),
        ("washington dc", "DC"),
        ("District of Columbia", "DC"),
        ("Puerto Rico", "PR"),
        ("Minnesotta", ""),
        ("", ""),
        ("Atlantis", ""),
    ],
)
def test_a_state_is_found_by_its_code_or_its_name(answer: str, code: str) -> None:
    assert state_code(answer) == code


def test_the_table_holds_every_state_dc_and_puerto_rico_once_with_a_real_time_zone() -> None:
    states = all_states()
    assert len(states) == 52
    assert len({s.code for s in states}) == len({s.fips for s in states}) == len({s.name for s in states}) == 52
    assert all(len(s.code) == 2 and s.code.isupper() and len(s.fips) == 2 and s.fips.isdigit() for s in states)
    assert {s.timezone for s in states} <= zoneinfo.available_timezones()


@pytest.mark.parametrize(("answer", "fips"), [("MN", "27"), ("District of Columbia", "11"), ("PR", "72"), ("WY", "56")])
def test_the_census_fips_code_of_a_state(answer: str, fips: str) -> None:
    assert state_fips(answer) == fips


def test_a_state_carries_its_time_zone() -> None:
    found = find_state("Arizona")
    assert found is not None
    assert (found.code, found.timezone) == ("AZ", "America/Phoenix")


def test_a_misspelt_state_gets_the_closest_names() -> None:
    assert closest_states("Ilinois") == ["Illinois (IL)"]
    assert closest_states("Atlantis") == []
    assert not_a_state("Ilinois") == "'Ilinois' is not a US state, DC or Puerto Rico. Did you mean Illinois (IL)?"
    assert not_a_state("Atlantis") == "'Atlantis' is not a US state, DC or Puerto Rico."
    assert not_a_state("il") == ""
