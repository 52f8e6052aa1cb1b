"""End to end: the command line fetches, standardizes, runs the notebooks and writes the pages."""

from __future__ import annotations

import html
import json
import re

from safety_toolkit.topics import TOPICS

from .report_helpers import read_report, toolkit


def test_reports_are_written_for_the_configured_topic_and_the_empty_ones(project):
    done = toolkit(project, "all", "--topic", "police_stops")
    assert done.returncode == 0, done.stderr
    assert toolkit(project, "run", "--topic", "warrants").returncode == 0
    assert toolkit(project, "site").returncode == 0

    stops_page = read_report(project, "police_stops")
    assert "Police stops in Minneapolis, MN" in stops_page.text
    assert "search_vehicle-by-subject_race" in stops_page.tables
    assert "Where this data comes from" in stops_page.text
    assert stops_page.images == []  # charts inline, as SVG
    assert stops_page.html.count("<svg") >= 5
    assert "http://" not in stops_page.html.replace("https://", "")

    assert "No data source configured yet" in read_report(project, "warrants").text

    index = (project / "index.html").read_text(encoding="utf-8")
    for info in TOPICS.values():
        assert info.title in index
    assert 'href="reports/police_stops/police_stops.html"' in index
    assert index.count("No data source configured yet.") == len(TOPICS) - 1
    assert re.search(r"400</td><td>Jan 2017 – Dec 2017", index)
    # The ready report comes first, with its headline finding.
    headline = json.loads((project / "reports" / "police_stops" / "status.json").read_text())["headline"]
    assert headline.startswith("The vehicle was searched in")
    assert headline in html.unescape(index)
    assert index.index("reports/police_stops/police_stops.html") < index.index(">Arrests<")


def test_a_failed_run_keeps_the_last_good_report(project):
    assert toolkit(project, "all", "--topic", "police_stops").returncode == 0
    page = project / "reports" / "police_stops" / "police_stops.html"
    good = page.read_bytes()
    (project / "data" / "processed" / "police_stops.parquet").write_bytes(b"not parquet")
    failed = toolkit(project, "run", "--topic", "police_stops")
    assert failed.returncode == 1
    assert "police_stops: FAILED" in failed.stdout
    assert page.read_bytes() == good
    assert (project / "reports" / "police_stops" / "failed.ipynb").exists()
    toolkit(project, "site")
    index = (project / "index.html").read_text(encoding="utf-8")
    assert "Last run failed" in index
    assert "from an earlier run" in index


def test_config_errors_stop_with_a_message_not_a_traceback(project):
    toolkit_yaml = project / "toolkit.yaml"
    toolkit_yaml.write_text(toolkit_yaml.read_text().replace("timezone: America/Chicago", "timezone: Chicago"))
    done = toolkit(project, "fetch")
    assert done.returncode == 2
    assert "timezone" in done.stderr
    assert "Traceback" not in done.stderr
