"""`map TOPIC` and `inspect TOPIC --suggest` on real data: the suggestion lands in toolkit.yaml under its source,
every other line of the file untouched, each guess with its evidence; the source says `review: needed`; a source
whose columns match a preset gets the preset; the result standardizes, and the review module reports it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from safety_toolkit.cli import main
from safety_toolkit.config import load_config
from safety_toolkit.mapping_review import topic_review
from safety_toolkit.standardize import processed_path

from .presets import FIXTURES

TOOLKIT = """\
# A city's toolkit, as a volunteer left it: comments, odd spacing and quotes must survive.
city: Testville   # the name people use
state: MN
timezone: America/Chicago

reports:
  small_count_threshold: 10     # counts below this are flagged
topics:
  use_of_force:
    sources:
      - location: chicago_trr_main_first300.csv
        title: 'Chicago: tactical response reports'
        # No mapping is known for this source yet. After "make reports", the report shows its
        # columns; add "mapping:" here to map them onto the standard columns.
  police_stops:
    sources:
      - location: opp_ca_oakland_short.csv   # an Open Policing Project file
  arrests:
    sources: []
# a closing comment
"""


@pytest.fixture
def city(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "use_of_force" / "seattle_use_of_force_sample.csv", tmp_path)
    shutil.copy(FIXTURES / "linked" / "chicago_trr_main_first300.csv", tmp_path)
    shutil.copy(FIXTURES / "police_stops" / "opp_ca_oakland_short.csv", tmp_path)
    (tmp_path / "toolkit.yaml").write_text(TOOLKIT, encoding="utf-8")
    assert main(["--config", str(tmp_path / "toolkit.yaml"), "fetch"]) == 0
    return tmp_path


def test_map_writes_a_reviewed_suggestion_and_keeps_everything_else(city, capsys):
    path = city / "toolkit.yaml"
    assert main(["--config", str(path), "map", "use_of_force"]) == 0
    text = path.read_text(encoding="utf-8")
    kept = [line for line in TOOLKIT.splitlines() if "No mapping is known" not in line and "columns; add" not in line]
    lines = text.splitlines()
    assert [line for line in lines if line in kept] == kept  # every other line, in order, byte for byte
    source = yaml.safe_load(text)["topics"]["use_of_force"]["sources"][0]
    assert source["review"] == "needed"
    assert source["mapping"]["date"] == {"column": "trr_date", "format": "%Y-%m-%d"}
    assert "time" not in source["mapping"]  # a date-only column gives no time of day
    at = next(i for i, line in enumerate(lines) if line.strip() == "mapping:")
    indent = len(lines[at]) - len(lines[at].lstrip()) + 2
    entries = [line for line in lines[at + 1 :] if len(line) - len(line.lstrip()) == indent and line.strip()[0] != "#"]
    assert len(entries) == len(source["mapping"])
    assert all("# guess (" in line for line in entries)  # each entry says what it rests on
    assert "review: needed" not in capsys.readouterr().err
    # The suggestion is a valid mapping: standardize runs on it.
    assert main(["--config", str(path), "standardize", "--topic", "use_of_force"]) == 0
    frame = pd.read_parquet(processed_path(city, "use_of_force"))
    raw = pd.read_csv(city / "chicago_trr_main_first300.csv", dtype=str, keep_default_na=False)
    assert len(frame) == len(raw)
    assert frame["time"].isna().all()
    assert frame["date"].astype(str).tolist() == raw["trr_date"].tolist()


def test_map_twice_does_not_overwrite_a_mapping(city, capsys):
    path = city / "toolkit.yaml"
    assert main(["--config", str(path), "map", "use_of_force"]) == 0
    before = path.read_text(encoding="utf-8")
    main(["--config", str(path), "map", "use_of_force"])
    assert path.read_text(encoding="utf-8") == before
    assert "already mapped" in capsys.readouterr().out


def test_inspect_suggest_prints_the_same_yaml_without_writing(city, capsys):
    path = city / "toolkit.yaml"
    assert main(["--config", str(path), "inspect", "use_of_force", "--suggest"]) == 0
    printed = capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == TOOLKIT
    block = yaml.safe_load("\n".join(line for line in printed.splitlines() if not line.startswith("# topics")))
    main(["--config", str(path), "map", "use_of_force"])
    written = yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]["use_of_force"]["sources"][0]
    assert block["mapping"] == written["mapping"]
    assert block["review"] == "needed"


def test_an_open_policing_file_gets_its_preset_by_layout_and_standardizes(city):
    path = city / "toolkit.yaml"
    assert main(["--config", str(path), "map", "police_stops"]) == 0
    source = load_config(path).sources("police_stops")[0]
    assert source.preset == "open_policing_project"
    assert not source.review
    assert main(["--config", str(path), "standardize", "--topic", "police_stops"]) == 0
    frame = pd.read_parquet(processed_path(city, "police_stops"))
    raw = pd.read_csv(city / "opp_ca_oakland_short.csv", dtype=str, keep_default_na=False, on_bad_lines="skip")
    good = raw[raw["date"] != "c"]
    assert frame["search_conducted"].sum() == (good["search_conducted"] == "TRUE").sum()
    assert (frame["subject_race"] == "black").sum() == (good["subject_race"] == "black").sum()


def test_the_review_names_guesses_and_unmapped_columns(city):
    path = city / "toolkit.yaml"
    main(["--config", str(path), "map", "use_of_force"])
    review = topic_review(load_config(path), "use_of_force")
    assert review.needs_review
    assert "date" in review.guessed
    assert "reads as dates" in review.guessed["date"]
    assert review.status("beat").state == "guessed"
    assert review.status("beat").raw == ("beat",)
    assert review.status("subject_race").state == "not_recorded"
    assert "does not record" in review.status("subject_race").sentence
    assert "review: needed" in review.banner
    assert "Chicago" in review.banner
    # Once a person deletes a guessed entry, the review says the column is there but not mapped.
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if not line.strip().startswith("beat:")) + "\n", "utf-8")
    status = topic_review(load_config(path), "use_of_force").status("beat")
    assert status.state == "not_mapped"
    assert status.raw == ("beat",)
    assert "('beat')" in status.sentence
    assert "not mapped" in status.sentence
    # Once a person removes 'review: needed', nothing is shown as a guess.
    path.write_text(path.read_text(encoding="utf-8").replace("review: needed", ""), encoding="utf-8")
    confirmed = topic_review(load_config(path), "use_of_force")
    assert not confirmed.needs_review
    assert confirmed.banner == ""
    assert confirmed.status("date").state == "mapped"


def test_a_file_in_a_known_layout_gets_its_preset_after_fetch(city):
    path = city / "toolkit.yaml"
    path.write_text(
        TOOLKIT.replace("chicago_trr_main_first300.csv", "seattle_use_of_force_sample.csv")
    )
    assert main(["--config", str(path), "fetch", "--topic", "use_of_force"]) == 0
    assert main(["--config", str(path), "map", "use_of_force"]) == 0
    source = load_config(path).sources("use_of_force")[0]
    assert source.preset == "seattle_use_of_force"
    assert source.mapping["subject_race"]["column"] == "Subject_Race"
    assert main(["--config", str(path), "standardize", "--topic", "use_of_force"]) == 0


def test_all_maps_a_new_source_before_standardizing(city):
    from safety_toolkit.cli import cmd_map_unmapped, cmd_standardize

    config = load_config(city / "toolkit.yaml")

    class Args:
        topic = None

    assert cmd_map_unmapped(config, Args()) == 0
    assert cmd_standardize(load_config(city / "toolkit.yaml"), Args()) == 0
    assert processed_path(city, "use_of_force").exists()
    assert processed_path(city, "police_stops").exists()


# A reviewer's files with no preset: real files with one column dropped, so that no preset's layout matches and
# the suggester alone decides.
def _unknown_city(tmp_path: Path, topic: str, fixture: Path, drop: str, newline: str = "\n") -> Path:
    frame = pd.read_csv(fixture, dtype=str, keep_default_na=False, on_bad_lines="skip").drop(columns=[drop])
    frame.to_csv(tmp_path / fixture.name, index=False)
    text = f"city: Testville\nstate: MN\ntimezone: America/Chicago\ntopics:\n  {topic}:\n    sources:\n"
    text += f"      - location: {fixture.name}\n        title: A city's file\n"
    (tmp_path / "toolkit.yaml").write_bytes(text.replace("\n", newline).encode("utf-8"))
    assert main(["--config", str(tmp_path / "toolkit.yaml"), "fetch"]) == 0
    return tmp_path / "toolkit.yaml"


def _map_and_standardize(path: Path, topic: str) -> pd.DataFrame:
    assert main(["--config", str(path), "map", topic]) == 0
    assert load_config(path).sources(topic)[0].preset is None  # the suggester, not a preset
    assert main(["--config", str(path), "standardize", "--topic", topic]) == 0
    return pd.read_parquet(processed_path(path.parent, topic))


def test_null_tokens_are_missing_in_every_column_and_the_file_says_why(tmp_path):
    fixture = FIXTURES / "use_of_force" / "seattle_use_of_force_sample.csv"
    path = _unknown_city(tmp_path, "use_of_force", fixture, "Subject_ID")
    frame = _map_and_standardize(path, "use_of_force")
    text = path.read_text(encoding="utf-8")
    source = load_config(path).sources("use_of_force")[0]
    assert source.read["null_values"] == ["-"]
    assert "'-' in 'Precinct'" in text
    assert "missing" in text
    raw = pd.read_csv(fixture, dtype=str, keep_default_na=False)
    assert "-" not in set(frame["precinct"].dropna())
    assert frame["precinct"].isna().sum() == (raw["Precinct"] == "-").sum() == 25


def test_na_in_an_open_policing_file_is_missing_not_a_beat(tmp_path):
    fixture = FIXTURES / "police_stops" / "opp_ca_oakland_short.csv"
    path = _unknown_city(tmp_path, "police_stops", fixture, "type")
    frame = _map_and_standardize(path, "police_stops")
    assert "NA" in load_config(path).sources("police_stops")[0].read["null_values"]
    assert "NA" not in set(frame["beat"].dropna())
    assert frame["beat"].isna().sum() >= 97


def test_a_second_header_row_is_skipped_not_counted(tmp_path):
    fixture = FIXTURES / "use_of_force" / "indianapolis_use_of_force_sample.csv"
    path = _unknown_city(tmp_path, "use_of_force", fixture, "OFFICER_ID")
    frame = _map_and_standardize(path, "use_of_force")
    assert load_config(path).sources("use_of_force")[0].read["skip_rows"] == [1]
    assert "second header" in path.read_text(encoding="utf-8")
    raw = pd.read_csv(fixture, dtype=str, keep_default_na=False)
    assert raw.iloc[0]["TYPE_OF_FORCE_USED"] == "officerForceType"
    assert len(frame) == len(raw) - 1  # the labels row is not a record
    assert "officerForceType" not in set(frame["force_type"].dropna())
    # A later fetch of the unchanged file keeps the snapshot without the labels row.
    assert main(["--config", str(path), "fetch", "--topic", "use_of_force"]) == 0
    assert main(["--config", str(path), "standardize", "--topic", "use_of_force"]) == 0
    assert len(pd.read_parquet(processed_path(tmp_path, "use_of_force"))) == len(raw) - 1


def test_a_hashed_incident_identifier_is_the_incident(tmp_path):
    fixture = FIXTURES / "use_of_force" / "indianapolis_use_of_force_sample.csv"
    path = _unknown_city(tmp_path, "use_of_force", fixture, "OFFICER_ID")
    frame = _map_and_standardize(path, "use_of_force")
    assert load_config(path).sources("use_of_force")[0].mapping["incident_id"] == "INCIDENT_UNIQUE_IDENTIFIER"
    raw = pd.read_csv(fixture, dtype=str, keep_default_na=False).iloc[1:]
    assert frame["incident_id"].nunique() == raw["INCIDENT_UNIQUE_IDENTIFIER"].nunique() < len(raw)
    assert "hashed identifiers: not mapped" not in path.read_text(encoding="utf-8")


def test_the_incident_number_is_preferred_to_a_row_id(tmp_path):
    fixture = FIXTURES / "use_of_force" / "seattle_use_of_force_sample.csv"
    path = _unknown_city(tmp_path, "use_of_force", fixture, "Subject_ID")
    frame = _map_and_standardize(path, "use_of_force")
    assert load_config(path).sources("use_of_force")[0].mapping["incident_id"] == "Incident_Num"
    raw = pd.read_csv(fixture, dtype=str, keep_default_na=False)
    assert frame["incident_id"].nunique() == raw["Incident_Num"].nunique() < raw["ID"].nunique()
    # With the incident number gone, the row id is all there is, and the comment says what that means.
    other = tmp_path / "other"
    other.mkdir()
    path = _unknown_city(other, "use_of_force", fixture, "Incident_Num")
    assert main(["--config", str(path), "map", "use_of_force"]) == 0
    line = next(line for line in path.read_text(encoding="utf-8").splitlines() if "incident_id:" in line)
    assert "incident_id: ID" in line
    assert "each row will count as its own incident" in line


def test_map_keeps_windows_line_endings(tmp_path):
    fixture = FIXTURES / "use_of_force" / "seattle_use_of_force_sample.csv"
    path = _unknown_city(tmp_path, "use_of_force", fixture, "Subject_ID", newline="\r\n")
    assert main(["--config", str(path), "map", "use_of_force"]) == 0
    data = path.read_bytes()
    assert b"mapping:" in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_map_of_a_topic_without_sources_says_how_to_add_one(city, capsys):
    assert main(["--config", str(city / "toolkit.yaml"), "map", "warrants"]) == 0
    out = capsys.readouterr().out
    assert "warrants: no source" in out
    assert "topics.warrants.sources" in out
    assert "location:" in out


def test_map_without_a_topic_maps_every_unmapped_source(city, capsys):
    path = city / "toolkit.yaml"
    assert main(["--config", str(path), "map"]) == 0
    out = capsys.readouterr().out
    assert "use_of_force: topics.use_of_force.sources[0]: suggested a mapping" in out
    assert "police_stops: topics.police_stops.sources[0]: its columns match the preset" in out
    config = load_config(path)
    assert config.sources("use_of_force")[0].review
    assert config.sources("police_stops")[0].preset


def test_a_one_line_source_gets_the_block_to_write_instead(city, capsys):
    path = city / "toolkit.yaml"
    one_line = "      - {location: chicago_trr_main_first300.csv, title: 'Chicago: tactical response reports'}"
    lines = TOOLKIT.splitlines()
    at = lines.index("      - location: chicago_trr_main_first300.csv")
    path.write_text("\n".join([*lines[:at], one_line, *lines[at + 4 :]]) + "\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert main(["--config", str(path), "map", "use_of_force"]) == 1
    out = capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == before  # nothing written
    block = [line for line in out.splitlines() if line.startswith("      ")]
    assert block == [
        "      - location: chicago_trr_main_first300.csv",
        "        title: 'Chicago: tactical response reports'",
    ]
    # The lines it shows are the fix: written in place of the one-line source, map succeeds.
    path.write_text(before.replace(one_line, "\n".join(block)), encoding="utf-8")
    assert main(["--config", str(path), "map", "use_of_force"]) == 0
    assert load_config(path).sources("use_of_force")[0].review


def test_a_source_with_its_own_read_is_told_what_to_add(tmp_path):
    fixture = FIXTURES / "use_of_force" / "seattle_use_of_force_sample.csv"
    path = _unknown_city(tmp_path, "use_of_force", fixture, "Subject_ID")
    text = path.read_text(encoding="utf-8").replace("title: A city's file", "read: {encoding: utf-8}")
    path.write_text(text, encoding="utf-8")
    assert main(["--config", str(path), "map", "use_of_force"]) == 0
    assert load_config(path).sources("use_of_force")[0].read == {"encoding": "utf-8"}  # left as the person wrote it
    assert "Add to this source's read: null_values: ['-']" in path.read_text(encoding="utf-8")
