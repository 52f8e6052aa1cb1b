"""The warrants report, run by the command line on saved copies of the Erie County (NY) Sheriff's
published list: its numbers equal an independent pandas computation, and it says what the list cannot."""

from __future__ import annotations

import pandas as pd

from .labels import ERIE_RACE
from .presets import read_raw
from .report_helpers import run_report


def test_report_on_saved_copies_of_a_published_list(project):
    page = run_report(project, "warrants", "erie_county_warrants_snapshots", city="Buffalo", state="NY")
    raw = read_raw("erie_county_warrants_snapshots")
    listed = raw.drop_duplicates("warrant_number")

    assert "Warrants in Buffalo, NY" in page.text
    assert f"its {len(raw):,} rows hold {len(listed):,} warrants" in page.text
    assert f"{len(listed):,} warrants from" in page.text  # the data-quality section counts warrants, not rows

    years = page.table("warrants-by-year", "year")
    issued = pd.to_datetime(listed["date_received"], format="%m/%d/%Y").dt.year.astype(str).value_counts()
    assert years["warrants"].to_dict() == {y: f"{n:,}" for y, n in issued.items()}
    assert (years["served"] == "0").all()
    assert years["unknown"].tolist() == years["warrants"].tolist()
    assert "This data records no status, so it cannot say which warrants were served" in page.text
    newest = pd.to_datetime(listed["date_received"], format="%m/%d/%Y").max()
    assert f"The newest warrant on it was received on {newest:%B %-d, %Y}" in page.text

    races = page.table("warrants-by-subject-race", "Race")["warrants"]
    expected = listed["race_sex"].str.rsplit(" ", n=1).str[0].map(ERIE_RACE).value_counts()
    assert races.to_dict() == {r: f"{n:,}" for r, n in expected.items()}

    charges = page.table("warrants-by-charge", "charge")["warrants"]
    counted = listed["reason_for_warrant"].str.split(";").map(lambda p: {c.strip() for c in p}).explode()
    counted = counted.value_counts()
    for charge, shown in charges.items():
        assert shown == f"{counted[charge]:,}"
    assert "not necessarily served" in page.text
