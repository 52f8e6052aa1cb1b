"""Build an expensive fixture once per test run, even when pytest-xdist spreads the tests over workers."""

from __future__ import annotations

import fcntl
from collections.abc import Callable
from pathlib import Path

import pytest


def once(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, build: Callable[[Path], None]) -> Path:
    """The folder `name`, filled by `build(folder)` by the first worker to get there; the others wait for it.

    Workers share the parent of their temporary folders, which is new for each run (xdist's own recipe)."""
    if worker_id == "master":  # not distributed
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    folder = tmp_path_factory.getbasetemp().parent / name
    with folder.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".built").exists():
            folder.mkdir(exist_ok=True)
            build(folder)
            (folder / ".built").touch()
    return folder
