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

from .report_helpers import assert_small_counts_hidden, run_report, small_counts_shown, toolkit

# The topics whose report tests run with small counts shown, each on one real fixture. The others are proven
# where their reports are tested: police stops below, non-emergency (New York 311), use of force (the Post's
# file) and personnel records (Chicago); equipment tables count things, not people.
FLAGGING = {
    "arrests": ("nyc_arrests", {"city": "New York", "state": "NY"}),
    "emergency_911": ("sf_fire_calls_for_service", {"city": "San Francisco", "state": "CA"}),
    "hate_crime": ("nyc_hate_crimes", {"city": "New York", "state": "NY"}),
    "warrants": ("erie_county_warrants_snapshots", {"city": "Buffalo", "state": "NY"}),
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
    assert '.plot(x="hour_of_day")' in unescape(page)
    assert "<pre><code>" in page


def test_publishing_hides_every_small_count_in_every_table(project):
    _set_reports(project, suppress_small_counts="true")
    assert toolkit(project, "all", "--topic", "police_stops").returncode == 0
    assert_small_counts_hidden((project / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("topic", sorted(FLAGGING))
def test_every_report_hides_every_small_count_when_publishing(project, topic):
    preset, place = FLAGGING[topic]
    page = run_report(project, topic, preset, reports={"suppress_small_counts": True}, **place)
    assert small_counts_shown(page.html) == []
    assert "Traceback" not in page.html
    assert "Error" not in page.html


def test_a_mapping_without_a_standard_column_leaves_out_its_sections_in_a_sentence(project):
    dropped = ("date", "time", "subject_race")
    path = project / "toolkit.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    mapping = config["topics"]["police_stops"]["sources"][0]["mapping"]
    for column in dropped:
        del mapping[column]
    mapping["date"] = None  # the data is declared to have no date (a mapping must say so)
    if "date" in dropped:
        del config["topics"]["police_stops"]["sources"][0]["date_field"]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    done = toolkit(project, "all", "--topic", "police_stops")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads((project / "reports" / "police_stops" / "status.json").read_text())["ok"]
    page = unescape((project / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8"))
    assert "Traceback" not in page
    assert "Error" not in page
    # the time of day is in the data too (in 'date', a date and time), only its mapping was removed
    assert "The data has a column that may record the time of day of stops ('date'), but it is not matched" in page
    # race is in the data (column 'race'), only its mapping was removed: the page says so, not "not recorded"
    assert "The data has a column that may record race ('race'), but it is not matched" in page
    assert 'id="search_vehicle-by-subject_race"' not in page
    assert 'id="search_vehicle-by-subject_sex"' in page
    assert "The data holds 400 stops, with no dates." in page
    assert ">Stops per month<" not in page


def test_a_report_without_data_yet_says_why_and_is_not_an_error(project):
    done = toolkit(project, "run", "--topic", "police_stops")  # nothing fetched yet
    assert done.returncode == 0, done.stdout + done.stderr
    page = unescape((project / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8"))
    assert "The data has not been downloaded yet." in page
    assert "Traceback" not in page
    assert "Exception" not in page
    assert "NotReady" not in page
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
def test_a_killed_run_leaves_no_process_to_write_a_report(project):
    assert toolkit(project, "all", "--topic", "police_stops").returncode == 0
    out = project / "reports" / "police_stops"
    (out / "police_stops.html").unlink()
    (out / "status.json").unlink()
    run = subprocess.Popen([sys.executable, "-m", "safety_toolkit", "run", "--topic", "police_stops"], cwd=project,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while not (out / ".police_stops.running.ipynb").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _descendants(run.pid)  # the notebook's kernel (and a worker process when topics run side by side)
    while not workers and time.monotonic() < deadline:
        time.sleep(0.05)
        workers = _descendants(run.pid)
    assert workers, "the run started no kernel"
    run.send_signal(signal.SIGKILL)
    run.wait()
    time.sleep(15)  # longer than the notebook takes to run
    assert not (out / "police_stops.html").exists()
    assert not (out / "status.json").exists()
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
    assert alive == []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_a_guessed_mapping_is_shown_as_a_guess_at_the_top_of_its_report(project):
    """A source with no mapping: `all` suggests one (marked for review) and the report says which columns
    were guessed, and from what, before any number."""
    path = project / "toolkit.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    del config["topics"]["police_stops"]["sources"][0]["mapping"]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    # The same real rows with one column renamed, so that no preset matches them by layout.
    sample = project / "minneapolis_stops_2017_sample.csv"
    header, rest = sample.read_text(encoding="utf-8").split("\n", 1)
    sample.write_text(header.replace("MDC", "mdc_kind") + "\n" + rest, encoding="utf-8")
    done = toolkit(project, "all", "--topic", "police_stops")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "review: needed" in path.read_text(encoding="utf-8")
    page = unescape((project / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8"))
    banner = page.index("was guessed by the toolkit and nobody has checked it yet")
    assert banner < page.index("What the data shows") if "What the data shows" in page else True
    assert "race" in page[banner : banner + 3000]
    assert "Traceback" not in page
