"""Baking: the default, every state, awkward city names, and what a baked project must never contain."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml

from .baking import NO_SOURCES, TEMPLATE, TEMPLATE_DIR, TOPICS, cookiecutter_json, csv_rows

STATES = csv_rows(TEMPLATE_DIR / "safety_toolkit" / "states.csv")


def _toolkit(project: Path) -> dict[str, Any]:
    settings: dict[str, Any] = yaml.safe_load((project / "toolkit.yaml").read_text(encoding="utf-8"))
    return settings


def test_the_default_answers_bake_a_minneapolis_toolkit(bake):
    project = bake()
    assert project.name == "minneapolis"
    config = _toolkit(project)
    assert (config["city"], config["state"], config["state_name"], config["timezone"]) == (
        "Minneapolis", "MN", "Minnesota", "America/Chicago"
    )
    # Known public datasets of the city are offered as the defaults.
    stops = config["topics"]["police_stops"]["sources"][0]
    assert stops["location"].endswith("/Police_Stop_Data/FeatureServer/0")
    assert stops["date_field"] == "responseDate"
    assert config["topics"]["warrants"]["sources"] == []
    for topic in TOPICS:
        assert (project / "notebooks" / topic / f"{topic}.ipynb").is_file()
        assert (project / "reports" / topic).is_dir()
    for path in ("README.md", "Makefile", "requirements.txt", "pyproject.toml", ".gitignore", "data/manifest.json",
                 "safety_toolkit/cli.py", "tests/conftest.py", ".pre-commit-config.yaml", ".github/workflows/test.yml",
                 ".github/workflows/refresh.yml", "toolkit.defaults.yaml", "tools/in-env"):
        assert (project / path).is_file(), path


DEFAULT_BAKE_FILES = Path(__file__).with_name("default_bake_files.txt")


def test_a_default_bake_holds_exactly_the_listed_files(bake):
    """Every file of a default bake, compared with default_bake_files.txt: a stray file (bytecode, a cache, a file
    a hook forgot, a template file baked by mistake) or a missing one fails."""
    project = bake()
    found = {path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()}
    lines = DEFAULT_BAKE_FILES.read_text(encoding="utf-8").splitlines()
    listed = [line for line in lines if line and not line.startswith("#")]
    assert listed == sorted(listed), "keep default_bake_files.txt sorted"
    stray, missing = sorted(found - set(listed)), sorted(set(listed) - found)
    assert stray == [], f"baked but not in {DEFAULT_BAKE_FILES.name}: {stray}"
    assert missing == [], f"in {DEFAULT_BAKE_FILES.name} but not baked: {missing}"


def test_the_question_keys_match_the_toolkits_topics():
    import ast

    # Read topics.py without importing it: an import would leave bytecode inside the template folder.
    tree = ast.parse((TEMPLATE_DIR / "safety_toolkit" / "topics.py").read_text(encoding="utf-8"))
    names = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Topic"
        and isinstance(node.args[0], ast.Constant)
    }
    questions = {key.removesuffix("_source") for key in cookiecutter_json() if key.endswith("_source")}
    assert questions == names == set(TOPICS)
    prompts = cookiecutter_json()["__prompts__"]
    assert all(key in prompts for key in cookiecutter_json() if not key.startswith("_"))


def test_notebooks_are_copied_verbatim_never_rendered(bake):
    project = bake(**NO_SOURCES)
    for topic in TOPICS:
        shared = TEMPLATE / "shared_notebooks" / f"{topic}.ipynb"
        baked = project / "notebooks" / topic / f"{topic}.ipynb"
        assert baked.read_text(encoding="utf-8").strip() == shared.read_text(encoding="utf-8").strip(), topic


@pytest.mark.parametrize("state", STATES, ids=[s["code"] for s in STATES])
def test_every_state_bakes_by_code_and_by_name(bake, state):
    for answer in (state["code"], state["name"].upper()):
        project = bake(city="Springfield", state=answer, city_slug=f"springfield-{state['code'].lower()}-{len(answer)}",
                       **NO_SOURCES)
        config = _toolkit(project)
        assert (config["state"], config["state_name"], config["timezone"]) == (
            state["code"], state["name"], state["timezone"]
        )


@pytest.mark.parametrize(
    ("city", "state", "slug"),
    [
        ("Coeur d'Alene", "ID", "coeur-d-alene"),
        ("O'Fallon", "MO", "o-fallon"),
        ("Española", "NM", "espanola"),
        ("Winston-Salem", "NC", "winston-salem"),
        ("Mayagüez", "PR", "mayaguez"),
        ("Washington", "DC", "washington"),
        ('St. Paul "the Saintly": yes #1', "Minnesota", "st-paul-the-saintly-yes-1"),
    ],
)
def test_awkward_city_names_bake_into_valid_files(bake, city, state, slug):
    project = bake(city=city, state=state, organization=f"{city} Data Club", **NO_SOURCES)
    assert project.name == slug
    config = _toolkit(project)
    assert config["city"] == city
    assert config["organization"] == f"{city} Data Club"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert city in pyproject["project"]["description"]
    assert city in (project / "README.md").read_text(encoding="utf-8")


BINARY = (".xlsx", ".gz", ".parquet", ".png", ".zip")


def _generated_files(project: Path):
    """Every text file of a baked project (fixtures such as .xlsx and .gz are binary)."""
    return [p for p in project.rglob("*") if p.is_file() and not p.name.endswith(BINARY)]


def test_no_template_syntax_is_left_in_any_generated_file(bake):
    project = bake(police_stops_source=str(TEMPLATE / "catalog" / "demo" / "minneapolis_stops_2017.csv.gz"))
    for path in _generated_files(project):
        if path.suffix == ".j2" and "templates" in path.parts:
            continue  # the toolkit's own Jinja templates, rendered when it runs, not when it is baked
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "workflows":
            text = text.replace("${{", "")  # GitHub Actions' own expressions
        assert "{{" not in text, path
        assert "{%" not in text, path


def test_every_generated_yaml_json_and_toml_file_parses(bake):
    project = bake(police_stops_source=str(TEMPLATE / "catalog" / "demo" / "minneapolis_stops_2017.csv.gz"))
    seen = set()
    for path in _generated_files(project):
        text = path.read_text(encoding="utf-8")
        if path.suffix in (".yaml", ".yml"):
            assert yaml.safe_load(text) is not None, path
        elif path.suffix == ".json":
            json.loads(text)
        elif path.suffix == ".ipynb":
            nbformat.validate(nbformat.reads(text, as_version=4))
        elif path.suffix == ".toml":
            tomllib.loads(text)
        else:
            continue
        seen.add(path.suffix)
    assert seen == {".yaml", ".yml", ".json", ".ipynb", ".toml"}
