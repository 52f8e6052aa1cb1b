"""Read YAML that people edit by hand (toolkit.yaml) without letting YAML's surprises change its meaning.

- A key written twice in one block is an error naming both lines (YAML itself keeps the last one silently).
- Keys are the text as written: `0123:` stays "0123" (YAML 1.1 would read the number 83), `1_000:` stays
  "1_000". Keys that YAML reads as true/false or as a decimal number are left as YAML reads them, so the
  checks that ask for quotes still see them.
- Values too: `city: 0123` stays "0123" (a number is kept as a number only when written as plain digits).
- A date YAML cannot read (2021-13-01) stays text, for the checker to report with its key and line.
- Anchors and aliases (&name, *name) may repeat a block, but a document that would expand to more than
  MAX_NODES values (a "billion laughs" file) is refused before anything walks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_NODES = 200_000  # a full toolkit.yaml is a few thousand; this leaves room and bounds the work


class YamlProblem(ValueError):
    """The text is not YAML this toolkit can read; the message says where and why."""


class _Loader(yaml.SafeLoader):
    pass


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # e.g. month 13: keep the text so the checker can say which key is wrong
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

_PLAIN_INTEGER = re.compile(r"[-+]?(0|[1-9][0-9]*)")


def _integer(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """A whole number only when written as one; 0123, 0x1F, 1_000 and 1:30 stay the text written."""
    if _PLAIN_INTEGER.fullmatch(node.value):
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _integer)


def _key(loader: _Loader, node: yaml.Node) -> Any:
    """A mapping key as the person meant it: the written text where YAML would turn it into another number."""
    key = loader.construct_object(node, deep=True)
    if (
        isinstance(node, yaml.ScalarNode)
        and not node.style
        and isinstance(key, int | float)
        and not isinstance(key, bool)
        and str(key) != node.value
    ):
        return node.value
    return key


def _mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        result[_key(loader, key_node)] = loader.construct_object(value_node, deep=deep)
    return result


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Any:
    data: dict[Any, Any] = {}
    yield data
    data.update(_mapping(loader, node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


@dataclass
class Document:
    """The data of a YAML document, with the line of every key (by dotted path) and the keys written twice."""

    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # (path, first line, second line)

    def line_of(self, path: str) -> int | None:
        """The line of `path`, or of its nearest parent that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            parent = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", path)
            if parent == path or not parent:
                return None
            path = parent


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values the document holds once every alias is written out (memoized, so bombs stay cheap)."""
    if id(node) in sizes:
        return sizes[id(node)]
    sizes[id(node)] = 1  # a node that refers to itself counts once
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(item, sizes) for item in node.value)
    else:
        size = 1
    sizes[id(node)] = min(size, MAX_NODES + 1)
    return sizes[id(node)]


def _walk(node: yaml.Node, path: str, doc: Document, seen: set[int]) -> None:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in seen:  # an alias of a block already walked: its lines are the anchor's
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            line = key.start_mark.line + 1
            child = f"{path}.{name}" if path else name
            if name in first and name != "<<":
                doc.duplicates.append((child, first[name], line))
            else:
                first[name] = line
                doc.lines[child] = line
            _walk(value, child, doc, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", doc, seen)


def read_yaml(text: str, name: str) -> Document:
    """Parse one YAML document; raise YamlProblem (naming `name` and the line) when it cannot be read."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(data=None)
        if _expanded_size(node, {}) > MAX_NODES:
            raise YamlProblem(
                f"{name} repeats blocks through anchors and aliases (&name, *name) so often that it would hold "
                f"more than {MAX_NODES:,} values. Write the blocks out instead of repeating them."
            )
        doc = Document(data=None)
        _walk(node, "", doc, set())
        doc.data = loader.construct_document(node)
        return doc
    except yaml.MarkedYAMLError as err:
        raise YamlProblem(_describe(err, name, text)) from None
    except yaml.YAMLError as err:
        raise YamlProblem(f"{name} is not valid YAML: {err}. Check the indentation and quotes there.") from None
    finally:
        loader.dispose()


def _unclosed_quote(text: str, first: int, last: int) -> int | None:
    """The first line from `first` to `last` (1-based) holding an odd number of double quotes, if any."""
    lines = text.splitlines()
    for number in range(max(first, 1), min(last, len(lines)) + 1):
        if lines[number - 1].replace('\\"', "").count('"') % 2:
            return number
    return None


def _describe(err: yaml.MarkedYAMLError, name: str, text: str) -> str:
    """YAML's own complaint, told with the file's name and the lines where the trouble starts and shows."""
    where = ""
    if err.problem_mark:
        where = f", line {err.problem_mark.line + 1}"
        if err.context_mark and err.context_mark.line != err.problem_mark.line:
            where += f" (in what starts on line {err.context_mark.line + 1})"
    what = "; ".join(part for part in (err.context, err.problem) if part)
    hint = "Check the indentation and quotes there."
    start = err.context_mark or err.problem_mark
    first = start.line + 1 if start else 1
    last = err.problem_mark.line + 1 if err.problem_mark else first
    if (quote := _unclosed_quote(text, first, last)) is not None:
        hint = f'Line {quote} opens a quote (") that it does not close on that line.'
    elif "\\t" in str(err.problem) or "tab" in str(err.problem):
        hint = "YAML does not allow tabs for indentation: use spaces."
    return f"{name} is not valid YAML{where}: {what}. {hint}"
