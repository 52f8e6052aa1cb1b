"""Every dataset that has a preset, mapped as if it had none (suggestion only): the suggested mapping
standardizes, and every key figure it gets wrong (counts by race and sex, search and frisk rates by race, force
types) sits on a column flagged for review. benchmarks/suggest.py prints the same comparison as a table."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from .presets import FIXTURES
from .report_helpers import PROJECT

spec = importlib.util.spec_from_file_location("suggest_benchmark", PROJECT / "benchmarks" / "suggest.py")
assert spec
assert spec.loader
benchmark = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = benchmark  # its dataclasses look themselves up there
spec.loader.exec_module(benchmark)
PRESETS = [p for p in benchmark.all_presets() if p.fixture and (FIXTURES / p.fixture).exists()]


@pytest.mark.parametrize("preset", PRESETS, ids=[p.name for p in PRESETS])
def test_no_wrong_key_figure_goes_unflagged(tmp_path, preset):
    result = benchmark.score(preset, tmp_path)
    assert not result.failure or result.failure == "nothing was suggested", result.failure
    assert result.key_unflagged == 0, result.details
    assert result.values_wrong == 0, result.details
