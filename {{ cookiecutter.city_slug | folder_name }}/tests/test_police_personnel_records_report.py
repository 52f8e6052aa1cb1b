"""The personnel records report on the real Chicago samples (roster, complaints, accused officers, complainants),
run end to end through the command line: its numbers equal a reading of the raw files with pandas and scipy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from scipy import stats

from .conftest import FIXTURES, PROJECT
from .report_helpers import small_counts_shown
from .test_preset_police_personnel_records import ACCUSED_RACE, COMPLAINANT_RACE, FINDING, ROSTER_RACE
from .test_presets import PRESETS

TOPIC = "police_personnel_records"
HERE = FIXTURES / TOPIC
PRESET_NAMES = (
    "chicago_officer_roster",
    "chicago_complaints",
    "chicago_complaints_accused",
    "chicago_complaints_complainants",
)
# Round figures made up for the test, not census data: they only check the arithmetic.
POPULATION = {
    "total": 2_700_000,
    "by_race": {"white": 900_000, "black": 850_000, "hispanic": 780_000, "asian/pacific islander": 150_000},
    "source": "test figures, not census data",
    "year": 2015,
}


class Tables(HTMLParser):
    """The tables of a page by id, each as rows of cell texts (header first)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id", f"table-{len(self.tables)}")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def __getitem__(self, table_id: str) -> pd.DataFrame:
        head, *rows = self.tables[table_id]
        return pd.DataFrame(rows, columns=head).set_index(head[0])


