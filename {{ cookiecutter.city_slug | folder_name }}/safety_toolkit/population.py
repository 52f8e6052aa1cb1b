"""The city's residents by race, from the Census Bureau's American Community Survey (5-year estimates,
table B03002 "Hispanic or Latino origin by race"), written into toolkit.yaml's population block.

The place is found by the city's name among the places of its state (`--place` gives its code instead).
Only the population block of toolkit.yaml is rewritten: every other byte, comments included, stays.
"""

from __future__ import annotations

import csv
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .store import atomic_path

API = "https://api.census.gov/data"
API_ENV = "TOOLKIT_CENSUS_API"  # another address for the API, e.g. a local copy in tests
KEY_ENV = "CENSUS_API_KEY"  # optional: the API answers a small number of requests a day without a key
DEFAULT_YEAR = 2023  # the 2019-2023 ACS 5-year estimates
TIMEOUT = 60
TOTAL = "B03002_001E"
# B03002 variable -> standard race. Hispanic people of any race count as hispanic, as in the stops schema.
RACE_VARIABLES = {
    "B03002_003E": "white",  # not Hispanic: white alone
    "B03002_004E": "black",  # black or African American alone
    "B03002_005E": "other",  # American Indian and Alaska Native alone
    "B03002_006E": "asian/pacific islander",  # Asian alone
    "B03002_007E": "asian/pacific islander",  # Native Hawaiian and other Pacific Islander alone
    "B03002_008E": "other",  # some other race alone
    "B03002_009E": "other",  # two or more races
    "B03002_012E": "hispanic",  # Hispanic or Latino, of any race
}
# The states' codes, names and FIPS codes (U.S. Census Bureau); the template reads the same table.
STATES_CSV = Path(__file__).with_name("states.csv")
# What follows a place's name in the Census Bureau's list: "Minneapolis city", "Nashville-Davidson
# metropolitan government (balance)".
KINDS = re.compile(
    r"^(city|town|village|borough|municipality|cdp|city and borough|comunidad|zona urbana|.*\(balance\))$"
)


class PopulationError(RuntimeError):
    """The figures could not be fetched; the message says why and what to do."""


@dataclass(frozen=True)
class Place:
    state: str  # FIPS code of the state
    code: str  # FIPS code of the place within the state
    name: str  # as the Census Bureau writes it: "Minneapolis city, Minnesota"


@cache
def state_fips() -> dict[str, str]:
    """Two-letter state code -> the state's FIPS code, from states.csv."""
    with STATES_CSV.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: row["fips"] for row in csv.DictReader(fh)}


def _get(year: int, params: dict[str, str]) -> list[list[str]]:
    """One request to the ACS 5-year endpoint: the answer's rows, the header first."""
    base = os.environ.get(API_ENV, API).rstrip("/")
    query = dict(params)
    if os.environ.get(KEY_ENV):
        query["key"] = os.environ[KEY_ENV]
    url = f"{base}/{year}/acs/acs5?{urllib.parse.urlencode(query, safe=':*,')}"
    shown = url.split("&key=", maxsplit=1)[0]
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            body = response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        said = err.read().decode("utf-8", "replace").strip()[:200]
        raise PopulationError(f"the Census Bureau's API refused {shown} ({err.code}: {said or err.reason}).") from None
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise PopulationError(
            f"could not reach the Census Bureau's API at {base} ({reason}). Check the internet connection, or fill "
            "the population block of toolkit.yaml by hand from data.census.gov, table B03002."
        ) from None
    if not body.strip():
        return []
    try:
        rows = json.loads(body)
    except json.JSONDecodeError:
        raise PopulationError(f"the Census Bureau's API answered {shown} with something other than data.") from None
    if not (isinstance(rows, list) and rows and all(isinstance(row, list) for row in rows)):
        raise PopulationError(f"the Census Bureau's API answered {shown} in an unexpected shape.")
    return rows


def _records(rows: list[list[str]]) -> list[dict[str, str]]:
    if not rows:
        return []
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


