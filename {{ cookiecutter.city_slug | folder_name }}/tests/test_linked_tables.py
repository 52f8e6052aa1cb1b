"""Linked tables on real data (Chicago's Tactical Response Reports: one row per report, its subject in another
table, its actions in a third, one row per action): each is fetched and snapshotted as a source, joined on its
key, and the unit of analysis stays one row per report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from safety_toolkit.cli import main
from safety_toolkit.config import load_config
from safety_toolkit.standardize import MappingError, one_row_per_value, processed_path, standardize_topic
from safety_toolkit.store import Store

from .presets import FIXTURES

FILES = (
    "chicago_trr_main_first300.csv",
    "chicago_trr_subjects_first300.csv",
    "chicago_trr_actions_responses_first300.csv",
)
RACES = {"BLACK": "black", "WHITE": "white", "HISPANIC": "hispanic", "ASIAN/PACIFIC ISLANDER": "asian/pacific islander",
         "NATIVE AMERICAN/ALASKAN NATIVE": "other"}  # fmt: skip


def _city(tmp_path: Path, many: bool = True) -> Path:
    for name in FILES:
        shutil.copy(FIXTURES / "linked" / name, tmp_path / name)
    source = {
        "location": FILES[0],
        "related": {
            "subjects": {"location": FILES[1], "on": "row_id"},
            "actions": {"location": FILES[2], "on": "row_id", "many": many, "where": {"person": "Member Action"}},
        },
        "mapping": {
            "incident_id": "trr_id",
            "date": {"column": "trr_date", "format": "%Y-%m-%d"},
            "subject_race": {"column": "subjects.race", "values": RACES},
            "subject_sex": {"column": "subjects.gender", "values": {"MALE": "male", "FEMALE": "female"}},
            "subject_injured": {"column": "subjects.injured", "values": {"Yes": True, "No": False}},
            "force_type": {"column": "actions.action", "split": "; "},
        },
    }
    config = {"city": "Chicago", "state": "IL", "timezone": "America/Chicago",
              "topics": {"use_of_force": {"sources": [source]}}}  # fmt: skip
    (tmp_path / "toolkit.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert main(["--config", str(tmp_path / "toolkit.yaml"), "fetch"]) == 0
    return tmp_path


def _raw(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "linked" / name, dtype=str, keep_default_na=False)


def test_linked_tables_are_fetched_and_joined_one_row_per_report(tmp_path):
    root = _city(tmp_path)
    config = load_config(root / "toolkit.yaml")
    store = Store(root)
    source = config.sources("use_of_force")[0]
    for table in source.related:  # each its own snapshot in the manifest
        snap = store.current("use_of_force", table.key, table.location)
        assert snap is not None
        assert snap.rows == len(_raw(Path(table.location).name))
    report = standardize_topic(config, "use_of_force", store)
    frame = pd.read_parquet(processed_path(root, "use_of_force"))
    main_rows, subjects, actions = (_raw(name) for name in FILES)
    assert len(frame) == report["rows"] == len(main_rows) == 300  # not 3,334 action rows
    expected = main_rows.merge(subjects, on="row_id", how="left")["race"].map(RACES).fillna("unknown")
    assert frame["subject_race"].value_counts().to_dict() == expected.value_counts().to_dict()
    # "Incidents involving a take-down": reports with at least one such member action.
    involving = one_row_per_value(frame, "force_type")
    member = actions[actions["person"] == "Member Action"]
    for action in ("TAKE DOWN", "HANDCUFFS / PHYSICAL RESTRAINTS", "MEMBER PRESENCE"):
        assert (involving["force_type"] == action).sum() == member.loc[member["action"] == action, "row_id"].nunique()
    subject_only = set(actions.loc[actions["person"] == "Subject Action", "action"]) - set(member["action"])
    assert subject_only
    assert not subject_only & set(involving["force_type"].dropna())


def test_a_link_that_would_count_rows_twice_is_refused(tmp_path):
    root = _city(tmp_path, many=False)
    with pytest.raises(MappingError) as err:
        standardize_topic(load_config(root / "toolkit.yaml"), "use_of_force", Store(root))
    assert "related.actions" in str(err.value)
    assert "many: true" in str(err.value)


def test_a_declared_unit_is_reported_with_the_column_to_count(tmp_path):
    from safety_toolkit.mapping_review import topic_review

    root = _city(tmp_path)
    path = root / "toolkit.yaml"
    assert topic_review(load_config(path), "use_of_force", look_at_data=False).unit == "uses of force"
    data = yaml.safe_load(path.read_text())
    data["topics"]["use_of_force"]["sources"][0]["unit"] = "subjects of force"
    path.write_text(yaml.safe_dump(data))
    review = topic_review(load_config(path), "use_of_force", look_at_data=False)
    assert (review.unit, review.id_column) == ("subjects of force", "incident_id")
