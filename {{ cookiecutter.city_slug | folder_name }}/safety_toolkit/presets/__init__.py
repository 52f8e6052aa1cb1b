"""Mapping presets: how known datasets' columns map onto the standard columns, one YAML file each.

A preset is matched to a source by the source's address (match.urls) or, after fetch, by its layout
(match.columns: every one of these column names is in the data), for files and portals alike.
A source may also name one itself with `preset: <name>`; its own `mapping:` keys then override the preset's.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


class PresetError(ValueError):
    """An unknown or broken preset; the message says which and what to do."""


@dataclass(frozen=True)
class Preset:
    name: str
    topic: str
    title: str
    mapping: dict[str, Any]
    source: dict[str, Any] = field(default_factory=dict)  # date_field, read, notes for toolkit.yaml
    urls: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # the layout's signature: all of these column names
    fixture: str = ""
    layout: bool = False  # a shared layout (e.g. the Open Policing Project's): entries for absent columns are skipped


@cache
def all_presets() -> tuple[Preset, ...]:
    presets = []
    for path in sorted(HERE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        match = data.get("match", {})
        presets.append(
            Preset(
                name=path.stem,
                topic=data["topic"],
                title=data["title"],
                mapping=data["mapping"],
                source=data.get("source", {}),
                urls=tuple(match.get("urls", [])),
                columns=tuple(match.get("columns", [])),
                fixture=data.get("fixture", ""),
                layout=bool(data.get("layout", False)),
            )
        )
    return tuple(presets)


def load_preset(name: str) -> Preset:
    for preset in all_presets():
        if preset.name == name:
            return preset
    names = [p.name for p in all_presets()]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else f" Known presets: {', '.join(names)}."
    raise PresetError(f"there is no preset '{name}' in safety_toolkit/presets.{hint}")


def match_columns(topic: str, columns: list[str]) -> Preset | None:
    """The preset whose column signature the data has; the longest signature wins (the most specific)."""
    have = set(columns)
    fits = [p for p in all_presets() if p.topic == topic and p.columns and set(p.columns) <= have]
    return max(fits, key=lambda p: len(p.columns), default=None)
