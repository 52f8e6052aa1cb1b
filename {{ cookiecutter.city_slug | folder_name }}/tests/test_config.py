"""toolkit.yaml is checked on load, and every error names the key, the line and the fix."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from safety_toolkit.config import ConfigError, load_config
from safety_toolkit.presets import all_presets
from safety_toolkit.template_defaults import Refresh
from safety_toolkit.toolkit_schema import REFERENCE_FILE, SCHEMA_FILE, main, reference_markdown, schema_text
from safety_toolkit.topics import TOPICS

from .presets import FIXTURES
from .report_helpers import PROJECT


def test_the_projects_own_configuration_loads():
    config = load_config(PROJECT / "toolkit.yaml")
    assert set(config.topics) == set(TOPICS)
    assert config.city
    assert config.timezone


def test_the_test_configuration_maps_the_stops_sample():
    config = load_config(FIXTURES / "toolkit.yaml")
    (source,) = config.sources("police_stops")
    assert source.location == "minneapolis_stops_2017_sample.csv"
    assert source.mapping["subject_race"]["values"]["East African"] == "black"
    assert source.path(config.root) == FIXTURES / "minneapolis_stops_2017_sample.csv"


def _broken(tmp_path: Path, old: str, new: str) -> str:
    text = (FIXTURES / "toolkit.yaml").read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "toolkit.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    return str(err.value)


@pytest.mark.parametrize(
    ("old", "new", "key", "hint"),
    [
        ("topics:", "topcis:", "topcis", "Did you mean 'topics'?"),
        ("timezone: America/Chicago", "timezone: Mars/Olympus", "timezone", "IANA time zone"),
        ("small_count_threshold: 10", "small_count_threshold: ten", "reports.small_count_threshold", "whole number"),
        (
            "suppress_small_counts: false",
            "suppress_small_counts: maybe",
            "reports.suppress_small_counts",
            "true or false",
        ),
        (
            "East African: black",
            "East African: afro",
            "mapping.subject_race.values.East African",
            "asian/pacific islander",
        ),
        ("reason_for_stop: problem", "reason_for_stopp: problem", "mapping.reason_for_stopp", "reason_for_stop"),
    ],
)
def test_errors_name_the_key_the_line_and_the_fix(tmp_path, old, new, key, hint):
    message = _broken(tmp_path, old, new)
    assert key in message
    assert hint in message
    lines = (tmp_path / "toolkit.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip() == new)
    assert f"line {line})" in message


def test_an_unquoted_yes_is_caught_before_it_silently_becomes_true(tmp_path):
    message = _broken(tmp_path, "'YES': true", "YES: true")
    assert "mapping.search_vehicle.values" in message
    assert "put it in quotes" in message


def test_a_mapping_needs_the_source_column(tmp_path):
    message = _broken(tmp_path, "lng: long", "lng:\n            format: '%Y'")
    assert "mapping.lng" in message
    assert "exactly one of: column, columns" in message


def test_an_end_date_before_the_start_date_is_refused(tmp_path):
    message = _broken(
        tmp_path,
        "suppress_small_counts: false",
        "suppress_small_counts: false\n  start_date: 2020-02-01\n  end_date: 2020-01-01",
    )
    assert "reports.end_date" in message
    assert "before the start date" in message


def test_broken_yaml_is_reported_as_such(tmp_path):
    message = _broken(tmp_path, "city: Minneapolis", "city: [Minneapolis")
    assert "not valid YAML" in message


def test_every_problem_is_listed_at_once(tmp_path):
    text = (FIXTURES / "toolkit.yaml").read_text(encoding="utf-8")
    text = text.replace("timezone: America/Chicago", "timezone: Nowhere").replace("topics:", "topix:")
    (tmp_path / "toolkit.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "toolkit.yaml")
    assert "2 problems" in str(err.value)


def _cli_on(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    """Run a command on a toolkit.yaml as a user would; a hang is a failure, not a wait."""
    path = tmp_path / "toolkit.yaml"
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "safety_toolkit", "--config", str(path), "dictionaries"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=PROJECT,
    )


FIXTURE_TEXT = (FIXTURES / "toolkit.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FIXTURE_TEXT.replace("timezone: America/Chicago\n", ""), "timezone (toolkit.yaml): this key is missing"),
        (FIXTURE_TEXT.replace("city: Minneapolis", "citty: Minneapolis"), "Did you mean 'city'?"),
        ("", "toolkit.yaml is empty"),
        ("- city: Minneapolis\n- state: MN\n", "expected a set of 'name: value' lines"),
    ],
    ids=["timezone deleted", "city misspelt", "empty file", "a list at the top"],
)
def test_a_missing_or_misspelt_top_level_key_ends_in_a_message(tmp_path, text, expected):
    done = _cli_on(tmp_path, text)
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_a_value_written_twice_is_an_error_naming_both_lines(tmp_path):
    message = _broken(tmp_path, "White: white", "White: white\n              White: black")
    lines = (tmp_path / "toolkit.yaml").read_text(encoding="utf-8").splitlines()
    first = lines.index("              White: white") + 1
    assert "mapping.subject_race.values.White" in message
    assert f"lines {first} and {first + 1}" in message


def test_a_second_block_for_the_same_topic_is_an_error_not_a_lost_source(tmp_path):
    message = _broken(tmp_path, "topics:\n", "topics:\n  police_stops:\n    sources: []\n")
    assert "topics.police_stops" in message
    assert "written twice" in message


def test_a_code_with_a_leading_zero_stays_the_text_that_was_written(tmp_path):
    path = tmp_path / "toolkit.yaml"
    path.write_text(FIXTURE_TEXT.replace("White: white", "White: white\n              0123: white"), encoding="utf-8")
    (source,) = load_config(path).sources("police_stops")
    values = source.mapping["subject_race"]["values"]
    assert values["0123"] == "white"
    assert 83 not in values  # what YAML 1.1 alone would make of 0123


def test_a_value_with_a_leading_zero_stays_the_text_that_was_written(tmp_path):
    path = tmp_path / "toolkit.yaml"
    path.write_text(FIXTURE_TEXT.replace("city: Minneapolis", "city: 0123"), encoding="utf-8")
    assert load_config(path).city == "0123"  # YAML 1.1 alone reads the octal number 83


@pytest.mark.parametrize(
    ("old", "new", "line_of", "hint"),
    [
        ("organization: Test", 'organization: "Test', 'organization: "Test', "opens a quote"),
        ("  small_count_threshold: 10", "\tsmall_count_threshold: 10", "\tsmall_count_threshold: 10", "tabs"),
    ],
    ids=["unclosed quote", "tab"],
)
def test_broken_yaml_names_the_file_and_the_line(tmp_path, old, new, line_of, hint):
    message = _broken(tmp_path, old, new)
    lines = (tmp_path / "toolkit.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index(line_of) + 1
    assert "toolkit.yaml is not valid YAML, line" in message
    assert f"Line {line} opens a quote" in message if hint == "opens a quote" else f"YAML, line {line}:" in message
    assert hint in message
    assert "<unicode string>" not in message


def test_a_misspelt_optional_key_is_named_with_a_suggestion(tmp_path):
    message = _broken(tmp_path, "date_field: date", "date_feild: date")
    assert "unknown key 'date_feild'" in message
    assert "Did you mean 'date_field'?" in message


def test_an_impossible_date_is_a_message_not_a_traceback(tmp_path):
    impossible = "suppress_small_counts: false\n  start_date: 2021-13-01"
    message = _broken(tmp_path, "suppress_small_counts: false", impossible)
    assert "reports.start_date" in message
    assert "is not a date" in message


def test_anchors_that_would_expand_without_end_are_refused_quickly(tmp_path):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    done = _cli_on(tmp_path, FIXTURE_TEXT + "bomb:\n" + "\n".join("  " + level for level in levels) + "\n")
    assert done.returncode == 2
    assert "anchors and aliases" in done.stderr


@pytest.mark.parametrize(
    ("old", "new", "key", "hint"),
    [
        ("topics:\n", "topics:\n  arrests: [x]\n", "topics.arrests", "expected a set of 'name: value' lines"),
        ("topics:\n", "topics:\n  arrests:\n    sources: x.csv\n", "topics.arrests.sources", "'- location:'"),
        ("topics:\n", "topics:\n  arrests:\n    sources:\n      - title: x\n", "sources[0].location", "is missing"),
        ("topics:\n", "boundaries:\n  2020: {location: a.geojson, area_property: A, column: beat}\ntopics:\n",
         "boundaries.2020", "letters, digits and _"),
        ("center: {lat: 44.9778, lng: -93.2650}", "center: {lat: north, lng: -93.2650}", "center.lat", "latitude"),
        ("center: {lat: 44.9778, lng: -93.2650}", "center: {lat: 44.9778}", "center", "both lat and lng"),
        ("topics:\n", "population: {total: 10, by_race: {white: 60}}\ntopics:\n", "population.by_race", "more than 10"),
        ("topics:\n", "population: {total: 100, by_race: {1: 60}}\ntopics:\n", "population.by_race.1", "standard race"),
        ("date_field: date", "date_field: date\n        preset: 7", "sources[0].preset", "the name of a preset"),
        ("date_field: date", "date_field: date\n        related: {subjects: {location: s.csv}}",
         "related.subjects.on", "is missing"),
    ],
)  # fmt: skip
def test_every_mistake_is_told_in_words_not_in_the_validators_own(tmp_path, old, new, key, hint):
    message = _broken(tmp_path, old, new)
    assert key in message
    assert hint in message
    assert "Input should" not in message
    assert "line " in message


# toolkit.defaults.yaml: the template's defaults, under the user's own toolkit.yaml.


def _with_defaults_file(tmp_path: Path, toolkit_extra: str = "", defaults: str | None = None) -> Path:
    """The test configuration (no reports: block unless added) beside the project's defaults file."""
    lines, kept, in_reports = (FIXTURES / "toolkit.yaml").read_text(encoding="utf-8").splitlines(), [], False
    for line in lines:
        in_reports = line.startswith("reports:") or (in_reports and line.startswith((" ", "#")))
        if not in_reports:
            kept.append(line)
    (tmp_path / "toolkit.yaml").write_text("\n".join(kept) + "\n" + toolkit_extra, encoding="utf-8")
    shutil.copy(FIXTURES / "minneapolis_stops_2017_sample.csv", tmp_path)
    own = (PROJECT / "toolkit.defaults.yaml").read_text(encoding="utf-8")
    (tmp_path / "toolkit.defaults.yaml").write_text(own if defaults is None else defaults, encoding="utf-8")
    return tmp_path / "toolkit.yaml"


