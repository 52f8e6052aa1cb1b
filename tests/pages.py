"""The generated toolkit's page reader (its tests/html_page.py), for the template's tests: both suites read pages
one way. Loaded from its source, so that no bytecode is written into the template folder (it would be baked)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

_SOURCE = Path(__file__).resolve().parents[1] / "{{ cookiecutter.city_slug | folder_name }}" / "tests" / "html_page.py"


def _load(name: str, path: Path) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module  # dataclasses and type hints resolve names through sys.modules
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    return module


_html_page = _load("toolkit_html_page", _SOURCE)
Page = _html_page.Page
normal = _html_page.normal

__all__ = ["Page", "normal"]
