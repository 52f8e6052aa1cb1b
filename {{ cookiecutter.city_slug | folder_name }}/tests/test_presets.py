"""Every mapping preset standardizes its real fixture with no error and no value left unmapped."""

from __future__ import annotations

import pytest

from safety_toolkit.config import load_config

from .presets import PRESETS


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_each_preset_fits_its_real_data(standardized, name):
    done = standardized(name)
    frame = done.frame()
    assert len(frame) == done.snapshots[0].rows > 0
    for column, entry in done.report["sources"][0]["columns"].items():
        unmapped = [v for v in entry.get("values", []) if v["status"] == "unmapped"]
        assert not unmapped, f"{name}: {column} leaves {unmapped[:3]} unmapped"
        parsing = entry.get("parsing", {})
        if parsing.get("present"):
            assert parsing["failed"] < parsing["present"], f"{name}: {column} parses nothing"
    if load_config(done.root / "toolkit.yaml").sources(done.topic)[0].mapping.get("date"):
        # a few published files have no date at all
        assert frame["date"].notna().any(), f"{name}: no dates"
