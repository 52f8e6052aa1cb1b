"""Police stops for the analyses' tests: the Minneapolis sample (tests/fixtures) fetched and standardized, the
publisher's race labels as the toolkit reads them, and made-up standardized stops for what the real samples lack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from safety_toolkit.analysis import Dataset
from safety_toolkit.config import load_config
from safety_toolkit.schema import get_schema
from safety_toolkit.sources import fetch_topic
from safety_toolkit.standardize import processed_path, standardize_topic
from safety_toolkit.store import Store

# The sample's race labels and the standard value the tests' toolkit.yaml maps each one to.
RACE = {
    "Asian": "asian/pacific islander",
    "Black": "black",
    "East African": "black",
    "Latino": "hispanic",
    "Native American": "other",
    "Other": "other",
    "Unknown": "unknown",
    "White": "white",
}


def sample_stops(project: Path, start: dt.date | None = None, end: dt.date | None = None) -> Dataset:
    """The sample in a copy of the toolkit (the `project` fixture), fetched and standardized; limited to start-end."""
    config = load_config(project / "toolkit.yaml")
    store = Store(project)
    fetch_topic(config, "police_stops", store)
    standardize_topic(config, "police_stops", store)
    return Dataset(processed_path(project, "police_stops"), start, end)


def made_up_stops(folder: Path, frame: pd.DataFrame) -> Dataset:
    """A dataset of made-up standardized stops, written to `folder`: the given columns, every other standard
    column empty."""
    for column in get_schema("police_stops").published:
        if column.output_name not in frame:
            frame[column.output_name] = pd.Series([None] * len(frame), dtype="object")
    path = folder / "stops.parquet"
    frame.to_parquet(path)
    return Dataset(path)
