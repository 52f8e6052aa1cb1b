"""Writing answers and facts into the files of a toolkit: YAML, TOML, Python literals, Markdown, file names."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|!])")


def to_yaml(value: Any, indent: int = 0) -> str:
    """A block of YAML dumped by PyYAML; lines after the first are indented by `indent` spaces,
    so the block sits under a key whose first line the template already indented."""
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    first, *rest = text.rstrip("\n").split("\n")
    pad = " " * indent
    return "\n".join([first, *(pad + line if line else line for line in rest)])


def yaml_scalar(value: Any) -> str:
    """One value for `key: <value>` in YAML, quoted by PyYAML where YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=True)
    return text.removesuffix("\n...\n").rstrip("\n")


def py_literal(value: object) -> str:
    """A Python string literal for a hook script. repr() keeps a character beyond U+FFFF (an emoji) whole;
    JSON would write it as two surrogate escapes, which Python reads as text it cannot print."""
    return repr(str(value))


def toml_string(value: object) -> str:
    """A TOML basic string: JSON's escapes are TOML's, once characters beyond U+FFFF are kept whole."""
    return json.dumps(str(value), ensure_ascii=False)


def md_text(value: object) -> str:
    """Text for one line of Markdown: punctuation Markdown would act on is escaped, and so is raw HTML."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def md_link(title: object, url: object) -> str:
    """A Markdown link; the address in <...> so parentheses in it survive."""
    address = str(url).strip().replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return f"[{md_text(title)}](<{address}>)"


def file_slug(name: object) -> str:
    """A state's name as a file name: "District of Columbia" -> "district-of-columbia"."""
    return re.sub(r"[^a-z0-9]+", "-", str(name).casefold()).strip("-")
