"""toolkit.defaults.yaml: the template's defaults, read under the city's own toolkit.yaml.

toolkit.yaml is the user's: "cruft update" never rewrites it after the toolkit is made. What the template
may improve later (report defaults, the refresh schedule) lives in toolkit.defaults.yaml, which updates do
rewrite. A key set in toolkit.yaml wins over the same key here, one level deep: `reports:
{suppress_small_counts: true}` in toolkit.yaml keeps the template's other report defaults.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from .yaml_reader import YamlProblem, read_yaml
from .yaml_types import Block, expect

DEFAULTS_FILE = "toolkit.defaults.yaml"
DEFAULT_KEYS = ("reports", "refresh")  # the top-level keys the template may set defaults for
EVERY = ("daily", "weekly", "monthly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class DefaultsError(ValueError):
    """A problem in toolkit.defaults.yaml (the template's file: restore it rather than edit it)."""


def read_defaults(config_path: Path) -> dict[str, Any]:
    """The defaults beside toolkit.yaml; {} when there is no such file (a toolkit made before it existed)."""
    path = config_path.parent / DEFAULTS_FILE
    if not path.is_file():
        return {}
    try:
        document = read_yaml(path.read_text(encoding="utf-8"), path.name)
    except (YamlProblem, UnicodeDecodeError) as err:
        raise DefaultsError(f"{path.name}: {err}. Restore it with 'cruft update' or from git.") from None
    data = document.data or {}
    if not isinstance(data, dict):
        raise DefaultsError(f"{path.name} must hold 'name: value' lines. Restore it with 'cruft update' or from git.")
    unknown = sorted(str(key) for key in data if key not in DEFAULT_KEYS)
    if unknown:
        raise DefaultsError(f"{path.name}: unknown key {', '.join(unknown)}; it may set {', '.join(DEFAULT_KEYS)}.")
    return data


def with_defaults(defaults: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """toolkit.yaml's settings over the template's defaults, one level deep."""
    merged = dict(data)
    for key, default in defaults.items():
        mine = data.get(key)
        if isinstance(default, dict) and isinstance(mine, dict):
            merged[key] = {**default, **mine}
        elif key not in data or mine is None:
            merged[key] = default
    return merged


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class Refresh(Block):
    """How often the scheduled workflow fetches the data again and republishes the site."""

    every: Annotated[
        Literal["daily", "weekly", "monthly"],
        BeforeValidator(_lower),
        expect("{found} is not one of " + ", ".join(EVERY) + "."),
    ] = "weekly"
    """How often: daily, weekly (on the weekday below) or monthly (on the 1st)."""
    weekday: Annotated[
        Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        BeforeValidator(_lower),
        expect("{found} is not a day of the week, such as monday."),
    ] = "monday"
    """The day of the week of a weekly refresh."""

    def due(self, day: dt.date) -> bool:
        """Whether a refresh is due on this date (the workflow looks once a day)."""
        if self.every == "daily":
            return True
        if self.every == "monthly":
            return day.day == 1
        return WEEKDAYS[day.weekday()] == self.weekday
