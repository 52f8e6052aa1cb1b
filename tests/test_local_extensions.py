"""The template's Jinja helpers: state lookup, known-dataset defaults, presets and YAML quoting."""

from __future__ import annotations

import importlib.util
import sys

import pytest
import yaml

from .conftest import DEMO_DATA, TEMPLATE


@pytest.fixture(scope="module")
def ext():
    spec = importlib.util.spec_from_file_location("local_extensions_under_test", TEMPLATE / "local_extensions.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("answer", "code"),
    [("MN", "MN"), ("mn", "MN"), ("Minnesota", "MN"), (" new   york ", "NY"), ("Washington", "WA"),
     ("Washington, D.C.", "DC"), ("District of Columbia", "DC"), ("Puerto Rico", "PR"), ("Minnesotta", "")],
)
def test_states_are_found_by_code_or_name(ext, answer, code):
    assert ext.state_code(answer) == code


def test_known_datasets_are_offered_as_defaults(ext):
    assert ext.known_source("Minneapolis", "MN", "police_stops") == (
        "https://services.arcgis.com/afSMGVsC7QlRK1kZ/arcgis/rest/services/Police_Stop_Data/FeatureServer/0"
    )
    # Of Minneapolis' two use-of-force layers, the current one, not the legacy one.
    assert ext.known_source("minneapolis", "Minnesota", "use_of_force").endswith("/Police_Use_of_Force/FeatureServer/0")
    # Socrata datasets become their API address under the portal's domain.
    assert ext.known_source("Seattle", "WA", "use_of_force").startswith("https://data.seattle.gov/resource/")
    assert ext.known_source("Nowhere", "MN", "police_stops") == ""
    assert ext.known_source("Minneapolis", "MN", "warrants") == ""


def test_a_local_file_gets_its_preset_by_its_columns(ext):
    preset = ext.preset_for("police_stops", str(DEMO_DATA))
    assert preset["name"] == "minneapolis_stops_cardata"
    assert ext.preset_for("use_of_force", str(DEMO_DATA)) is None
    assert ext.preset_for("police_stops", "") is None


@pytest.mark.parametrize(
    "value",
    ["O'Fallon", "Coeur d'Alene", "yes", "NO", "null", "~", "1e3", "0777", "a: b", "#1", "- x", "Española",
     'say "hi"', "back\\slash", "[list]", "{map}", "@home", "%percent", "`tick`", "!tag", "&anchor", "*alias"],
)
def test_yaml_scalars_round_trip(ext, value):
    assert yaml.safe_load(f"key: {ext.yaml_scalar(value)}") == {"key": value}


def test_a_folder_name_is_one_safe_segment(ext):
    assert ext.folder_name("saint-paul") == "saint-paul"
    for bad in ("a/b", "", "..", "../x", "Saint Paul", "-x"):
        assert ext.folder_name(bad) == ext.INVALID_FOLDER


def test_a_misspelt_state_gets_the_closest_names(ext):
    assert ext.closest_states("Ilinois") == ["Illinois (IL)"]
    assert ext.closest_states("Atlantis") == []


@pytest.mark.parametrize(
    ("source", "own"),
    [
        ("{{ cookiecutter.city | slugify }}", True),  # a default of cookiecutter.json
        ("{{ cookiecutter.city_slug | folder_name }}", True),  # the project folder's name
        ("/tmp/out/minneapolis/./references/data_sources/{{ cookiecutter.__state_name | file_slug }}.md", True),
        ("Minneapolis", True),  # no template syntax at all
        ("{{ 7*7 }}", False),
        ("{{ cookiecutter.city }}", False),  # looks like the template's, but no text of it is exactly this
        ("{{ 7*7 }}/references/data_sources/{{ cookiecutter.__state_name | file_slug }}.md", False),
        ("St. Paul {# note #}", False),
    ],
)
def test_only_the_templates_own_texts_are_rendered_as_templates(ext, source, own):
    assert ext.is_template_text(source) is own
