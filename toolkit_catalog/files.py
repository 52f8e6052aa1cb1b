"""Where the template's files are, and reading them: the catalog, the shared notebooks, the toolkit's own files.

Some facts live in the generated toolkit, which needs them at run time: the states table, the portal address
shapes, the mapping presets and the topics. The template reads those files where they are, by their paths, so
each is written once and reaches the toolkit by generation, not by copy.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path
from types import ModuleType

TEMPLATE_ROOT = Path(__file__).resolve().parents[1]
CATALOG = TEMPLATE_ROOT / "catalog"
TOOLKIT_PACKAGE = TEMPLATE_ROOT / "{{ cookiecutter.city_slug | folder_name }}" / "safety_toolkit"
_TOOLKIT_MODULES: dict[str, ModuleType] = {}  # relative path -> the module run from it


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def catalog_csv(name: str) -> list[dict[str, str]]:
    """The rows of catalog/<name>, every cell as text."""
    return read_csv(CATALOG / name)


def catalog_text(name: str) -> str:
    """A catalog file's text, verbatim (a license that must travel with the facts it covers)."""
    return (CATALOG / name).read_text(encoding="utf-8").rstrip("\n")


def shared_notebook(name: str) -> str:
    """The text of shared_notebooks/<name>.ipynb, verbatim (notebooks are never rendered by Jinja)."""
    return (TEMPLATE_ROOT / "shared_notebooks" / f"{name}.ipynb").read_text(encoding="utf-8").rstrip("\n")


def toolkit_module(relative: str) -> ModuleType:
    """A module of the generated toolkit's package, run from its file (e.g. "sources/urls.py") once per load of
    this package.

    Only modules that import nothing of the toolkit can be run so. Each gets a name of its own for its path, as
    this template and another version of it may be rendered in one process; no bytecode is written, as a
    __pycache__ folder inside the toolkit's folder would be copied into every toolkit made."""
    if relative not in _TOOLKIT_MODULES:
        path = TOOLKIT_PACKAGE / relative
        module = ModuleType("_toolkit_file_" + hashlib.sha256(str(path).encode()).hexdigest()[:16])
        module.__file__ = str(path)
        sys.modules[module.__name__] = module  # dataclasses look their module up while the file runs
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
        _TOOLKIT_MODULES[relative] = module
    return _TOOLKIT_MODULES[relative]


def toolkit_topics() -> tuple[str, ...]:
    """The toolkit's topics, as its safety_toolkit/topics.py defines them."""
    return tuple(toolkit_module("topics.py").TOPICS)
