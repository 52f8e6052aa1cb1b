"""The baked toolkit's own checks pass: its test suite and its linter."""

from __future__ import annotations

import sys

import pytest

from .conftest import NO_SOURCES, run


@pytest.mark.parametrize(
    "answers",
    [{}, {"city": "Springfield", "state": "Illinois", **NO_SOURCES}],
    ids=["the demo city", "another city with no data"],
)
def test_the_generated_projects_own_tests_pass(bake, answers):
    project = bake(**answers)
    done = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"], cwd=project)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout


def test_the_generated_code_is_ruff_clean(bake):
    project = bake()
    done = run([sys.executable, "-m", "ruff", "check", "--no-cache", "safety_toolkit", "tests"], cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
