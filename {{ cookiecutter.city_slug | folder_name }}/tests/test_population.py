"""`python -m safety_toolkit population` against a local stand-in for the Census Bureau's API that answers in
the real API's shape (a JSON array of arrays of strings, header first, geography columns last)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from safety_toolkit.config import load_config
from safety_toolkit.population import PopulationError, find_place, state_fips

from .report_helpers import PROJECT

# Made-up figures for the stand-in: B03002 variable -> residents.
FIGURES = {
    "B03002_001E": "1000",
    "B03002_003E": "500",  # white alone, not Hispanic
    "B03002_004E": "200",  # black alone
    "B03002_005E": "10",  # American Indian and Alaska Native alone
    "B03002_006E": "60",  # Asian alone
    "B03002_007E": "5",  # Native Hawaiian and other Pacific Islander alone
    "B03002_008E": "15",  # some other race alone
    "B03002_009E": "40",  # two or more races
    "B03002_012E": "170",  # Hispanic or Latino
}
PLACES = [["Minneapolis city, Minnesota", "27", "43000"], ["Minnetonka city, Minnesota", "27", "43252"]]


class CensusStandIn(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, list[str]]]] = []

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        self.requests.append(query)
        if url.path != "/data/2023/acs/acs5":
            return self._send(404, "unknown dataset")
        get, where, within = query["get"][0].split(","), query["for"][0], query["in"][0]
        if get == ["NAME"] and where == "place:*" and within == "state:27":
            return self._send(200, json.dumps([["NAME", "state", "place"], *PLACES]))
        place = where.removeprefix("place:")
        matches = [p for p in PLACES if p[2] == place]
        if get[0] == "NAME" and within == "state:27" and matches and all(v in FIGURES for v in get[1:]):
            row = [matches[0][0], *(FIGURES[v] for v in get[1:]), "27", place]
            return self._send(200, json.dumps([[*get, "state", "place"], row]))
        return self._send(400, "error: unknown variable or geography")

    def _send(self, status: int, body: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode("utf-8"))

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def census():
    server = ThreadingHTTPServer(("127.0.0.1", 0), CensusStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    CensusStandIn.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}/data"
    server.shutdown()
    server.server_close()


def population(project, api: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TOOLKIT_CENSUS_API": api}
    env.pop("CENSUS_API_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "safety_toolkit", "population", *args],
        cwd=project,
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )


def test_fills_only_the_population_block(project, census):
    path = project / "toolkit.yaml"
    baked = (PROJECT / "toolkit.yaml").read_text(encoding="utf-8")
    # As baked, but in the city the stand-in knows, whatever city this toolkit was made for.
    baked = re.sub(r"(?m)^city: .*$", "city: Minneapolis", baked)
    path.write_text(re.sub(r"(?m)^state: .*$", "state: MN", baked), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    # The baked block may be empty or hold figures the template knew; it ends where the next top-level entry starts.
    head, block = before.split("\npopulation:", 1)
    lines = block.split("\n")
    tail = "\n".join(lines[next(i for i, line in enumerate(lines[1:], 1) if line and not line.startswith(" ")) :])
    done = population(project, census)
    assert done.returncode == 0, done.stderr
    after = path.read_text(encoding="utf-8")
    assert after.startswith(head + "\npopulation:\n")
    assert after.endswith(tail)  # every other byte, comments included
    loaded = load_config(path).population
    assert loaded.total == 1000
    assert loaded.by_race == {"white": 500, "black": 200, "hispanic": 170, "asian/pacific islander": 65, "other": 65}
    assert loaded.year == 2023
    assert "B03002" in loaded.source
    assert "Minneapolis city, Minnesota" in loaded.source
    assert {"get": ["NAME"], "for": ["place:*"], "in": ["state:27"]} in CensusStandIn.requests
    assert CensusStandIn.requests[-1]["for"] == ["place:43000"]
    again = population(project, census)  # a second run replaces the block it wrote
    assert again.returncode == 0
    assert path.read_text(encoding="utf-8") == after


def test_adds_the_block_when_there_is_none(project, census):
    path = project / "toolkit.yaml"
    before = path.read_text(encoding="utf-8")
    assert "population" not in before
    assert population(project, census).returncode == 0
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert load_config(path).population.total == 1000


def test_a_city_the_census_does_not_know_is_a_clear_error(project, census):
    path = project / "toolkit.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("city: Minneapolis", "city: Minneapols"))
    before = path.read_text(encoding="utf-8")
    done = population(project, census)
    assert done.returncode == 1
    assert "no place named 'Minneapols'" in done.stderr
    assert "--place" in done.stderr
    assert "Traceback" not in done.stderr
    assert path.read_text(encoding="utf-8") == before
    chosen = population(project, census, "--place", "43000")  # the way out the message gives
    assert chosen.returncode == 0
    assert load_config(path).population.total == 1000


def test_offline_is_a_clear_error(project):
    path = project / "toolkit.yaml"
    before = path.read_text(encoding="utf-8")
    done = population(project, "http://127.0.0.1:9/data")  # nothing listens on the discard port
    assert done.returncode == 1
    assert "could not reach the Census Bureau's API" in done.stderr
    assert "by hand" in done.stderr
    assert path.read_text(encoding="utf-8") == before


def test_the_states_fips_codes_come_from_the_states_table():
    fips = state_fips()
    assert (fips["MN"], fips["DC"], fips["PR"], fips["WY"]) == ("27", "11", "72", "56")
    assert len(fips) == len(set(fips.values())) == 52
    with pytest.raises(PopulationError, match="'XX' is not a state code"):
        find_place("Springfield", "XX")
