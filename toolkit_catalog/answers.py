"""Answers are data: the project folder an answer may name, the answers the hooks see, and the guard that keeps
an answer holding Jinja syntax from running as template code.

Cookiecutter renders an answer given on the command line or in a config file as a template (that is how derived
defaults such as city_slug work), so an answer holding Jinja syntax would run as template code. Only the template's
own texts may be templates: the defaults in cookiecutter.json, the hook scripts and the names of its files. Any
other text holding Jinja syntax is rendered as itself, and the pre-generation hook then rejects it with a message.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .files import TEMPLATE_ROOT

SAFE_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")
INVALID_FOLDER = "invalid-city-slug"
JINJA_SYNTAX = ("{{", "{%", "{#")


def folder_name(slug: object) -> str:
    """The project folder: the slug when it is one safe path segment, else a placeholder the hook rejects.

    Cookiecutter makes the folder before any hook runs; a slug such as "a/b" or "" would otherwise
    create folders outside the one it removes on failure.
    """
    text = str(slug)
    return text if SAFE_SLUG.match(text) else INVALID_FOLDER


def public_answers(context: Mapping[str, Any]) -> str:
    """The user's answers as JSON: no private keys, which hold local paths of the template."""
    return json.dumps({key: value for key, value in dict(context).items() if not key.startswith("_")})


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


@cache
def template_texts(root: Path) -> tuple[frozenset[str], tuple[str, ...]]:
    """The template's own texts that hold Jinja syntax: whole texts, and file paths (which cookiecutter
    renders after the folder they are written into, so they are matched as endings)."""
    texts = set(_strings(json.loads((root / "cookiecutter.json").read_text(encoding="utf-8"))))
    texts |= {path.read_text(encoding="utf-8") for path in (root / "hooks").glob("*.py")}
    paths = []
    for project in root.iterdir():
        if project.is_dir() and any(mark in project.name for mark in JINJA_SYNTAX):
            paths.append(project.name)
            paths += [str(p.relative_to(project)) for p in project.rglob("*") if "{" in str(p.relative_to(project))]
    return frozenset(text for text in texts if any(mark in text for mark in JINJA_SYNTAX)), tuple(paths)


def template_roots() -> set[Path]:
    """Every template being rendered in this process: `cruft update` renders the old and the new one."""
    roots = {TEMPLATE_ROOT}
    for entry in sys.path:
        root = Path(entry)
        if (root / "cookiecutter.json").is_file() and (root / "local_extensions.py").is_file():
            roots.add(root.resolve())
    return roots


def is_template_text(source: str) -> bool:
    """True for a text with no Jinja syntax, or one of the template's own (see the module's docstring)."""
    if not any(mark in source for mark in JINJA_SYNTAX):
        return True
    path = os.path.normpath(source)
    for root in template_roots():
        texts, paths = template_texts(root)
        if source in texts:
            return True
        for own in paths:
            if (path == own or path.endswith(os.sep + own)) and not any(
                mark in path[: -len(own)] for mark in JINJA_SYNTAX
            ):
                return True
    return False


def guard_answers(environment: Any) -> None:
    """Make a Jinja environment render any text that is not the template's own as plain text."""
    from_string: Callable[..., Any] = environment.from_string

    def render_answers_as_text(source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if isinstance(source, str) and not is_template_text(source):
            return from_string("{{ answer_as_text }}", {"answer_as_text": source})
        return from_string(source, globals, template_class)

    environment.from_string = render_answers_as_text
