"""Edits of toolkit.yaml that keep every comment and the layout a person gave it.

A suggested mapping is added under its source as a block dumped by ruamel.yaml (a round-trip YAML library)
and placed after the source's last line, so that nothing else in the file moves: not a comment, not a
quote, not an indentation. The result is read back and checked before it replaces the file.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .store import atomic_path
from .suggest import Suggestion

REVIEW_COMMENT = "guessed by 'python -m safety_toolkit map': check each line, then delete this line"
GUESS = "# guess ("  # how the comment of every guessed entry begins (mapping_review.py reads it)
UNMAPPED_HINT = (  # the comment a new toolkit.yaml puts under a source with no mapping, replaced by the mapping
    "# No mapping is known for this source yet.",
    "# writes a suggested one here after the first download",
    '# columns; add "mapping:" here',
)


class ToolkitYamlError(ValueError):
    """toolkit.yaml could not be changed; the file is left as it was."""


def _yaml() -> YAML:
    y = YAML()
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.add_representer(type(None), lambda r, _value: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return y


def _text(value: str) -> str:
    """A text that the toolkit's reader (YAML 1.1) would read back as the same text: 'YES', '1.0' quoted."""
    try:
        same = yaml.safe_load(f"k: {value}")["k"] == value
    except yaml.YAMLError:
        same = False
    return value if same else DoubleQuotedScalarString(value)


def _node(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list):
        return [_node(v) for v in value]
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[_text(k) if isinstance(k, str) else k] = _node(v)
        if not any(isinstance(v, (dict, list)) for v in value.values()) and len(value) <= 3:
            out.fa.set_flow_style()
        return out
    return value


def read_block(suggestion: Suggestion) -> CommentedMap | None:
    """`read: {skip_rows: [1], null_values: [...]}` as one flow line, or None when the file reads as it is."""
    if not suggestion.read:
        return None
    read = CommentedMap()
    for key, value in suggestion.read.items():
        items = CommentedSeq(_node(v) for v in value)
        items.fa.set_flow_style()
        read[key] = items
    read.fa.set_flow_style()
    return read


def suggestion_block(suggestion: Suggestion, with_read: bool = True) -> CommentedMap:
    """`read:` when the file needs it, `review: needed` and the mapping, each guessed entry with its evidence
    as a comment."""
    mapping = CommentedMap()
    for name, guess in suggestion.guesses.items():
        spec = _node(guess.spec)
        if isinstance(spec, CommentedMap) and "values" in spec:
            spec["values"].fa.set_block_style()
        mapping[name] = spec
        mapping.yaml_add_eol_comment(guess.comment, name)
    block = CommentedMap()
    read = read_block(suggestion) if with_read else None
    if read is not None:
        block["read"] = read
        block.yaml_set_comment_before_after_key("read", before="\n".join(suggestion.read_notes))
    elif suggestion.read:  # the source has its own read: already; say what to add to it
        wanted = ", ".join(f"{k}: {v}" for k, v in suggestion.read.items())
        suggestion = Suggestion(
            suggestion.guesses, [f"Add to this source's read: {wanted}.", *suggestion.read_notes, *suggestion.notes]
        )
    block["review"] = "needed"
    block["mapping"] = mapping
    block.yaml_add_eol_comment(REVIEW_COMMENT, "review")
    if suggestion.notes:
        block.yaml_set_comment_before_after_key("mapping", before="\n".join(suggestion.notes))
    return block


def suggestion_yaml(suggestion: Suggestion) -> str:
    out = io.StringIO()
    _yaml().dump(suggestion_block(suggestion), out)
    return out.getvalue()


def _source_lines(lines: list[str], start: int, col: int) -> tuple[int, int]:
    """First and last line (0-based) of a source item whose first key is at (start, col)."""
    end = start
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if not stripped:
            continue
        indent = len(lines[i]) - len(lines[i].lstrip(" "))
        if indent < col or (indent == col - 2 and stripped.startswith("-")):
            break
        end = i
    return start, end