def make_project(root: Path, sources: list[dict], topic: str = TOPIC, reports: dict | None = None, **settings) -> Path:
    """A copy of this toolkit whose toolkit.yaml has the given sources for one topic; `settings` override the
    other keys of toolkit.yaml (city, state, population...)."""
    shutil.copytree(
        PROJECT,
        root,
        ignore=shutil.ignore_patterns(".venv", ".git", "data", "reports", "index.html", "__pycache__", ".*cache"),
    )
    (root / "data").mkdir()
    config = {
        "city": "Chicago",
        "state": "IL",
        "timezone": "America/Chicago",
        "reports": {"small_count_threshold": 10, **(reports or {})},
        **settings,
        "topics": {topic: {"sources": sources}},
    }
    (root / "toolkit.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root


def run_report(root: Path, topic: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "safety_toolkit", "all", "--topic", topic],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return (root / "reports" / topic / f"{topic}.html").read_text(encoding="utf-8")


def preset_source(name: str) -> dict:
    return {**PRESETS[name]["source"], "location": str(FIXTURES / PRESETS[name]["fixture"])}


def raw(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    root = make_project(
        tmp_path_factory.mktemp("chicago") / "toolkit",
        [preset_source(name) for name in PRESET_NAMES],
        population=POPULATION,
    )
    return run_report(root, TOPIC)


@pytest.fixture(scope="module")
def accused() -> pd.DataFrame:
    frame = raw("chicago_complaints_accused_officers_sample.csv")
    return frame.assign(
        finding=frame["final_finding"].map(FINDING),
        officer_race=frame["race"].map(ACCUSED_RACE),
        officer=frame["full_name"] + "|" + frame["birth_year"] + "|" + frame["appointed_date"],
    )


def pct(value: float) -> str:
    return f"{value:.1%}"


def test_the_force_is_compared_with_the_residents(page):
    roster = raw("chicago_officer_roster_active_sample.csv")
    sworn = roster[roster["SWORN_OFFICER_I"] == "Y"]["RACE"].map(ROSTER_RACE).value_counts()
    known = sworn.drop("unknown", errors="ignore").sum()
    table = Tables(page)["force-by-race"]
    for race, officers in sworn.items():
        assert table.loc[race, "sworn officers"] == f"{officers:,}"
        if race in POPULATION["by_race"]:
            officer_share = officers / known
            resident_share = POPULATION["by_race"][race] / POPULATION["total"]
            assert table.loc[race, "share of officers"] == pct(officer_share)
            assert table.loc[race, "share of residents"] == pct(resident_share)
            assert table.loc[race, "gap (percentage points)"] == f"{(officer_share - resident_share) * 100:.1f}"
    assert "test figures, not census data" in unescape(page)


def test_complaints_count_each_complaint_once(page):
    complaints = raw("chicago_complaints_sample.csv").drop_duplicates("cr_id")
    years = pd.to_datetime(complaints["complaint_date"]).dt.year.value_counts()
    table = Tables(page)["complaints-by-year"]
    assert {int(y): int(n.replace(",", "")) for y, n in table["complaints"].items()} == years.to_dict()
    assert f"{len(complaints):,} complaints" in unescape(page)


def test_findings_and_sustained_rates(page, accused):
    tables = Tables(page)
    findings = tables["findings"]
    for finding, n in accused["finding"].value_counts().items():
        assert findings.loc[finding, "allegations"] == f"{n:,}"
    closed = accused[~accused["finding"].isin(["unknown", "pending"])]
    by_race = closed.groupby("officer_race")["finding"].agg(closed="size", sustained=lambda s: (s == "sustained").sum())
    table = tables["sustained-by-officer_race"]
    for race, row in by_race.iterrows():
        assert table.loc[race, "closed"] == f"{row['closed']:,}"
        assert table.loc[race, "sustained"] == f"{row['sustained']:,}"
        assert table.loc[race, "rate"] == pct(row["sustained"] / row["closed"])
    black, white = by_race.loc["black"], by_race.loc["white"]
    contingency = [[black.sustained, black.closed - black.sustained], [white.sustained, white.closed - white.sustained]]
    if stats.contingency.expected_freq(contingency).min() < 5:
        p = stats.fisher_exact(contingency).pvalue
    else:
        p = stats.chi2_contingency(contingency).pvalue
    assert table.loc["black", "p-value"] == ("< 0.001" if p < 0.001 else f"{p:.3f}")
    category = accused["complaint_category"].replace("", "not recorded")
    top = category.value_counts().index[0]
    rows = closed[category.loc[closed.index] == top]
    shown = tables["sustained-by-category"].loc[top]
    assert shown["allegations"] == f"{(category == top).sum():,}"
    assert shown["sustained rate"] == pct((rows["finding"] == "sustained").mean())


def test_sustained_rate_by_complainant_race_is_per_complaint(page, accused):
    people = raw("chicago_complaints_complainants_sample.csv").assign(race=lambda f: f["race"].map(COMPLAINANT_RACE))
    race = people.groupby("cr_id")["race"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "several")
    outcome = accused.groupby("cr_id")["finding"].agg(
        closed=lambda s: not s.isin(["unknown", "pending"]).any(), sustained=lambda s: (s == "sustained").any()
    )
    joined = outcome.join(race, how="inner")
    closed = joined[joined["closed"]]
    expected = closed.groupby("race")["sustained"].agg(["size", "sum"])
    table = Tables(page)["sustained-by-complainant_race"]
    for group, row in expected.iterrows():
        assert table.loc[group, "closed"] == f"{row['size']:,}"
        assert table.loc[group, "sustained"] == f"{row['sum']:,}"


def test_repeated_complaints_are_counted_by_officer_never_by_name(page, accused):
    per_officer = accused.groupby("officer")["cr_id"].nunique()
    table = Tables(page)["complaints-per-officer"]
    assert table.loc["1", "officers"] == f"{(per_officer == 1).sum():,}"
    assert table.loc["5–9", "officers"] == f"{per_officer.between(5, 9).sum():,}"
    assert table.loc["5–9", "share of complaints"] == pct(
        per_officer[per_officer.between(5, 9)].sum() / per_officer.sum()
    )
    most = Tables(page)["most-named-officers"]
    assert most["complaints"].tolist() == [f"{n:,}" for n in per_officer.sort_values(ascending=False).head(len(most))]
    text = unescape(page)
    assert not any(name in text for name in set(accused["full_name"]))
    assert "OFFICER 0" not in text


def test_the_page_states_its_caveats_and_sources(page):
    text = unescape(page)
    for words in ("a finding is the department's", "not a court's judgment", "Questions to ask next",
                  "Where this data comes from", "never by name"):  # fmt: skip
        assert words.casefold() in text.casefold(), words
    assert text.count("Source: <code>") == len(PRESET_NAMES)


def test_small_counts_are_hidden_and_dates_limit_complaints_not_the_roster(tmp_path):
    root = make_project(
        tmp_path / "toolkit",
        [preset_source(name) for name in PRESET_NAMES],
        reports={"suppress_small_counts": True, "end_date": "2009-12-31"},
    )
    page = run_report(root, TOPIC)
    assert small_counts_shown(page) == []
    tables = Tables(page)
    years = [int(y) for y in tables["complaints-by-year"].index]
    assert max(years) == 2009
    complaints = raw("chicago_complaints_sample.csv").drop_duplicates("cr_id")
    early = pd.to_datetime(complaints["complaint_date"]).dt.year.value_counts().loc[lambda s: s.index <= 2009]
    for year, row in tables["complaints-by-year"].iterrows():
        n = early[int(year)]
        assert row["complaints"] == (f"{n:,}" if n >= 10 else "<10")
    roster = raw("chicago_officer_roster_active_sample.csv")
    white = ((roster["SWORN_OFFICER_I"] == "Y") & (roster["RACE"] == "WHITE")).sum()
    assert tables["force-by-race"].loc["white", "sworn officers"] == f"{white:,}"  # every officer, whatever the dates
