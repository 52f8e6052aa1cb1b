"""A source with no mapping yet is shown column by column, but never its personal data: columns that look like
names, dates of birth, addresses, plates or ids show counts only, "withheld (looks like a name)"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import yaml

from safety_toolkit import quality
from safety_toolkit.cli import main
from safety_toolkit.config import load_config
from safety_toolkit.store import Store

from .presets import FIXTURES

FILES = {
    "accused.csv": FIXTURES / "police_personnel_records" / "chicago_complaints_accused_officers_sample.csv",
    "complaints.csv": FIXTURES / "police_personnel_records" / "chicago_complaints_sample.csv",
    "stops.csv": FIXTURES / "police_stops" / "mississippi_highway_patrol_stops_2013_sample.csv",
}
WITHHELD = {
    "accused.csv": {"full_name": "a name", "birth_year": "a date of birth", "current_star": "an id"},
    "complaints.csv": {"street": "an address", "address_number": "an address", "apartment_number": "an address"},
    "stops.csv": {"officer_id": "an id", "id": "an id"},
}
SHOWN = {"accused.csv": "race", "complaints.csv": "beat", "stops.csv": "driver_race"}


def _city(tmp_path: Path) -> Path:
    topics = {"police_personnel_records": {"sources": []}, "police_stops": {"sources": []}}
    for name, path in FILES.items():
        shutil.copy(path, tmp_path / name)
        topic = "police_stops" if name == "stops.csv" else "police_personnel_records"
        topics[topic]["sources"].append({"location": name})
    config = {"city": "T", "state": "IL", "timezone": "America/Chicago", "topics": topics}
    (tmp_path / "toolkit.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert main(["--config", str(tmp_path / "toolkit.yaml"), "fetch"]) == 0
    return tmp_path


def test_the_raw_profile_withholds_personal_columns(tmp_path):
    root = _city(tmp_path)
    config, store = load_config(root / "toolkit.yaml"), Store(root)
    for topic in ("police_personnel_records", "police_stops"):
        for source in config.sources(topic):
            snap = store.current(topic, source.key, source.location)
            frame = quality.raw_profile(root / snap.file).set_index("column")
            raw = pd.read_csv(root / source.location, dtype=str, keep_default_na=False)
            shown = frame.to_string()
            # A placeholder such as "-----" may be shown as another column's example: it names no one.
            elsewhere = set(raw.drop(columns=list(WITHHELD[source.location])).stack())
            for column, what in WITHHELD[source.location].items():
                assert frame.loc[column, "examples"] == f"withheld (looks like {what})"
                assert frame.loc[column, "blank"] == (raw[column].str.strip() == "").sum()  # the counts stay
                assert not any(v in shown for v in raw[column].unique() if len(v) > 4 and v not in elsewhere)
            assert frame.loc[SHOWN[source.location], "examples"]  # the rest is still shown


def test_inspect_withholds_them_too(tmp_path, capsys):
    root = _city(tmp_path)
    assert main(["--config", str(root / "toolkit.yaml"), "inspect", "police_personnel_records"]) == 0
    out = capsys.readouterr().out
    assert "OFFICER 0001" not in out
    assert "WRIGHTWOOD" not in out
    assert "withheld (looks like a name)" in out
    assert "withheld (looks like an address)" in out
