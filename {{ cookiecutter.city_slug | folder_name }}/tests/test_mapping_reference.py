"""references/mapping.md names every key the validator accepts, each with an example that the validator
accepts too, so the reference and the checks cannot drift apart."""

from __future__ import annotations

import re

import yaml

from safety_toolkit.config import SOURCE_KEYS
from safety_toolkit.mapping import KEY_HELP, read_spec
from safety_toolkit.mapping_reference import SOURCE_HELP, mapping_examples, reference_markdown
from safety_toolkit.presets import all_presets
from safety_toolkit.schema import get_schema


def test_every_key_is_explained_with_an_example():
    text = reference_markdown()
    headings = set(re.findall(r"^### `([a-z_]+)`", text, flags=re.M))
    assert set(SOURCE_HELP) == SOURCE_KEYS  # a new source key needs its line in the reference
    assert headings == SOURCE_KEYS | set(KEY_HELP)
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= len(SOURCE_KEYS) + len(KEY_HELP) - 1  # python: no preset needs it yet
    for block in blocks:
        assert isinstance(yaml.safe_load(block), dict)


def test_the_mapping_examples_pass_the_validator():
    topics = {p.title: p.topic for p in all_presets()}
    for key, (entry, dataset) in mapping_examples().items():
        ((column, spec),) = yaml.safe_load(entry).items()
        schema = get_schema(topics[dataset])
        assert read_spec(schema.column(column), spec, column)[1] == [], (key, entry)
        assert key in (spec if isinstance(spec, dict) else {"column": spec})


def test_dictionaries_command_writes_it(project):
    from safety_toolkit.cli import main

    assert main(["--config", str(project / "toolkit.yaml"), "dictionaries"]) == 0
    assert (project / "references" / "mapping.md").read_text(encoding="utf-8") == reference_markdown()
