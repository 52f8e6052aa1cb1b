"""Shared fixtures: a throwaway copy of this toolkit pointed at the real sample in tests/fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT / "tests" / "fixtures"
SAMPLE = FIXTURES / "minneapolis_stops_2017_sample.csv"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the toolkit (code, notebooks) with the test toolkit.yaml and no data yet."""
    root = tmp_path / "toolkit"
    shutil.copytree(
        PROJECT,
        root,
        ignore=shutil.ignore_patterns(".venv", ".git", "data", "reports", "index.html", "__pycache__", ".*cache"),
    )
    (root / "data").mkdir()
    shutil.copy(FIXTURES / "toolkit.yaml", root / "toolkit.yaml")
    shutil.copy(SAMPLE, root / SAMPLE.name)
    return root


@pytest.fixture(scope="session")
def raw_sample() -> pd.DataFrame:
    """The sample exactly as published: every value as text, blanks as ""."""
    return pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
