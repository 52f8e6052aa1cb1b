"""The police stops report on the full real Minneapolis 2017 data: its numbers equal an independent
pandas computation, it states its caveats and provenance, and its pages stand alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from .conftest import DEMO_DATA, NO_SOURCES, run

# The Open Policing Project's reading of Minneapolis' race labels; the mapping preset claims the same.
RACE = {
    "Asian": "asian/pacific islander", "Black": "black", "East African": "black", "Latino": "hispanic",
    "Native American": "other", "Other": "other", "Unknown": "unknown", "White": "white", "": "unknown",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Reads the tables (by id), links and images of a page, and checks that every tag is closed."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.images: list[dict[str, str]] = []
        self.open: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()
        assert self.open == [], f"unclosed tags: {self.open}"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID:
            self.open.append(tag)
        if tag == "table":
            self._table = attrs.get("id", f"table-{len(self.tables)}")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "a":
            self.links.append(attrs.get("href", ""))
        elif tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def table(self, table_id: str) -> pd.DataFrame:
        head, *rows = self.tables[table_id]
        return pd.DataFrame(rows, columns=head)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo city baked with the bundled data, its stops report and landing page built."""
    from cookiecutter.main import cookiecutter

    out = tmp_path_factory.mktemp("demo")
    project = Path(
        cookiecutter(str(Path(__file__).resolve().parents[1]), no_input=True, output_dir=str(out),
                     extra_context={**NO_SOURCES, "police_stops_source": str(DEMO_DATA)})
    )
    done = run([sys.executable, "-m", "safety_toolkit", "all"], cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(DEMO_DATA, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def stops_page(demo) -> Page:
    return Page((demo / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("flag_column", "table_id"), [("vehicleSearch", "search_vehicle-by-subject_race"),
                                                       ("personSearch", "frisk_performed-by-subject_race")])
def test_search_rates_by_race_equal_an_independent_computation(stops_page, raw, flag_column, table_id):
    recorded = raw[raw[flag_column] != ""]
    expected = (
        recorded.assign(race=recorded["race"].map(RACE))
        .groupby("race")[flag_column]
        .agg(stops="size", searched=lambda s: int((s == "YES").sum()))
    )
    shown = stops_page.table(table_id).set_index("Race")
    assert set(shown.index) == set(expected.index)
    for race, row in expected.iterrows():
        assert shown.loc[race, "stops recorded"] == f"{row['stops']:,}"
        assert shown.iloc[:, 1][race] == f"{row['searched']:,}"
        assert shown.loc[race, "rate"] == f"{row['searched'] / row['stops']:.1%}"


def test_search_rates_by_sex_equal_an_independent_computation(stops_page, raw):
    recorded = raw[raw["vehicleSearch"] != ""]
    sex = recorded["gender"].map({"Male": "male", "Female": "female", "Gender Non-Conforming": "non-binary"})
    expected = recorded.assign(sex=sex.fillna("unknown")).groupby("sex")["vehicleSearch"].agg(
        stops="size", searched=lambda s: int((s == "YES").sum())
    )
    shown = stops_page.table("search_vehicle-by-subject_sex").set_index("Sex")
    for sex, row in expected.iterrows():
        assert shown.loc[sex, "rate"] == f"{row['searched'] / row['stops']:.1%}"


def test_the_report_covers_what_the_original_notebook_did(stops_page, raw):
    for table in ("stops-by-subject_sex", "stops-by-subject_race", "stops-by-reason_for_stop",
                  "reason-by-subject_race", "reason-by-subject_sex", "without-citation-by-subject_race",
                  "missing-values", "search_vehicle-by-subject_sex", "frisk_performed-by-subject_sex"):
        assert table in stops_page.tables, table
    reasons = stops_page.table("stops-by-reason_for_stop").set_index("Reason for stop")["stops"]
    assert reasons.to_dict() == {k: f"{v:,}" for k, v in raw["problem"].value_counts().items()}
    cited = raw[raw["citationIssued"] != ""]
    without = stops_page.table("without-citation-by-subject_race").set_index("Race")
    white = cited[cited["race"] == "White"]
    assert without.loc["white", "without citation"] == f"{int((white['citationIssued'] == 'NO').sum()):,}"


def test_the_report_states_caveats_gaps_and_provenance(demo, raw):
    html = unescape((demo / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8"))
    assert "51,920 stops from January 1, 2017 to December 31, 2017" in html
    no_race_no_search = int(((raw["race"] == "") & (raw["vehicleSearch"] == "") & (raw["personSearch"] == "")).sum())
    assert no_race_no_search == 8221
    assert "8,221 stops (15.8%) record neither the person's race nor whether anyone was searched" in html
    assert "officer's perception" in html
    assert "not, by itself, proof of discrimination" in html
    assert "Were other groups more likely than white people to have their vehicle searched?" in html
    assert "Yes: 11.4% of stops of Black people (1,978 of 17,408) against 4.2% of stops of white people" in html
    assert hashlib.sha256(DEMO_DATA.read_bytes()).hexdigest() in html
    assert f"Retrieved: {dt.datetime.now(dt.UTC):%Y-%m-%d}" in html
    assert "Rows: 51,920" in html


def test_pages_stand_alone_and_their_links_resolve(demo, stops_page):
    html = (demo / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8")
    assert stops_page.images == [] and html.count('class="chart"') >= 5  # charts inline, as SVG
    assert "/tmp/" not in html and str(DEMO_DATA.parent) not in html  # no local folder on a public page
    index = Page((demo / "index.html").read_text(encoding="utf-8"))
    for page, folder in ((stops_page, demo / "reports" / "police_stops"), (index, demo)):
        for link in page.links:
            if link.startswith(("mailto:", "#", "data:text/csv")):
                continue
            assert not link.startswith("http"), link
            assert (folder / link).resolve().exists(), link
    for text in [(demo / "reports" / t / f"{t}.html").read_text(encoding="utf-8") for t in ("warrants", "arrests")]:
        Page(text)
        assert "No data source configured yet" in text
