"""The template's Jinja filters and globals, mapped onto the catalog logic of toolkit_catalog/.

Cookiecutter imports this module once per process and caches it, but `cruft update` renders the old and the new
template in one process (and tests render several templates). So `ToolkitExtension` loads, each time an
environment is made, the local_extensions.py of the template being rendered, which loads that template's own
toolkit_catalog/ by its path, afresh, under a name of its own.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

TEMPLATE_ROOT = Path(__file__).resolve().parent
# The package's modules, each imported so that `catalog.<module>.<function>` below finds it.
MODULES = (
    "answers",
    "data_sources",
    "datasets",
    "files",
    "formats",
    "interview",
    "places",
    "presets",
    "records_law",
    "states",
)


def load_catalog(root: Path) -> ModuleType:
    """The toolkit_catalog package of the template at `root`, loaded afresh with all of its modules: cruft checks
    out one version of the template after another in the same folder, so nothing is kept from an earlier load."""
    name = "_toolkit_catalog_" + hashlib.sha256(str(root).encode()).hexdigest()[:16]
    for loaded in [key for key in sys.modules if key == name or key.startswith(f"{name}.")]:
        del sys.modules[loaded]
    folder = root / "toolkit_catalog"
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {folder}")
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    for module in MODULES:
        importlib.import_module(f"{name}.{module}")
    return package


catalog = load_catalog(TEMPLATE_ROOT)

FILTERS = {
    "md": catalog.formats.md_text,
    "file_slug": catalog.formats.file_slug,
    "to_yaml": catalog.formats.to_yaml,
    "yaml_scalar": catalog.formats.yaml_scalar,
    "py_literal": catalog.formats.py_literal,
    "toml_string": catalog.formats.toml_string,
    "state_code": catalog.states.state_code,
    "state_name": catalog.states.state_name,
    "state_timezone": catalog.states.state_timezone,
    "not_a_state": catalog.states.not_a_state,
    "known_state_code": catalog.interview.known_state_code,
    "folder_name": catalog.answers.folder_name,
    "public_answers": catalog.answers.public_answers,
    "known_source": catalog.datasets.known_source,
}
GLOBALS = {
    "toolkit_topics": catalog.files.toolkit_topics(),
    "shared_notebook": catalog.files.shared_notebook,
    "catalog_text": catalog.files.catalog_text,
    "known_population": catalog.places.known_population,
    "known_datasets": catalog.datasets.known_datasets,
    "known_dataset_for": catalog.datasets.known_dataset_for,
    "dataset_url": catalog.datasets.dataset_url,
    "state_data_sources": catalog.data_sources.state_data_sources,
    "all_presets": catalog.presets.all_presets,
    "preset_for": catalog.presets.preset_for,
    "source_entry": catalog.presets.source_entry,
    "records_law": catalog.records_law.records_law,
    "federal_sources": catalog.records_law.federal_sources,
    "md_link": catalog.formats.md_link,
}


def guard_answers(environment: Environment) -> None:
    catalog.answers.guard_answers(environment)


def short_interview(prompt_module: Any) -> None:
    catalog.interview.short_interview(prompt_module)


def _rendered_template_root() -> Path:
    """The template being rendered: cookiecutter and cruft append its folder to sys.path."""
    for entry in reversed(sys.path):
        root = Path(entry)
        if (root / "cookiecutter.json").is_file() and (root / "local_extensions.py").is_file():
            return root.resolve()
    return TEMPLATE_ROOT


class ToolkitExtension(Extension):
    """Registers the helpers of the template being rendered (see the module docstring)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        path = _rendered_template_root() / "local_extensions.py"
        spec = importlib.util.spec_from_file_location("_toolkit_template_helpers", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        helpers = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(helpers)
        environment.filters.update(helpers.FILTERS)
        environment.globals.update(helpers.GLOBALS)
        helpers.guard_answers(environment)
        prompt_module = sys.modules.get("cookiecutter.prompt")
        if prompt_module is not None:
            helpers.short_interview(prompt_module)
