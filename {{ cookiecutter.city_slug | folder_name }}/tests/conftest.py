"""Shared fixtures: a throwaway copy of this toolkit pointed at the real sample in tests/fixtures, and the mapping
presets' real fixtures standardized once per test session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from .presets import SAMPLE, Standardized, standardize
from .report_helpers import copy_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the toolkit (code, notebooks) with the test toolkit.yaml and no data yet."""
    return copy_project(tmp_path / "toolkit")


@pytest.fixture(scope="session")
def raw_sample() -> pd.DataFrame:
    """The sample exactly as published: every value as text, blanks as ""."""
    return pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def standardized(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Standardized]:
    """`standardized("a", "b")`: a toolkit whose topic has presets a and b as its sources, fetched and standardized
    once per session. Tests share it: read it, never change it (copy what you change)."""
    done: dict[tuple[str, ...], Standardized] = {}

    def get(*names: str) -> Standardized:
        if names not in done:
            done[names] = standardize(tmp_path_factory.mktemp("-".join(names)[:60]), *names)
        return done[names]

    return get
