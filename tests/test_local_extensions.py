"""local_extensions.py, the Jinja adapter: its filters and globals reach the catalog's functions, and each template
rendered in one process (as `cruft update` renders the old and the new) uses its own catalog."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from jinja2 import DictLoader, Environment

from .baking import TEMPLATE, TEMPLATE_DIR


def _load(root: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, root / "local_extensions.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _copy_template(root: Path) -> Path:
    """The template's catalog, adapter and toolkit package in another folder, as cruft checks out a version."""
    root.mkdir()
    for name in ("local_extensions.py", "cookiecutter.json"):
        shutil.copy(TEMPLATE / name, root / name)
    for folder in ("toolkit_catalog", "catalog", "hooks"):
        shutil.copytree(TEMPLATE / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "demo"))
    shutil.copytree(
        TEMPLATE_DIR / "safety_toolkit",
        root / TEMPLATE_DIR.name / "safety_toolkit",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return root


def test_the_environment_gets_the_catalogs_filters_and_globals() -> None:
    ext = _load(TEMPLATE, "local_extensions_under_test")
    text = (
        "{{ 'mn' | state_name }} {{ 'Minnesota' | state_code }} {{ 'Minnesota' | state_timezone }} "
        "{{ toolkit_topics | length }} {{ 'a/b' | folder_name }} "
        "{{ 'Minneapolis' | known_source('MN', 'police_stops') }}"
    )
    # A template file, as the project's files are (a text given to from_string is an answer, rendered as itself).
    environment = Environment(loader=DictLoader({"file": text}), extensions=[ext.ToolkitExtension])
    assert environment.get_template("file").render() == (
        "Minnesota MN America/Chicago 9 invalid-city-slug "
        "https://services.arcgis.com/afSMGVsC7QlRK1kZ/arcgis/rest/services/Police_Stop_Data/FeatureServer/0"
    )
    assert environment.from_string("{{ 7*7 }}").render() == "{{ 7*7 }}"  # the guard against Jinja in answers


def test_each_template_rendered_in_one_process_uses_its_own_catalog(tmp_path: Path) -> None:
    other = _copy_template(tmp_path / "other")
    states = other / TEMPLATE_DIR.name / "safety_toolkit" / "states.csv"
    table = states.read_text(encoding="utf-8")
    states.write_text(table.replace(",Minnesota,", ",Minnesota State,"), encoding="utf-8")
    ours, theirs = _load(TEMPLATE, "local_extensions_ours"), _load(other, "local_extensions_theirs")
    assert ours.FILTERS["state_name"]("MN") == "Minnesota"
    assert theirs.FILTERS["state_name"]("MN") == "Minnesota State"
    # cruft checks out the next version in the same folder: what the first load read is not kept.
    states.write_text(table.replace(",Minnesota,", ",Minnesota Next,"), encoding="utf-8")
    assert _load(other, "local_extensions_next").FILTERS["state_name"]("MN") == "Minnesota Next"
    assert theirs.FILTERS["state_name"]("MN") == "Minnesota State"  # an environment made earlier keeps its own


def test_loading_the_toolkits_files_leaves_no_bytecode_in_the_toolkit(tmp_path: Path) -> None:
    copy = _copy_template(tmp_path / "copy")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    script = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('local_extensions', {str(copy / 'local_extensions.py')!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        "assert module.GLOBALS['preset_for']('police_stops', 'https://x.gov/none') is None\n"
        "print(module.GLOBALS['known_datasets']('Seattle', 'WA', 'use_of_force')[0]['DataType'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Socrata"
    assert not list((copy / TEMPLATE_DIR.name).rglob("__pycache__"))
