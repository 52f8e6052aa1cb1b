"""toolkit.schema.json: the model of toolkit.yaml (toolkit_model.py) as a JSON Schema, for editors.

The first line of toolkit.yaml points to it (`# yaml-language-server: $schema=./toolkit.schema.json`), so an
editor with YAML support (VS Code's YAML extension, and others built on yaml-language-server) completes the
keys, shows each one's help on hover and marks mistakes as they are typed. The loader (config.py) stays the
judge: it checks what a schema cannot, such as a mapping's values against the standard categories.

references/toolkit_yaml.md says the same for people reading the project on the web: every key, what it
holds and what it is for. Regenerate both after changing the model: `python -m safety_toolkit.toolkit_schema`
(or `make schema`); a test fails while either differs from the model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .store import atomic_path
from .toolkit_model import toolkit_model

SCHEMA_FILE = "toolkit.schema.json"
REFERENCE_FILE = "references/toolkit_yaml.md"
# The blocks of toolkit.yaml, in the order the reference explains them: (where they sit, their model).
BLOCKS = (
    ("reports", "Reports"),
    ("center", "Center"),
    ("population", "PopulationEntry"),
    ("boundaries.<name>", "LayerEntry"),
    ("boundaries.<name>.residents", "ResidentsTable"),
    ("topics.<topic>.sources[]", "PoliceStopsSource"),
    ("topics.<topic>.sources[].read", "ReadOptions"),
    ("topics.<topic>.sources[].related.<name>", "RelatedEntry"),
    ("records_law", "RecordsLaw"),
    ("records_law.state, records_law.federal", "Law"),
    ("refresh", "Refresh"),
)


def toolkit_schema() -> dict[str, Any]:
    """The JSON Schema of toolkit.yaml, with the help of every key as its description."""
    schema = _tidy(toolkit_model().model_json_schema(mode="validation"))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "toolkit.yaml",
        **{key: value for key, value in schema.items() if key != "title"},
    }


def _tidy(node: Any) -> Any:
    """Without what helps no one on hover (titles made from key names, defaults that are null or whole blocks),
    and with each description on one line."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    tidy = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "default" and (value is None or isinstance(value, dict)):
            continue
        if key == "description" and isinstance(value, str):
            tidy[key] = " ".join(value.split())
        else:
            tidy[key] = value if key in ("default", "const", "enum") else _tidy(value)
    return tidy


def schema_text() -> str:
    return json.dumps(toolkit_schema(), indent=2, ensure_ascii=False) + "\n"


def reference_markdown() -> str:
    """references/toolkit_yaml.md: every key of toolkit.yaml with what it holds, from the same schema."""
    schema = toolkit_schema()
    lines = [
        "# toolkit.yaml, key by key",
        "",
        "Written from the model of the file (`safety_toolkit/toolkit_model.py`), like `toolkit.schema.json`, which",
        "editors with YAML support use to complete and check toolkit.yaml as you type. Regenerate both with",
        "`make schema`. How a source's `mapping:` is written: `references/mapping.md`; the standard columns of",
        "each topic: `references/data_dictionaries/`.",
        "",
        "## The top level",
        "",
        *_keys(schema),
    ]
    for where, name in BLOCKS:
        block = schema["$defs"][name]
        lines += ["", f"## `{where}`", "", block.get("description", ""), "", *_keys(block)]
    return "\n".join(lines) + "\n"


def _keys(block: dict[str, Any]) -> list[str]:
    required = set(block.get("required", ()))
    lines = []
    for key, spec in block.get("properties", {}).items():
        facts = [_kind(spec)] + (["required"] if key in required else [])
        if "default" in spec and spec["default"] not in ("", [], None):
            facts.append(f"default {json.dumps(spec['default'])}")
        lines.append(f"- `{key}` ({', '.join(facts)}): {spec.get('description', '')}")
    return lines


def _kind(spec: dict[str, Any]) -> str:
    """What a value holds, in words: "text", "whole number", "one of: daily, weekly, monthly"..."""
    if "anyOf" in spec:
        kinds = [_kind(option) for option in spec["anyOf"] if option.get("type") != "null"]
        nullable = len(kinds) < len(spec["anyOf"])
        return " or ".join(dict.fromkeys(kinds)) + (", or null" if nullable else "")
    if "$ref" in spec:
        return "a block of 'name: value' lines"
    if "enum" in spec:
        return "one of: " + ", ".join(map(str, spec["enum"]))
    if "const" in spec:
        return str(spec["const"])
    kind = spec.get("type")
    if kind == "array":
        return f"a list of {_kind(spec.get('items', {}))}"
    if kind == "string" and spec.get("format") == "date":
        return "a date, YYYY-MM-DD"
    names = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false",
             "object": "'name: value' lines"}  # fmt: skip
    return names.get(str(kind), "any value")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m safety_toolkit.toolkit_schema",
        description=f"Write {SCHEMA_FILE} and {REFERENCE_FILE} from the model of toolkit.yaml.",
    )
    parser.add_argument("--root", type=Path, default=Path(), help="the toolkit's folder (default: this one)")
    parser.add_argument("--check", action="store_true", help="only say whether they are up to date (exit 1 if not)")
    args = parser.parse_args(argv)
    stale = []
    for path, text in ((args.root / SCHEMA_FILE, schema_text()), (args.root / REFERENCE_FILE, reference_markdown())):
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != text and not args.check:
            with atomic_path(path) as tmp:
                tmp.write_text(text, encoding="utf-8")
        if current != text:
            stale.append(path)
        print(
            f"{path}: {'unchanged' if current == text else 'out of date' if args.check else 'written'}"
        )
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
