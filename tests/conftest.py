"""Shared helpers for the template's tests: where things are, and baking from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

TEMPLATE = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = TEMPLATE / "{{ cookiecutter.city_slug | folder_name }}"
DEMO_DATA = TEMPLATE / "catalog" / "demo" / "minneapolis_stops_2017.csv.gz"
TOPICS = (
    "arrests", "emergency_911", "hate_crime", "non_emergency_incidents", "police_equipment",
    "police_personnel_records", "police_stops", "use_of_force", "warrants",
)
NO_SOURCES = {f"{topic}_source": "" for topic in TOPICS}


def cookiecutter_cli(output_dir: Path, *answers: str) -> subprocess.CompletedProcess:
    """Bake as a user does: the cookiecutter command, no questions, answers given as key=value."""
    return subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(TEMPLATE), "--no-input", "--output-dir", str(output_dir), *answers],
        stdin=subprocess.DEVNULL,  # not a terminal, even when pytest runs in one: no question is ever asked
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def bake(cookies):
    """Bake with the given answers through pytest-cookies; fail with cookiecutter's own error if it fails."""

    def _bake(**answers: str) -> Path:
        result = cookies.bake(extra_context=answers, template=str(TEMPLATE))
        assert result.exit_code == 0, result.exception
        return Path(result.project_path)

    return _bake


def run(args: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def cookiecutter_json() -> dict:
    return json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