def test_the_templates_defaults_apply_where_toolkit_yaml_is_silent(tmp_path):
    config = load_config(_with_defaults_file(tmp_path))
    assert (config.small_count_threshold, config.suppress_small_counts) == (10, False)
    assert (config.refresh.every, config.refresh.weekday) == ("weekly", "monday")
    # A newer template's default arrives...
    newer = (
        (PROJECT / "toolkit.defaults.yaml")
        .read_text(encoding="utf-8")
        .replace("small_count_threshold: 10", "small_count_threshold: 11")
    )
    assert load_config(_with_defaults_file(tmp_path, defaults=newer)).small_count_threshold == 11


def test_a_setting_in_toolkit_yaml_wins_key_by_key(tmp_path):
    path = _with_defaults_file(tmp_path, "\nreports:\n  small_count_threshold: 5\nrefresh:\n  every: daily\n")
    config = load_config(path)
    assert config.small_count_threshold == 5
    assert config.suppress_small_counts is False  # the template's, as toolkit.yaml does not say
    assert config.refresh.every == "daily"
    assert config.refresh.weekday == "monday"


def test_a_toolkit_without_a_defaults_file_keeps_the_built_in_defaults(tmp_path):
    path = _with_defaults_file(tmp_path)
    (tmp_path / "toolkit.defaults.yaml").unlink()
    config = load_config(path)
    assert config.small_count_threshold == 10
    assert config.refresh.every == "weekly"


