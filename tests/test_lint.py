"""The linters pass: ruff and mypy on the template's own code (settings in its pyproject.toml) and on a default
bake (settings in the toolkit's pyproject.toml), so a change that breaks either fails here."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from .baking import TEMPLATE, cookiecutter_cli, run
from .shared import once

# The rule families both settings must keep (those scientific-python/cookie recommends).
FAMILIES = {"E", "F", "W", "B", "I", "UP", "SIM", "PT", "RUF", "PL", "C4", "PTH", "RET"}


def _bake(folder: Path) -> None:
    done = cookiecutter_cli(folder)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def baked(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A default bake, made once per test run."""
    return once(tmp_path_factory, worker_id, "lint-bake", _bake) / "minneapolis"


def _settings(root: Path) -> dict[str, Any]:
    tool: dict[str, Any] = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    return tool


@pytest.mark.parametrize("where", ["template", "toolkit"])
def test_the_settings_keep_the_rule_families_and_strict_types(where: str, baked: Path) -> None:
    tool = _settings(TEMPLATE if where == "template" else baked)
    assert not FAMILIES - set(tool["ruff"]["lint"]["select"]), "rule families dropped"
    assert tool["ruff"]["line-length"] == 120
    assert tool["mypy"]["strict"] is True
    assert not {"notebooks/**/*.ipynb", "notebooks/*.ipynb"} & set(tool["ruff"]["lint"].get("per-file-ignores", {}))


def test_the_baked_toolkit_passes_ruff(baked: Path) -> None:
    done = run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=baked)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr
    assert "All checks passed" in done.stdout


def test_the_baked_toolkit_passes_mypy(baked: Path) -> None:
    done = run([sys.executable, "-m", "mypy"], cwd=baked)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr
    assert "Success: no issues found" in done.stdout


def test_the_template_passes_ruff() -> None:
    done = run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=TEMPLATE)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr
    assert "All checks passed" in done.stdout


def test_the_template_passes_mypy(tmp_path: Path) -> None:
    # The cache goes to a temporary folder: none is left in the template.
    done = run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy")], cwd=TEMPLATE)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr
    assert "Success: no issues found" in done.stdout
