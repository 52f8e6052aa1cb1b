"""The hate crime report, run by the command line on real data of cities other than the demo's: its
numbers equal an independent pandas computation on the raw files."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import yaml

from .conftest import FIXTURES
from .test_presets import PRESETS
from .test_reports import toolkit

FBI = FIXTURES / "hate_crime" / "fbi_hate_crime_incidents_il_md_fl_sample.csv"
NYC = FIXTURES / "hate_crime" / "nyc_hate_crimes_sample.csv"


class Tables(HTMLParser):
    """The text of every table of a page, by id (the report tests of several topics use it)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id", "")
            self.rows[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.rows[self._table].append([])
        elif tag in ("th", "td") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None and self._table is not None:
            self.rows[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def __getitem__(self, table_id: str) -> pd.DataFrame:
        head, *rows = self.rows[table_id]
        return pd.DataFrame(rows, columns=head)


def run_report(project: Path, topic: str, city: str, state: str, *presets: str) -> str:
    """Point the project copy at real fixtures mapped by the presets, run `all`, return the page."""
    config = yaml.safe_load((project / "toolkit.yaml").read_text(encoding="utf-8"))
    sources = [{**PRESETS[p]["source"], "location": str(FIXTURES / PRESETS[p]["fixture"])} for p in presets]
    config.update(city=city, state=state, topics={topic: {"sources": sources}})
    (project / "toolkit.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    done = toolkit(project, "all", "--topic", topic)
    assert done.returncode == 0, done.stdout + done.stderr
    return (project / "reports" / topic / f"{topic}.html").read_text(encoding="utf-8")


def _chicago(raw: pd.DataFrame) -> pd.DataFrame:
    """The incidents of Chicago's city police in the raw FBI file."""
    raw = raw[(raw["STATE_ABBR"] == "IL") & (raw["PUB_AGENCY_NAME"] == "Chicago") & (raw["AGENCY_TYPE_NAME"] == "City")]
    return raw.assign(year=pd.to_datetime(raw["INCIDENT_DATE"], format="%d-%b-%y").dt.year)


def test_the_fbi_file_limited_to_the_citys_police(project):
    page = run_report(project, "hate_crime", "Chicago", "IL", "fbi_hate_crime_incidents")
    raw = pd.read_csv(FBI, dtype=str, keep_default_na=False)
    chicago = _chicago(raw)
    tables = Tables(page)

    assert "Hate crimes in Chicago, IL" in page
    assert f"keeps the {(raw['STATE_ABBR'] == 'IL').sum():,} reported by agencies in IL" in page
    assert f"keeps the {len(chicago):,} reported by the city agency named Chicago" in page
    assert tables["agencies-of-state"].iloc[0].tolist() == ["Chicago", "City", "ILCPD0000", f"{len(chicago):,}"]
    assert f"{len(chicago):,} incidents from" in page  # the data-quality section covers the same incidents

    shown = tables["incidents-by-bias"].set_index("Bias")
    biases = chicago["BIAS_DESC"].str.split(";").map(set).explode().value_counts()
    assert len(shown) == min(15, len(biases))
    for bias, row in shown.iterrows():
        assert row["incidents"] == f"{biases[bias]:,}"
        assert row["share of incidents"] == f"{biases[bias] / len(chicago):.1%}"

    years = tables["incidents-by-year-and-bias-category"].set_index("year")["incidents"]
    assert years.to_dict() == {str(y): f"{n:,}" for y, n in chicago["year"].value_counts().items()}

    races = tables["incidents-by-offender-race"].set_index("Offender race")["incidents"]
    hispanic = chicago["OFFENDER_ETHNICITY"] == "Hispanic or Latino"
    unknown = chicago["OFFENDER_RACE"].isin(["Unknown", "Not Specified"]) & ~hispanic
    assert races["unknown"] == f"{unknown.sum():,}"
    assert races["hispanic"] == f"{hispanic.sum():,}"

    assert "<svg" in page and "http://" not in page.replace("https://", "")
    for text in ("What these numbers cannot tell you", "Questions to ask next", "Where this data comes from"):
        assert text in page


def test_city_data_with_arrests(project):
    page = run_report(project, "hate_crime", "New York", "NY", "nyc_hate_crimes")
    raw = pd.read_csv(NYC, dtype=str, keep_default_na=False)
    raw["year"] = pd.to_datetime(raw["Record Create Date"], format="%m/%d/%Y").dt.year.astype(str)
    shown = Tables(page)["arrests-by-year"].set_index("Year")
    assert list(shown.index) == sorted(raw["year"].unique())
    for year, group in raw.groupby("year"):
        arrests = int((group["Arrest Date"] != "").sum())
        assert shown.loc[year, "with an arrest"] == f"{arrests:,}"
        assert shown.loc[year, "share with an arrest"] == f"{arrests / len(group):.1%}"
    assert "Which incidents this report covers" not in page  # one city's own data is used whole