def write_suggestion(path: Path, topic: str, index: int, suggestion: Suggestion) -> None:
    """Add the suggested mapping (and `review: needed`) under topics.<topic>.sources[index] of toolkit.yaml."""
    source = _yaml().load(_read(path)[0])
    try:
        has_read = "read" in source["topics"][topic]["sources"][index]
    except (KeyError, IndexError, TypeError):
        has_read = False
    _add_to_source(path, topic, index, suggestion_block(suggestion, with_read=not has_read), list(suggestion.guesses))


def write_preset(path: Path, topic: str, index: int, name: str) -> None:
    """Name the preset whose layout the source's data has: `preset: <name>`."""
    block = CommentedMap(preset=name)
    block.yaml_add_eol_comment(
        "its columns match this preset (safety_toolkit/presets); a mapping: here overrides it", "preset"
    )
    _add_to_source(path, topic, index, block, [])


def _read(path: Path) -> tuple[str, str]:
    """The file's text and the line ending it uses ("\r\n" for a file saved on Windows), kept on rewrite."""
    text = path.read_bytes().decode("utf-8")
    return text, "\r\n" if "\r\n" in text else "\n"


def _as_block(source: CommentedMap, topic: str, index: int) -> str:
    """The exact lines that write a one-line `- {location: ...}` source as a block."""
    block = CommentedMap(source)
    block.fa.set_block_style()
    out = io.StringIO()
    _yaml().dump(block, out)
    lines = out.getvalue().rstrip("\n").split("\n")
    shown = ["      - " + lines[0], *("        " + line for line in lines[1:])]
    return (
        f"topics.{topic}.sources[{index}] is written on one line, in braces, so nothing can be added under it. "
        "Write it as a block of 'key: value' lines, like this, then run the command again:\n" + "\n".join(shown)
    )


def _add_to_source(path: Path, topic: str, index: int, block: CommentedMap, expected: list[str]) -> None:
    text, newline = _read(path)
    data = _yaml().load(text)
    try:
        source = data["topics"][topic]["sources"][index]
    except (KeyError, IndexError, TypeError):
        raise ToolkitYamlError(f"toolkit.yaml has no topics.{topic}.sources[{index}].") from None
    if isinstance(source, CommentedMap) and source.fa.flow_style():
        raise ToolkitYamlError(_as_block(source, topic, index))
    if not isinstance(source, CommentedMap):
        raise ToolkitYamlError(f"topics.{topic}.sources[{index}] is not written as a block of 'key: value' lines.")
    if any(key in source for key in ("mapping", "review", "preset")):
        raise ToolkitYamlError(
            f"topics.{topic}.sources[{index}] already has a mapping or preset: delete it to suggest anew."
        )
    lines = text.splitlines()
    start, end = _source_lines(lines, source.lc.line, source.lc.col)
    body = [line for line in lines[start : end + 1] if not line.strip().startswith(UNMAPPED_HINT)]
    out = io.StringIO()
    _yaml().dump(block, out)
    pad = " " * source.lc.col
    added = [pad + line if line.strip() else "" for line in out.getvalue().rstrip("\n").split("\n")]
    new_lines = lines[:start] + body + added + lines[end + 1 :]
    new_text = newline.join(new_lines) + (newline if text.endswith("\n") else "")
    check = _yaml().load(new_text)["topics"][topic]["sources"][index]
    if (
        list(dict(check.get("mapping", {}))) != expected
        or check.get("preset") != block.get("preset")
        or ("read" in block and dict(check.get("read", {})) != dict(block["read"]))
    ):
        raise ToolkitYamlError("the change could not be placed in toolkit.yaml; the file is unchanged.")
    with atomic_path(path) as tmp:
        tmp.write_bytes(new_text.encode("utf-8"))


def guess_comments(path: Path, topic: str, index: int) -> dict[str, str]:
    """Standard column -> the evidence comment of each entry still marked as a guess in toolkit.yaml."""
    text = _read(path)[0]
    lines = text.splitlines()
    try:
        mapping = _yaml().load(text)["topics"][topic]["sources"][index]["mapping"]
    except (KeyError, IndexError, TypeError):
        return {}
    found = {}
    for key in mapping:
        line = lines[mapping.lc.key(key)[0]]
        at = line.find(GUESS)
        if at >= 0:
            found[str(key)] = re.sub(r"^# ", "", line[at:]).strip()
    return found
