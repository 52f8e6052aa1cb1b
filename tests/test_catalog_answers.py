"""Answers are data: the folder an answer may name, what the hooks see, and answers holding Jinja syntax."""

from __future__ import annotations

import json

import pytest
from jinja2 import Environment

from toolkit_catalog.answers import INVALID_FOLDER, folder_name, guard_answers, is_template_text, public_answers


def test_a_folder_name_is_one_safe_segment() -> None:
    assert folder_name("saint-paul") == "saint-paul"
    for bad in ("a/b", "", "..", "../x", "Saint Paul", "-x", "x" * 65):
        assert folder_name(bad) == INVALID_FOLDER


def test_the_hooks_see_no_private_keys() -> None:
    answers = {"city": "Minneapolis", "_template": "/home/me/template", "__state_code": "MN"}
    assert json.loads(public_answers(answers)) == {"city": "Minneapolis"}


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
def test_only_the_templates_own_texts_are_rendered_as_templates(source: str, own: bool) -> None:
    assert is_template_text(source) is own


def test_a_guarded_environment_renders_an_answer_as_itself() -> None:
    environment = Environment()
    guard_answers(environment)
    assert environment.from_string("{{ 7*7 }}").render() == "{{ 7*7 }}"
    assert environment.from_string("Saint Paul").render() == "Saint Paul"
    # A text of the template's own is still a template.
    own = environment.from_string("{{ cookiecutter.city }} civic data volunteers")
    assert own.render(cookiecutter={"city": "Duluth"}) == "Duluth civic data volunteers"
