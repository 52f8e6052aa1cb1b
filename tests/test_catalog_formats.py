"""Answers and facts written into a toolkit's YAML, TOML, hook scripts and Markdown come back as they were."""

from __future__ import annotations

import ast
import tomllib

import pytest
import yaml

from toolkit_catalog.formats import file_slug, md_link, md_text, py_literal, to_yaml, toml_string, yaml_scalar

AWKWARD = ["O'Fallon", "Coeur d'Alene", "yes", "NO", "null", "~", "1e3", "0777", "a: b", "#1", "- x", "Española",
           'say "hi"', "back\\slash", "[list]", "{map}", "@home", "%percent", "`tick`", "!tag", "&anchor", "*alias",
           "Saint Paul 🏙"]  # fmt: skip


@pytest.mark.parametrize("value", AWKWARD)
def test_yaml_scalars_round_trip(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(value)}") == {"key": value}


@pytest.mark.parametrize("value", AWKWARD)
def test_toml_strings_and_python_literals_round_trip(value: str) -> None:
    assert tomllib.loads(f"key = {toml_string(value)}") == {"key": value}
    assert ast.literal_eval(py_literal(value)) == value


def test_a_yaml_block_sits_under_its_key() -> None:
    block = {"total": 10, "by_race": {"white": 5}, "source": "O'Fallon: a survey"}
    text = f"population:\n  {to_yaml(block, 2)}\n"
    assert yaml.safe_load(text) == {"population": block}


def test_markdown_text_cannot_make_links_emphasis_or_html() -> None:
    assert md_text("*Police* [stops] <script>") == r"\*Police\* \[stops\] &lt;script&gt;"
    assert md_text("two\n  lines") == "two lines"
    assert md_link("Data (2019)", "https://x.gov/a (b)") == r"[Data (2019)](<https://x.gov/a%20(b)>)"


def test_a_states_file_name() -> None:
    assert file_slug("District of Columbia") == "district-of-columbia"
    assert file_slug("  Puerto Rico ") == "puerto-rico"
