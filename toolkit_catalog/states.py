"""The states, DC and Puerto Rico: finding one from an answer, and its name, code, FIPS code and time zone.

The table is the toolkit's safety_toolkit/states.csv (the toolkit reads the FIPS codes from it for Census requests).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from .files import TOOLKIT_PACKAGE, read_csv

STATES_CSV = TOOLKIT_PACKAGE / "states.csv"
DC_NAMES = ("washington dc", "washington, dc", "dc")  # as people write the District, beyond its code and name


@dataclass(frozen=True)
class State:
    code: str  # two letters, as the Postal Service writes it: MN
    name: str  # Minnesota
    fips: str  # the Census Bureau's two digits: 27
    timezone: str  # the IANA zone most of its people live in: America/Chicago


@cache
def all_states() -> tuple[State, ...]:
    return tuple(State(row["code"], row["name"], row["fips"], row["timezone"]) for row in read_csv(STATES_CSV))


def _words(answer: object) -> str:
    return " ".join(str(answer).split()).casefold()


def find_state(answer: object) -> State | None:
    """The state an answer names by its code or its full name, in any case and spacing; None when none."""
    text = _words(answer).replace(".", "")
    for state in all_states():
        if text in (state.code.casefold(), state.name.casefold()):
            return state
    if text in DC_NAMES:
        return next(state for state in all_states() if state.code == "DC")
    return None


def _fact(answer: object, fact: str) -> str:
    state = find_state(answer)
    return str(getattr(state, fact)) if state else ""


def state_code(answer: object) -> str:
    """Two-letter code for a state given as code or name; "" when unknown (the hook reports it)."""
    return _fact(answer, "code")


def state_name(answer: object) -> str:
    return _fact(answer, "name")


def state_timezone(answer: object) -> str:
    return _fact(answer, "timezone")


def state_fips(answer: object) -> str:
    return _fact(answer, "fips")


def closest_states(answer: object) -> list[str]:
    """The states whose name is closest to an answer that names none, as "Illinois (IL)"."""
    by_name = {state.name.casefold(): state for state in all_states()}
    close = difflib.get_close_matches(_words(answer), list(by_name), n=3, cutoff=0.6)
    return [f"{by_name[name].name} ({by_name[name].code})" for name in close]


def not_a_state(answer: object) -> str:
    """What is wrong with an answer that names no state, with the closest names; "" for a state."""
    if find_state(answer):
        return ""
    close = closest_states(answer)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    return f"{str(answer)!r} is not a US state, DC or Puerto Rico.{hint}"
