"""Reports run as a user runs them: a copy of this toolkit pointed at real fixtures, its command line, the page it
writes, and the checks every report page must pass (small counts, sources, nothing fetched from the internet)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import Any

import yaml

from .html_page import Page
from .presets import FIXTURES, SAMPLE, preset_source

PROJECT = Path(__file__).resolve().parents[1]
COUNT_CELL = re.compile(r'<t[dh][^>]*class="count[^"]*"[^>]*>([^<]*)</t[dh]>')


def copy_project(root: Path) -> Path:
    """A copy of the toolkit (code, notebooks) in `root`, with the tests' toolkit.yaml and no data yet."""
    shutil.copytree(
        PROJECT,
        root,
        ignore=shutil.ignore_patterns(".venv", ".git", "data", "reports", "index.html", "__pycache__", ".*cache"),
    )
    (root / "data").mkdir()
    shutil.copy(FIXTURES / "toolkit.yaml", root / "toolkit.yaml")
    shutil.copy(SAMPLE, root)
    return root


def toolkit(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m safety_toolkit ARGS` in the project, as a user types it."""
    return subprocess.run(
        [sys.executable, "-m", "safety_toolkit", *args], cwd=project, capture_output=True, text=True, timeout=600,
        check=False,
    )  # fmt: skip


def configure(project: Path, topic: str, *presets: str, reports: dict[str, Any] | None = None, **settings: Any) -> None:
    """Make the presets' real fixtures the only sources of the project, all for `topic`. `settings` replace other
    keys of toolkit.yaml (city, state, population...), `reports` update its report settings. The test city's
    state name and centre point are dropped unless given again: another city is not at Minneapolis' centre."""
    path = project / "toolkit.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.pop("center", None)
    config.pop("state_name", None)
    config["reports"].update(reports or {})
    config.update(settings)
    config["topics"] = {topic: {"sources": [preset_source(name) for name in presets]}}
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def read_report(project: Path, topic: str) -> Page:
    return Page((project / "reports" / topic / f"{topic}.html").read_text(encoding="utf-8"))


def run_report(
    project: Path, topic: str, *presets: str, reports: dict[str, Any] | None = None, **settings: Any
) -> Page:
    """Point the project at the presets' fixtures (see `configure`), run `all --topic`, read the page; check
    what every report with data shows: where the data comes from, the questions to ask, charts drawn inline."""
    configure(project, topic, *presets, reports=reports, **settings)
    done = toolkit(project, "all", "--topic", topic)
    assert done.returncode == 0, done.stdout + done.stderr
    page = read_report(project, topic)
    assert all(str(image.get("src")).startswith("data:") for image in page.images)  # nothing to fetch
    assert "Where this data comes from" in page.text
    assert "Questions to ask next" in page.text
    return page


def small_counts_shown(page: str) -> list[str]:
    """The counts under 10 (other than 0) that the tables of a page show."""
    return [c for c in COUNT_CELL.findall(page) if c not in ("&lt;10", "—") and 0 < int(c.replace(",", "")) < 10]


def assert_small_counts_hidden(page: str, at_least: int = 20) -> None:
    """Every count in every table of the page is 0, 10 or more, or shown as "<10"; some were hidden."""
    counts = COUNT_CELL.findall(page)
    assert len(counts) >= at_least
    assert "&lt;10" in counts, "the data has small groups; none was hidden"
    assert small_counts_shown(page) == []
    assert "Counts under 10 are hidden" in unescape(page)
