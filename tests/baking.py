"""Where the template is, the topics it asks about, and baking or running a command as a user does."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = TEMPLATE / "{{ cookiecutter.city_slug | folder_name }}"
DEMO_DATA = TEMPLATE / "catalog" / "demo" / "minneapolis_stops_2017.csv.gz"
TOPICS = (
    "arrests", "emergency_911", "hate_crime", "non_emergency_incidents", "police_equipment",
    "police_personnel_records", "police_stops", "use_of_force", "warrants",
)  # fmt: skip
NO_SOURCES = {f"{topic}_source": "" for topic in TOPICS}


def cookiecutter_cli(output_dir: Path, *answers: str) -> subprocess.CompletedProcess[str]:
    """Bake as a user does: the cookiecutter command, no questions, answers given as key=value."""
    return subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(TEMPLATE), "--no-input", "--output-dir", str(output_dir), *answers],
        stdin=subprocess.DEVNULL,  # not a terminal, even when pytest runs in one: no question is ever asked
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def run(
    args: list[str], cwd: Path, timeout: int = 900, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A command in `cwd`, its output captured."""
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file with a header, each a dict (the file closed at once)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def cookiecutter_json() -> dict[str, Any]:
    answers: dict[str, Any] = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
    return answers
