"""The Erie County warrants presets: counts after standardizing equal an independent reading of the
raw files."""

from __future__ import annotations

import pandas as pd
import pytest

from .conftest import FIXTURES
from .test_presets import standardize_preset

PER_WARRANT = FIXTURES / "warrants" / "erie_county_warrants_per_warrant.csv"
SNAPSHOTS = FIXTURES / "warrants" / "erie_county_warrants_snapshots_sample.csv"
# "White Male" -> race "White", sex "Male"; the toolkit's words for the race labels.
RACE = {
    "White": "white",
    "Black": "black",
    "Hispanic": "hispanic",
    "Asian": "asian/pacific islander",
    "American Indian": "other",
}


def _expected(raw: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    parts = raw["race_sex"].str.rsplit(" ", n=1, expand=True)
    return parts[0].map(RACE), parts[1].str.lower()


@pytest.mark.parametrize(
    ("preset", "path", "seen"),
    [
        ("erie_county_warrants", PER_WARRANT, "first_seen_utc"),
        ("erie_county_warrants_snapshots", SNAPSHOTS, "snapshot_utc"),
    ],
)
def test_race_sex_dates_and_charges(tmp_path, preset, path, seen):
    frame, _, _ = standardize_preset(tmp_path, preset)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    race, sex = _expected(raw)
    assert frame["subject_race"].value_counts().to_dict() == race.value_counts().to_dict()
    assert frame["subject_sex"].value_counts().to_dict() == sex.value_counts().to_dict()
    assert (frame["date"] == pd.to_datetime(raw["date_received"], format="%m/%d/%Y")).all()
    assert (frame["first_seen"].dt.strftime("%Y-%m-%d") == raw[seen].str[:10]).all()
    assert (frame["offense"] == raw["reason_for_warrant"]).all()
    # The published list never says whether a warrant was served.
    assert (frame["status"] == "unknown").all() and frame["served_date"].isna().all()


def test_snapshots_keep_one_row_per_warrant_per_copy(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "erie_county_warrants_snapshots")
    raw = pd.read_csv(SNAPSHOTS, dtype=str, keep_default_na=False)
    assert len(frame) == len(raw)
    assert frame["warrant_id"].nunique() == raw["warrant_number"].nunique() < len(raw)
    assert frame["warrant_id"].str.contains("&").sum() == raw["warrant_number"].str.contains("&").sum() > 0
    # suspect_description holds line breaks and inch marks (5'8"): read whole, never split into rows.
    assert raw["suspect_description"].str.contains("\n").all()