def find_place(city: str, state: str, year: int = DEFAULT_YEAR) -> Place:
    """The Census place of the city in its state (state as its two-letter code)."""
    fips = state_fips().get(state.upper())
    if fips is None:
        raise PopulationError(f"{state!r} is not a state code the Census Bureau's API knows (e.g. MN).")
    places = _records(_get(year, {"get": "NAME", "for": "place:*", "in": f"state:{fips}"}))
    wanted = " ".join(city.split()).casefold()
    found = []
    for place in places:
        name = place["NAME"].rsplit(",", 1)[0].strip()
        if name.casefold() == wanted or (
            name.casefold().startswith(wanted + " ") and KINDS.match(name[len(wanted) + 1 :].casefold())
        ):
            found.append(Place(fips, place["place"], place["NAME"]))
    cities = [p for p in found if p.name.rsplit(",", 1)[0].casefold().endswith(" city")]
    if len(found) > 1 and len(cities) == 1:
        found = cities
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(f"{p.name} (--place {p.code})" for p in found)
        raise PopulationError(f"several places are called {city!r} in {state}: {listed}. Choose one with --place.")
    close = [p["NAME"] for p in places if wanted.split()[0] in p["NAME"].casefold()][:5] if wanted else []
    hint = f" Places with a similar name: {'; '.join(close)}." if close else ""
    raise PopulationError(
        f"no place named {city!r} in the Census Bureau's list for {state}.{hint} Give the place's code with "
        "--place (data.census.gov shows it), or fill the population block of toolkit.yaml by hand."
    )


def fetch_population(place: Place, year: int = DEFAULT_YEAR) -> dict[str, Any]:
    """The population block for a place: total, by_race (the standard races), source and year."""
    variables = [TOTAL, *RACE_VARIABLES]
    rows = _records(
        _get(year, {"get": ",".join(["NAME", *variables]), "for": f"place:{place.code}", "in": f"state:{place.state}"})
    )
    if len(rows) != 1:
        raise PopulationError(f"the Census Bureau's API has no {year} ACS 5-year figures for place {place.code}.")
    try:
        values = {variable: int(rows[0][variable]) for variable in variables}
    except (KeyError, ValueError):
        raise PopulationError(f"the Census Bureau's API gave no usable figures for {rows[0].get('NAME')}.") from None
    if any(value < 0 for value in values.values()):  # the ACS marks unavailable estimates with negative codes
        raise PopulationError(f"the ACS has no estimate of every group for {rows[0]['NAME']} in {year}.")
    by_race: dict[str, int] = {}
    for variable, race in RACE_VARIABLES.items():
        by_race[race] = by_race.get(race, 0) + values[variable]
    return {
        "total": values[TOTAL],
        "by_race": by_race,
        "source": (
            f"U.S. Census Bureau, American Community Survey {year - 4}-{year} 5-year estimates, table B03002, "
            f"{rows[0]['NAME']} (place {place.state}{place.code}); hispanic counts Hispanic people of any race"
        ),
        "year": year,
    }


def _end(node: yaml.Node) -> int:
    """Where a node's own text ends: its last scalar or flow collection, not the comments after it."""
    if isinstance(node, yaml.MappingNode) and node.value and node.flow_style is not True:
        return _end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and node.flow_style is not True:
        return _end(node.value[-1])
    return node.end_mark.index


def write_population(path: Path, block: dict[str, Any]) -> None:
    """Replace toolkit.yaml's population block (or add one at the end), leaving every other byte as it was."""
    text = path.read_text(encoding="utf-8")
    new = yaml.safe_dump({"population": block}, allow_unicode=True, sort_keys=False, width=1000).rstrip("\n")
    root = yaml.compose(text)
    entries = root.value if isinstance(root, yaml.MappingNode) else []
    entry = next(((key, value) for key, value in entries if key.value == "population"), None)
    if entry is None:
        text = text + ("" if text.endswith("\n") else "\n") + new + "\n"
    else:
        key, value = entry
        if key.start_mark.column != 0:
            raise PopulationError(f"{path.name}: write 'population:' at the start of its line, then run again.")
        text = text[: key.start_mark.index] + new + text[_end(value) :]
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def fill_population(
    config_path: Path, city: str, state: str, year: int = DEFAULT_YEAR, place: str | None = None
) -> str:
    """Fetch the figures and write them into toolkit.yaml; a line saying what was written."""
    found = Place(state_fips().get(state.upper(), ""), place, place) if place else find_place(city, state, year)
    block = fetch_population(found, year)
    write_population(config_path, block)
    return f"{config_path.name}: population set to {block['total']:,} residents. Source: {block['source']}."
