"""The problems the model of toolkit.yaml finds, told as a volunteer needs them: the key as a dotted path
(`topics.police_stops.sources[0].mapping.date`), what is wrong and how to fix it. config.py adds the line.

Most checks word their own message (yaml_types.problem, yaml_types.expect); what is left here are the
problems of a block as a whole: an unknown key (with "did you mean"), a missing one, a block of the wrong kind.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from . import toolkit_model as model
from .yaml_types import PROBLEM, unknown_key


def key_path(loc: tuple[int | str, ...]) -> str:
    """('topics', 'arrests', 'sources', 0, 'title') -> 'topics.arrests.sources[0].title': an item of a list is
    [i]; a key is .key, even a number (a boundary layer named 2020)."""
    path, kind = "", model.toolkit_model()
    for part in loc:
        if isinstance(part, int) and _is_list(kind):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
        kind = _inside(kind, part)
    return path


def messages(error: ValidationError) -> list[tuple[str, str]]:
    """(key, message) for every problem found, in the order of the file."""
    found: list[tuple[str, str]] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        if loc and loc[-1] == "[key]":  # the problem is the key itself (a layer's name, a race)
            loc = loc[:-1]
        key, kind, ctx = key_path(loc), item["type"], item.get("ctx") or {}
        if kind == PROBLEM:
            found += [(key + at if key else at.lstrip("."), message) for at, message in ctx["problems"]]
        elif kind == "extra_forbidden":
            found.append((key, unknown_key(loc[-1], _known_keys(loc[:-1]))))
        elif kind == "missing":
            parent = key_path(loc[:-1]) or "the top level"
            found.append((key, f"this key is missing: add a line '{loc[-1]}: ...' to {parent}."))
        elif kind in ("dict_type", "model_type", "model_attributes_type"):
            value = item["input"]
            found.append((key, f"expected a set of 'name: value' lines, found {type(value).__name__} {value!r}."))
        else:  # a check without a message of its own: say what was found and where the help is
            found.append(
                (
                    key,
                    f"{item['input']!r} is not a value this key takes (references/toolkit_yaml.md says "
                    "what each key holds).",
                )
            )
    return found


def _known_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the block at `loc` may hold, for "did you mean"."""
    kind: Any = model.toolkit_model()
    for part in loc:
        kind = _inside(kind, part)
    kind = next((k for k in get_args(kind) if isinstance(k, type) and issubclass(k, BaseModel)), kind)
    return list(kind.model_fields) if isinstance(kind, type) and issubclass(kind, BaseModel) else []


def _inside(kind: Any, part: int | str) -> Any:
    """The type of the value at `part` of a value of type `kind` (None when unknown)."""
    kind = _bare(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        field = kind.model_fields.get(str(part))
        return _bare(field.annotation) if field else None
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, types.UnionType):
        return next((inner for arg in args if (inner := _inside(arg, part)) is not None), None)
    if origin is dict:
        return _bare(args[1])
    if origin in (list, tuple):
        return _bare(args[0])
    return None


def _is_list(kind: Any) -> bool:
    return get_origin(kind) in (list, tuple) or any(_is_list(arg) for arg in get_args(kind) if get_origin(kind))


def _bare(kind: Any) -> Any:
    """The type without its Annotated checks."""
    while get_origin(kind) is Annotated:
        kind = get_args(kind)[0]
    return kind