def test_a_mistake_in_the_refresh_schedule_names_the_key(tmp_path):
    message = _broken(tmp_path, "topics:", "refresh:\n  every: fortnightly\ntopics:")
    assert "refresh.every" in message
    assert "daily, weekly, monthly" in message


def test_a_broken_defaults_file_is_named_with_how_to_restore_it(tmp_path):
    path = _with_defaults_file(tmp_path, defaults="reports:\n  small_count_threshold: 10\nsurprise: 1\n")
    with pytest.raises(ConfigError, match=r"toolkit\.defaults\.yaml: unknown key surprise"):
        load_config(path)


@pytest.mark.parametrize(
    ("every", "weekday", "day", "due"),
    [
        ("weekly", "monday", "2026-11-30", True),  # a Monday
        ("weekly", "monday", "2026-12-01", False),
        ("weekly", "friday", "2026-12-04", True),
        ("monthly", "monday", "2026-12-01", True),
        ("monthly", "monday", "2026-12-02", False),
        ("daily", "monday", "2026-12-02", True),
    ],
)
def test_the_refresh_schedule_says_which_days_are_due(every, weekday, day, due):
    assert Refresh(every=every, weekday=weekday).due(dt.date.fromisoformat(day)) is due


# toolkit.schema.json: the model published for editors, which must accept what the loader accepts.

SCHEMA = json.loads((PROJECT / SCHEMA_FILE).read_text(encoding="utf-8"))


