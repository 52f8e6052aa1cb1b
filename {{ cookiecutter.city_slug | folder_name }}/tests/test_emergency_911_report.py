"""The 911 report end to end on real data of other cities: the command line fetches, standardizes and runs
the notebook through papermill; the numbers in the page equal an independent pandas reading of the raw file."""

from __future__ import annotations

import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import yaml

from .conftest import FIXTURES
from .test_presets import PRESETS

TOPIC = "emergency_911"
TWELVE_HOUR = "%m/%d/%Y %I:%M:%S %p"


class Page(HTMLParser):
    """The tables of a report page (by id), its text and its images."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.html = text
        self.tables: dict[str, list[list[str]]] = {}
        self.images: list[str] = []
        self.chunks: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()
        self.text = " ".join(" ".join(self.chunks).split())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("id", f"table-{len(self.tables)}")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "img":
            self.images.append(attrs.get("src", ""))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(unescape("".join(self._cell)).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        self.chunks.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def table(self, table_id: str) -> pd.DataFrame:
        head, *rows = self.tables[table_id]
        return pd.DataFrame(rows, columns=head)


def report(project: Path, topic: str, preset: str, place: dict, **reports) -> Page:
    """Point the project's topic at a preset's real fixture, run `all`, and read the page."""
    path = project / "toolkit.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.update(place)
    config.pop("center", None)
    config["reports"].update(reports)
    source = {**PRESETS[preset]["source"], "location": str(FIXTURES / PRESETS[preset]["fixture"])}
    config["topics"] = {topic: {"sources": [source]}}
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "safety_toolkit", "all", "--topic", topic],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    page = Page((project / "reports" / topic / f"{topic}.html").read_text(encoding="utf-8"))
    assert page.images == []  # charts are inline SVG: nothing to fetch
    assert "Where this data comes from" in page.text and "Questions to ask next" in page.text
    return page


def raw(name: str, **read) -> pd.DataFrame:
    """The preset's fixture as published: every value as text, blanks as ""."""
    path = FIXTURES / PRESETS[name]["fixture"]
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **read)


def minutes(values: pd.Series) -> tuple[str, str, str]:
    """Calls timed, median and 90th percentile as the page prints them."""
    return f"{len(values):,}", f"{values.quantile(0.5):.1f}", f"{values.quantile(0.9):.1f}"


def test_san_francisco_fire_and_ems_calls(project):
    page = report(
        project,
        TOPIC,
        "sf_fire_calls_for_service",
        {"city": "San Francisco", "state": "CA", "state_name": "California", "timezone": "America/Los_Angeles"},
    )
    source = raw("sf_fire_calls_for_service")
    for column in ("Received DtTm", "Dispatch DtTm", "On Scene DtTm"):
        source[column] = pd.to_datetime(source[column].replace("", None), format=TWELVE_HOUR)
    calls = source.groupby("Call Number").agg(
        type=("Call Type", "first"),
        priority=("Priority", "first"),
        battalion=("Battalion", "first"),
        received=("Received DtTm", "min"),
        dispatched=("Dispatch DtTm", "min"),
        arrived=("On Scene DtTm", "min"),  # the first unit on scene; units that never arrived are skipped
    )
    assert "911 calls for service in San Francisco, CA" in page.text
    assert f"{len(source):,} rows, one per unit sent" in page.text
    assert f"They make {len(calls):,} calls" in page.text
    assert "Neighborhooods" in page.text  # the publisher's notes travel with the data

    types = page.table("calls-by-type")
    expected = calls["type"].value_counts()
    assert dict(zip(types["call type"], types["calls"], strict=True)) == {k: f"{v:,}" for k, v in expected.items()}
    priorities = page.table("calls-by-priority")
    assert dict(zip(priorities["priority"], priorities["calls"], strict=True)) == {
        k: f"{v:,}" for k, v in calls["priority"].value_counts().items()
    }

    response = (calls["arrived"] - calls["received"]).dt.total_seconds() / 60
    to_dispatch = (calls["dispatched"] - calls["received"]).dt.total_seconds() / 60
    waited = response.ne(0)
    stages = page.table("response-times").set_index("stage")
    for stage, values in (
        ("call received to first unit dispatched", to_dispatch[waited].dropna()),
        ("call received to first unit on scene", response[waited].dropna()),
    ):
        assert tuple(stages.loc[stage]) == minutes(values)
    by_area = page.table("response-by-district").set_index("District")
    for battalion, group in response[waited].dropna().groupby(calls["battalion"]):
        assert tuple(by_area.loc[battalion, ["calls timed", "median minutes", "90th percentile minutes"]]) == minutes(
            group
        )
    assert "answered by fire and EMS units" in page.text  # the unarmed-response question does not apply


def test_detroit_intervals_without_any_date_still_get_an_honest_report(project):
    page = report(
        project,
        TOPIC,
        "detroit_911_calls_last30days",
        {"city": "Detroit", "state": "MI", "state_name": "Michigan", "timezone": "America/Detroit"},
    )
    source = raw("detroit_911_calls_last30days")
    number = {c: pd.to_numeric(source[c].replace("", None)) for c in source.columns}
    dispatch = number["dispatchtime"].where(number["dispatchtime"] >= 0)
    waited = number["totalresponsetime"].ne(0)
    assert f"{len(source):,} calls, with no dates" in page.text
    problems = page.table("date-problems").set_index("problem")
    assert problems.loc["no date", "rows"] == f"{len(source):,}"
    assert "This data does not record when calls come in" in page.text
    assert "This data does not record what the calls were about" in page.text
    stages = page.table("response-times").set_index("stage")
    assert tuple(stages.loc["call received to first unit dispatched"]) == minutes(
        (number["intaketime"] + dispatch)[waited].dropna()
    )
    assert tuple(stages.loc["call received to first unit on scene"]) == minutes(
        number["totalresponsetime"][waited].dropna()
    )
    assert f"{(number['totalresponsetime'] == 0).sum():,} calls that record no wait at all" in page.text
    unreadable = page.table("unreadable-values").set_index("column")
    assert unreadable.loc["dispatch_minutes", "outside the valid range"] == f"{(number['dispatchtime'] < 0).sum():,}"
