"""The warrants report, run by the command line on saved copies of the Erie County (NY) Sheriff's
published list: its numbers equal an independent pandas computation, and it says what the list cannot."""

from __future__ import annotations

import pandas as pd

from .conftest import FIXTURES
from .test_hate_crime_report import Tables, run_report

SNAPSHOTS = FIXTURES / "warrants" / "erie_county_warrants_snapshots_sample.csv"
RACE = {
    "White": "white",
    "Black": "black",
    "Hispanic": "hispanic",
    "Asian": "asian/pacific islander",
    "American Indian": "other",
}


def test_report_on_saved_copies_of_a_published_list(project):
    page = run_report(project, "warrants", "Buffalo", "NY", "erie_county_warrants_snapshots")
    raw = pd.read_csv(SNAPSHOTS, dtype=str, keep_default_na=False)
    listed = raw.drop_duplicates("warrant_number")
    tables = Tables(page)

    assert "Warrants in Buffalo, NY" in page
    assert f"its {len(raw):,} rows hold {len(listed):,} warrants" in page
    assert f"{len(listed):,} warrants from" in page  # the data-quality section counts warrants, not rows

    years = tables["warrants-by-year"].set_index("year")
    issued = pd.to_datetime(listed["date_received"], format="%m/%d/%Y").dt.year.astype(str).value_counts()
    assert years["warrants"].to_dict() == {y: f"{n:,}" for y, n in issued.items()}
    assert (years["served"] == "0").all() and years["unknown"].tolist() == years["warrants"].tolist()
    assert "This data records no status, so it cannot say which warrants were served" in page
    newest = pd.to_datetime(listed["date_received"], format="%m/%d/%Y").max()
    assert f"The newest warrant on it was received on {newest:%B %-d, %Y}" in page

    races = tables["warrants-by-subject-race"].set_index("Race")["warrants"]
    expected = listed["race_sex"].str.rsplit(" ", n=1).str[0].map(RACE).value_counts()
    assert races.to_dict() == {r: f"{n:,}" for r, n in expected.items()}

    charges = tables["warrants-by-charge"].set_index("charge")["warrants"]
    counted = listed["reason_for_warrant"].str.split(";").map(lambda p: {c.strip() for c in p}).explode()
    counted = counted.value_counts()
    for charge, shown in charges.items():
        assert shown == f"{counted[charge]:,}"
    for text in ("not necessarily served", "Questions to ask next", "Where this data comes from"):
        assert text in page
