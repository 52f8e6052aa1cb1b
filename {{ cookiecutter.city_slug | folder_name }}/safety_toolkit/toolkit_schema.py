"""toolkit.schema.json: the model of toolkit.yaml (toolkit_model.py) as a JSON Schema, for editors.

The first line of toolkit.yaml points to it (`# yaml-language-server: $schema=./toolkit.schema.json`), so an
editor with YAML support (VS Code's YAML extension, and others built on yaml-language-server) completes the
keys, shows each one's help on hover and marks mistakes as they are typed. The loader (config.py) stays the
judge: it checks what a schema cannot, such as a mapping's values against the standard categories.

Regenerate it after changing the model: `python -m safety_toolkit.toolkit_schema` (or `make schema`);
a test fails while the file differs from the model.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m safety_toolkit.toolkit_schema", description="Write toolkit.schema.json from the model."
    )
    parser.add_argument("--output", type=Path, default=Path(SCHEMA_FILE), help="where to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="only say whether the file is up to date (exit 1 if not)")
    args = parser.parse_args(argv)
    text = schema_text()
    current = args.output.read_text(encoding="utf-8") if args.output.is_file() else None
    if args.check:
        if current != text:
            print(f"{args.output} is out of date: run python -m safety_toolkit.toolkit_schema", file=sys.stderr)
            return 1
        return 0
    if current != text:
        with atomic_path(args.output) as tmp:
            tmp.write_text(text, encoding="utf-8")
    print(f"{args.output}: {'unchanged' if current == text else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
