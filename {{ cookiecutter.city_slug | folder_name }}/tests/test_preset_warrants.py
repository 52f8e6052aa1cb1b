"""The Erie County warrants presets: counts after standardizing equal an independent reading of the
raw files."""

from __future__ import annotations

import pandas as pd
import pytest

from .labels import ERIE_RACE
from .presets import read_raw


def _expected(raw: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    parts = raw["race_sex"].str.rsplit(" ", n=1, expand=True)
    return parts[0].map(ERIE_RACE), parts[1].str.lower()


@pytest.mark.parametrize(
    ("preset", "seen"), [("erie_county_warrants", "first_seen_utc"), ("erie_county_warrants_snapshots", "snapshot_utc")]
)
def test_race_sex_dates_and_charges(standardized, preset, seen):
    frame, raw = standardized(preset).frame(), read_raw(preset)
    race, sex = _expected(raw)
    assert frame["subject_race"].value_counts().to_dict() == race.value_counts().to_dict()
    assert frame["subject_sex"].value_counts().to_dict() == sex.value_counts().to_dict()
    assert (frame["date"] == pd.to_datetime(raw["date_received"], format="%m/%d/%Y")).all()
    assert (frame["first_seen"].dt.strftime("%Y-%m-%d") == raw[seen].str[:10]).all()
    assert (frame["offense"] == raw["reason_for_warrant"]).all()
    # The published list never says whether a warrant was served.
    assert (frame["status"] == "unknown").all()
    assert frame["served_date"].isna().all()


def test_snapshots_keep_one_row_per_warrant_per_copy(standardized):
    frame = standardized("erie_county_warrants_snapshots").frame()
    raw = read_raw("erie_county_warrants_snapshots")
    assert len(frame) == len(raw)
    assert frame["warrant_id"].nunique() == raw["warrant_number"].nunique() < len(raw)
    assert frame["warrant_id"].str.contains("&").sum() == raw["warrant_number"].str.contains("&").sum() > 0
    # suspect_description holds line breaks and inch marks (5'8"): read whole, never split into rows.
    assert raw["suspect_description"].str.contains("\n").all()
