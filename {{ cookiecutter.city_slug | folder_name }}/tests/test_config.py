"""toolkit.yaml is checked on load, and every error names the key, the line and the fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from safety_toolkit.config import ConfigError, load_config
from safety_toolkit.topics import TOPICS

from .conftest import FIXTURES, PROJECT


def test_the_projects_own_configuration_loads():
    config = load_config(PROJECT / "toolkit.yaml")
    assert set(config.topics) == set(TOPICS)
    assert config.city and config.timezone


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
    assert "mapping.search_vehicle.values" in message and "put it in quotes" in message


def test_a_mapping_needs_the_source_column(tmp_path):
    message = _broken(tmp_path, "lng: long", "lng:\n            format: '%Y'")
    assert "mapping.lng" in message and "exactly one of: column, columns" in message


def test_an_end_date_before_the_start_date_is_refused(tmp_path):
    message = _broken(
        tmp_path,
        "suppress_small_counts: false",
        "suppress_small_counts: false\n  start_date: 2020-02-01\n  end_date: 2020-01-01",
    )
    assert "reports.end_date" in message and "before the start date" in message


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
    assert "topics.police_stops" in message and "written twice" in message


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
    assert hint in message and "<unicode string>" not in message


def test_a_misspelt_optional_key_is_named_with_a_suggestion(tmp_path):
    message = _broken(tmp_path, "date_field: date", "date_feild: date")
    assert "unknown key 'date_feild'" in message and "Did you mean 'date_field'?" in message


def test_an_impossible_date_is_a_message_not_a_traceback(tmp_path):
    impossible = "suppress_small_counts: false\n  start_date: 2021-13-01"
    message = _broken(tmp_path, "suppress_small_counts: false", impossible)
    assert "reports.start_date" in message and "is not a date" in message


def test_anchors_that_would_expand_without_end_are_refused_quickly(tmp_path):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    done = _cli_on(tmp_path, FIXTURE_TEXT + "bomb:\n" + "\n".join("  " + level for level in levels) + "\n")
    assert done.returncode == 2
    assert "anchors and aliases" in done.stderr


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
    newer = (PROJECT / "toolkit.defaults.yaml").read_text(encoding="utf-8").replace(
        "small_count_threshold: 10", "small_count_threshold: 11"
    )
    assert load_config(_with_defaults_file(tmp_path, defaults=newer)).small_count_threshold == 11


def test_a_setting_in_toolkit_yaml_wins_key_by_key(tmp_path):
    path = _with_defaults_file(tmp_path, "\nreports:\n  small_count_threshold: 5\nrefresh:\n  every: daily\n")
    config = load_config(path)
    assert config.small_count_threshold == 5
    assert config.suppress_small_counts is False  # the template's, as toolkit.yaml does not say
    assert config.refresh.every == "daily" and config.refresh.weekday == "monday"


def test_a_toolkit_without_a_defaults_file_keeps_the_built_in_defaults(tmp_path):
    path = _with_defaults_file(tmp_path)
    (tmp_path / "toolkit.defaults.yaml").unlink()
    config = load_config(path)
    assert config.small_count_threshold == 10 and config.refresh.every == "weekly"


def test_a_mistake_in_the_refresh_schedule_names_the_key(tmp_path):
    message = _broken(tmp_path, "topics:", "refresh:\n  every: fortnightly\ntopics:")
    assert "refresh.every" in message and "daily, weekly, monthly" in message


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
    import datetime as dt

    from safety_toolkit.template_defaults import Refresh

    assert Refresh(every=every, weekday=weekday).due(dt.date.fromisoformat(day)) is due
