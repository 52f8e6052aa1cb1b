"""Shared fixtures for the template's tests: baking with pytest-cookies, and the demo city built once per run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .baking import TEMPLATE
from .demo import build_demo
from .shared import once


@pytest.fixture
def bake(cookies: Any) -> Callable[..., Path]:
    """Bake with the given answers through pytest-cookies; fail with cookiecutter's own error if it fails."""

    def _bake(**answers: str) -> Path:
        result = cookies.bake(extra_context=answers, template=str(TEMPLATE))
        assert result.exit_code == 0, result.exception
        return Path(result.project_path)

    return _bake


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The demo city with the bundled stops data and boundary layers, every report and page written; built once
    per run and shared by every worker. Read it, never change it."""
    return once(tmp_path_factory, worker_id, "demo-site", build_demo) / "minneapolis"
