"""The report notebooks as a volunteer meets them: a cell they add shows its chart in the page, publishing
hides every small count in every table, a report without data says why, and a killed run leaves nothing
running behind it."""

from __future__ import annotations

import base64
import json
import re
import signal
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import nbformat
import pytest
import yaml

from .test_police_personnel_records_report import make_project, preset_source, run_report
from .test_reports import toolkit

# Every topic's report on one real fixture (police stops run on the project's own sample, below).
REAL = {
    "arrests": (["nyc_arrests"], {"city": "New York", "state": "NY"}),
    "emergency_911": (["sf_fire_calls_for_service"], {"city": "San Francisco", "state": "CA"}),
    "hate_crime": (["nyc_hate_crimes"], {"city": "New York", "state": "NY"}),
    "non_emergency_incidents": (["nyc_311_service_requests"], {"city": "New York", "state": "NY"}),
    "police_equipment": (["leso_1033_property", "leso_cancellations"], {"city": "Milwaukee", "state": "WI"}),
    "police_personnel_records": (
        ["chicago_officer_roster", "chicago_complaints", "chicago_complaints_accused",
         "chicago_complaints_complainants"],  # fmt: skip
        {"city": "Chicago", "state": "IL"},
    ),
    "use_of_force": (["new_orleans_use_of_force"], {"city": "New Orleans", "state": "LA"}),
    "warrants": (["erie_county_warrants_snapshots"], {"city": "Buffalo", "state": "NY"}),
}


def _set_reports(project: Path, **settings: object) -> None:
    path = project / "toolkit.yaml"
    text = path.read_text(encoding="utf-8")
    for key, value in settings.items():
        text = re.sub(rf"(?m)^(\s+{key}:).*$", rf"\g<1> {value}", text)
    path.write_text(text, encoding="utf-8")


def test_a_cell_added_with_df_plot_shows_its_figure_in_the_report(project):
    notebook = project / "notebooks" / "police_stops" / "police_stops.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    added = (
        'ds.query("SELECT hour(time) AS hour_of_day, count(*) AS stops FROM data GROUP BY 1 ORDER BY 1")'
        '.plot(x="hour_of_day")'
    )
    nb.cells.insert(-1, nbformat.v4.new_code_cell(added))
    nb.metadata["toolkit"]["show_code"] = True  # a volunteer's choice: each cell's code in a fold under it
    nbformat.write(nb, notebook)
    assert toolkit(project, "all", "--topic", "police_stops").returncode == 0
    page = (project / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8")
    images = re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert len(images) == 1, "the added cell's figure, and only it, is an image (the report's charts are inline SVG)"
    assert "hour_of_day" in base64.b64decode(unescape(images[0])).decode()
    assert page.count("<summary>Show the code</summary>") >= 10
    assert '.plot(x="hour_of_day")' in unescape(page) and "<pre><code>" in page


def assert_small_counts_hidden(page: str, at_least: int = 20) -> None:
    """Every count in every table of the page is 0, 10 or more, or shown as "<10"; some were hidden."""
    counts = re.findall(r'<t[dh][^>]*class="count[^"]*"[^>]*>([^<]*)</t[dh]>', page)
    assert len(counts) >= at_least
    assert "&lt;10" in counts, "the data has small groups; none was hidden"
    small = [c for c in counts if c not in ("&lt;10", "—") and 0 < int(c.replace(",", "")) < 10]
    assert small == [], f"small counts shown: {small}"
    assert "Counts under 10 are hidden" in unescape(page)


def test_publishing_hides_every_small_count_in_every_table(project):
    _set_reports(project, suppress_small_counts="true")
    assert toolkit(project, "all", "--topic", "police_stops").returncode == 0
    assert_small_counts_hidden((project / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("topic", sorted(REAL))
def test_every_report_hides_every_small_count_when_publishing(tmp_path, topic):
    presets, place = REAL[topic]
    root = make_project(tmp_path / "toolkit", [preset_source(p) for p in presets], topic=topic,
                        reports={"suppress_small_counts": True}, **place)  # fmt: skip
    page = run_report(root, topic)
    counts = re.findall(r'<t[dh][^>]*class="count[^"]*"[^>]*>([^<]*)</t[dh]>', page)
    small = [c for c in counts if c not in ("&lt;10", "—") and 0 < int(c.replace(",", "")) < 10]
    assert small == [], f"{topic} shows small counts: {small}"
    assert "Traceback" not in page and "Error" not in page


@pytest.mark.parametrize("dropped", [("time", "subject_race"), ("date", "time")])
def test_a_mapping_without_a_standard_column_leaves_out_its_sections_in_a_sentence(project, dropped):
    path = project / "toolkit.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    mapping = config["topics"]["police_stops"]["sources"][0]["mapping"]
    for column in dropped:
        del mapping[column]
    if "date" in dropped:
        del config["topics"]["police_stops"]["sources"][0]["date_field"]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    done = toolkit(project, "all", "--topic", "police_stops")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads((project / "reports" / "police_stops" / "status.json").read_text())["ok"]
    page = unescape((project / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8"))
    assert "Traceback" not in page and "Error" not in page
    assert "This data does not record the time of day of stops, so this part cannot be shown." in page
    if "subject_race" in dropped:
        assert "This data does not record race, so this part cannot be shown." in page
        assert 'id="search_vehicle-by-subject_race"' not in page and 'id="search_vehicle-by-subject_sex"' in page
    if "date" in dropped:
        assert "The data holds 400 stops, with no dates." in page and ">Stops per month<" not in page


def test_a_report_without_data_yet_says_why_and_is_not_an_error(project):
    done = toolkit(project, "run", "--topic", "police_stops")  # nothing fetched yet
    assert done.returncode == 0, done.stdout + done.stderr
    page = unescape((project / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8"))
    assert "The data has not been downloaded yet." in page
    assert "Traceback" not in page and "Exception" not in page and "NotReady" not in page
    assert "What the data shows" not in page  # the narrative of an analysis that did not run is left out


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            for child in map(int, children):
                found.add(child)
                todo.append(child)
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
def test_a_killed_run_leaves_no_worker_to_write_a_report(project):
    assert toolkit(project, "all", "--topic", "police_stops").returncode == 0
    out = project / "reports" / "police_stops"
    (out / "police_stops.html").unlink()
    (out / "status.json").unlink()
    run = subprocess.Popen([sys.executable, "-m", "safety_toolkit", "run", "--topic", "police_stops"], cwd=project,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while not (out / ".police_stops.running.ipynb").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _descendants(run.pid)
    assert workers, "the run started no worker"
    run.send_signal(signal.SIGKILL)
    run.wait()
    time.sleep(15)  # longer than the notebook takes to run
    assert not (out / "police_stops.html").exists() and not (out / "status.json").exists()
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
    assert alive == []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