def _as_an_editor_reads_it(value: Any) -> Any:
    """Data as an editor's YAML 1.2 reader hands it to the schema: dates and keys are text."""
    if isinstance(value, dict):
        return {str(key): _as_an_editor_reads_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_an_editor_reads_it(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _schema_problems(data: Any, schema: dict[str, Any] = SCHEMA) -> list[str]:
    validator = Draft202012Validator({"$defs": SCHEMA["$defs"], **schema})
    errors = validator.iter_errors(_as_an_editor_reads_it(data))
    return [f"{'.'.join(map(str, error.absolute_path))}: {error.message}" for error in errors]


def _file(path: Path) -> Any:
    """The file read as YAML 1.2, as editors read it (`on:` is the text on, not true)."""
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_the_published_schema_is_the_models():
    assert (PROJECT / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text(), (
        "toolkit.schema.json differs from the model: run 'make schema'"
    )
    Draft202012Validator.check_schema(SCHEMA)


def test_the_reference_of_every_key_is_the_models(tmp_path):
    assert (PROJECT / REFERENCE_FILE).read_text(encoding="utf-8") == reference_markdown(), "run: make schema"
    assert main(["--root", str(tmp_path), "--check"]) == 1  # what "make schema" writes is missing there
    assert main(["--root", str(tmp_path)]) == 0
    assert main(["--root", str(tmp_path), "--check"]) == 0
    assert (tmp_path / SCHEMA_FILE).read_text(encoding="utf-8") == (PROJECT / SCHEMA_FILE).read_text(encoding="utf-8")


def test_toolkit_yaml_points_editors_to_the_schema():
    first = (PROJECT / "toolkit.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=./{SCHEMA_FILE}"


# A block with a key of every kind the fixture lacks: boundary layers, linked tables, filters, read options.
EVERY_KIND = """\
boundaries:
  precincts:
    location: https://example.gov/arcgis/rest/services/Police/Precincts/FeatureServer/0
    platform: arcgis
    area_property: PRECINCT
    column: precinct
    population_property: residents
    notes: [Redrawn in 2019.]
  neighborhoods:
    location: neighborhoods.geojson.gz
    area_property: name
    column: neighborhood
    residents: {location: residents.csv, area_column: name, count_column: people, source: ACS 2022}
refresh: {every: monthly}
"""
EXTRA_SOURCE = """\
  use_of_force:
    sources:
      - location: https://data.example.gov/resource/abcd-1234.json
        platform: socrata
        where: "year >= 2015"
        page_size: 5000
        unit: persons
        review: needed
        read: {format: csv, skip_rows: [1], null_values: ["NULL"], encoding: latin-1, member: uof.csv}
        related:
          subjects: {location: subjects.csv, on: {trr_id: trr_id}, many: true, where: {role: subject}}
        mapping:
          date: {column: Date, format: ["%m/%d/%Y", "%Y-%m-%d"]}
      - location: uof.xlsx
        read: {sheet: 0}
        where: {State: [MN, WI]}
"""


def test_what_the_loader_accepts_the_schema_accepts(tmp_path):
    text = (FIXTURES / "toolkit.yaml").read_text(encoding="utf-8").replace("topics:\n", "topics:\n" + EXTRA_SOURCE)
    path = tmp_path / "toolkit.yaml"
    path.write_text(text + EVERY_KIND, encoding="utf-8")
    config = load_config(path)
    assert len(config.boundaries) == 2
    assert len(config.sources("use_of_force")) == 2
    for accepted in (PROJECT / "toolkit.yaml", FIXTURES / "toolkit.yaml", path):
        load_config(accepted)
        assert _schema_problems(_file(accepted)) == [], accepted


def test_the_templates_defaults_fit_the_schema():
    defaults = _file(PROJECT / "toolkit.defaults.yaml")
    assert set(defaults) == {"reports", "refresh"}
    for block, settings in defaults.items():
        assert _schema_problems(settings, SCHEMA["properties"][block]) == [], block


@pytest.mark.parametrize("preset", all_presets(), ids=lambda preset: preset.name)
def test_every_presets_mapping_fits_the_schema_of_its_topic(preset):
    camel = "".join(part.title() for part in preset.topic.split("_"))
    assert _schema_problems(preset.mapping, {"$ref": f"#/$defs/{camel}Mapping"}) == []
    assert _schema_problems(preset.source.get("read", {}), {"$ref": "#/$defs/ReadOptions"}) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("topics:", "topcis:"),
        ("small_count_threshold: 10", "small_count_threshold: ten"),
        ("suppress_small_counts: false", "suppress_small_counts: maybe"),
        ("reason_for_stop: problem", "reason_for_stopp: problem"),
        ("date_field: date", "date_feild: date"),
        ("city: Minneapolis", "city: [Minneapolis]"),
        ("topics:", "refresh:\n  every: fortnightly\ntopics:"),
        ("center: {lat: 44.9778, lng: -93.2650}", "center: {lat: 144.9778, lng: -93.2650}"),
    ],
)
def test_a_mistake_the_loader_refuses_is_marked_by_the_schema_too(tmp_path, old, new):
    _broken(tmp_path, old, new)
    assert _schema_problems(_file(tmp_path / "toolkit.yaml"))
