"""Fetching a topic: several sources, one snapshot each, the commands, and the settings for portal access."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import yaml

from safety_toolkit.cli import main
from safety_toolkit.config import ConfigError, load_config
from safety_toolkit.sources import SourceError
from safety_toolkit.sources.web import Settings
from safety_toolkit.standardize import standardize_topic
from safety_toolkit.store import Store

from .fake_portals import FileHostFake, SocrataFake
from .portal_helpers import fetch, use_sources
from .presets import SAMPLE


def _stops_source(project) -> dict:
    """The test configuration's stops source (the sample with its mapping), as toolkit.yaml holds it."""
    return yaml.safe_load((project / "toolkit.yaml").read_text())["topics"]["police_stops"]["sources"][0]


def _halves(raw_sample: pd.DataFrame) -> tuple[bytes, bytes]:
    first, second = io.StringIO(), io.StringIO()
    raw_sample.iloc[:150].to_csv(first, index=False)
    raw_sample.iloc[150:].to_csv(second, index=False)
    return first.getvalue().encode(), second.getvalue().encode()


def test_a_dataset_published_one_file_per_year_is_fetched_and_standardized_as_one(project, raw_sample):
    stops = _stops_source(project)
    with FileHostFake() as host:
        early, late = _halves(raw_sample)
        use_sources(
            project,
            {**stops, "location": host.put("/stops_2017a.csv", early), "title": "Stops, first part"},
            {**stops, "location": host.put("/stops_2017b.csv", late), "title": "Stops, second part"},
        )
        results = fetch(project)
    assert [r.snapshot.rows for r in results] == [150, 250]
    assert len({r.snapshot.file for r in results}) == 2  # one snapshot per source
    config = load_config(project / "toolkit.yaml")
    report = standardize_topic(config, "police_stops", Store(project))
    assert report is not None
    assert report["rows"] == len(raw_sample)
    processed = pd.read_parquet(project / "data" / "processed" / "police_stops.parquet")
    assert processed["source"].value_counts().to_dict() == {"Stops, second part": 250, "Stops, first part": 150}


def test_one_failing_source_does_not_stop_the_others_and_is_named(project):
    with FileHostFake() as host:
        good = host.put("/stops.csv", SAMPLE.read_bytes())
        use_sources(project, {"location": f"{host.url}/gone.csv"}, {"location": good})
        with pytest.raises(SourceError) as err:
            fetch(project)
    assert "sources[0]" in str(err.value)
    assert "gone.csv" in str(err.value)
    assert "404" in str(err.value)
    assert "sources[1]" not in str(err.value)
    store = Store(project)
    assert store.current("police_stops", "topics.police_stops.sources[1]", good) is not None


def test_the_fetch_and_inspect_commands(project, monkeypatch, capsys):
    monkeypatch.setenv("SAFETY_TOOLKIT_WAIT_SCALE", "0.001")
    with SocrataFake() as fake:
        use_sources(project, {"location": f"{fake.url}/resource/{fake.dataset}.json", "page_size": 100})
        fake.fail(status=503, match="$offset=100")
        assert main(["--config", str(project / "toolkit.yaml"), "fetch", "--topic", "police_stops"]) == 0
        assert main(["--config", str(project / "toolkit.yaml"), "fetch", "--topic", "police_stops"]) == 0
    out = capsys.readouterr().out
    assert "police_stops: 400 rows from http://127.0.0.1" in out
    assert "(new snapshot)" in out
    assert "unchanged since" in out
    assert main(["--config", str(project / "toolkit.yaml"), "inspect", "police_stops"]) == 0
    out = capsys.readouterr().out
    assert "400 rows, 16 columns" in out
    assert "rowsUpdatedAt" in out
    line = next(text for text in out.splitlines() if text.split()[:1] == ["date"])
    assert line.split()[1:6] == ["calendar_date", "date/time", "0", "400", "2017-01-01T00:00:42.000"]
    line = next(text for text in out.splitlines() if text.split()[:1] == ["problem"])
    assert line.split()[1:] == ["text", "text", "0", "2", "traffic", "(204),", "suspicious", "(196)"]
    assert next(text for text in out.splitlines() if text.split()[:1] == ["lat"]).split()[1:3] == ["number", "number"]


def test_the_fetch_command_reports_a_failure_and_exits_1(project, monkeypatch, capsys):
    monkeypatch.setenv("SAFETY_TOOLKIT_ATTEMPTS", "2")
    monkeypatch.setenv("SAFETY_TOOLKIT_WAIT_SCALE", "0")
    with SocrataFake() as fake:
        use_sources(project, {"location": f"{fake.url}/resource/{fake.dataset}.json"})
        fake.fail(status=500, times=10)
        assert main(["--config", str(project / "toolkit.yaml"), "fetch"]) == 1
    err = capsys.readouterr().err
    assert "police_stops: FAILED" in err
    assert "2 tries" in err
    assert "last good copy" in err


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("platform", "sharepoint", "'sharepoint' is not one of socrata, arcgis"),
        ("where", ["a"], "expected a filter in the portal's query language"),
        ("page_size", 0, "expected a whole number of rows per request"),
        ("read", {"member": 3}, "expected the name of a file inside the zip"),
    ],
)
def test_the_keys_for_portals_are_checked(project, key, value, problem):
    use_sources(project, {"location": "https://data.example.gov/resource/abcd-1234.json", key: value})
    with pytest.raises(ConfigError) as err:
        load_config(project / "toolkit.yaml")
    assert f"topics.police_stops.sources[0].{key}" in str(err.value)
    assert problem in str(err.value)
    assert "line " in str(err.value)


def test_a_query_language_filter_on_a_file_path_is_refused(project):
    use_sources(project, {"location": "stops.csv", "where": "year = 2020"})
    with pytest.raises(ConfigError, match="a file has no query language: write 'column: value' lines"):
        load_config(project / "toolkit.yaml")


def test_portal_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SAFETY_TOOLKIT_TIMEOUT", "5")
    monkeypatch.setenv("SAFETY_TOOLKIT_ATTEMPTS", "3")
    settings = Settings.from_env()
    assert (settings.timeout, settings.attempts, settings.wait_scale) == (5.0, 3, 1.0)
    for wrong in ("soon", "0", "-3"):
        monkeypatch.setenv("SAFETY_TOOLKIT_TIMEOUT", wrong)
        with pytest.raises(SourceError, match=r"SAFETY_TOOLKIT_TIMEOUT.*positive number"):
            Settings.from_env()
