"""Which mapping preset a source answer gets, and the toolkit.yaml entry written for it.

The presets and their matching by layout are the toolkit's own (safety_toolkit/presets/, loaded here from its
file): at bake the template matches a web address by the addresses a preset lists, and a local file by its columns
exactly as the toolkit does after a fetch.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path
from typing import Any

from .datasets import known_dataset_for, query_filters
from .files import toolkit_module

WEB = ("http://", "https://")


def all_presets() -> tuple[Any, ...]:
    """Every mapping preset (safety_toolkit.presets.Preset), for the generated toolkit's tests."""
    return tuple(toolkit_module("presets/__init__.py").all_presets())


def csv_header(path: Path) -> list[str]:
    """First row of a local CSV (plain or gzipped), for matching a preset; [] when unreadable."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
                return next(csv.reader(fh), [])
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError, csv.Error, EOFError):
        return []


def preset_for(topic: str, source: object) -> Any | None:
    """The mapping preset for a source: matched by its address, or by the columns of a local CSV."""
    text = str(source).strip()
    if not text:
        return None
    if text.startswith(WEB):
        return next((p for p in all_presets() if p.topic == topic and text in p.urls), None)
    presets = toolkit_module("presets/__init__.py")
    return presets.match_columns(topic, csv_header(Path(text).expanduser()))


def source_entry(topic: str, answer: object, preset_name: str = "") -> dict[str, Any] | None:
    """The toolkit.yaml entry for a topic's source answer: its location, title, and mapping when known.
    `preset_name` forces a preset (for the generated tests' fixture, whose path is relative)."""
    location = str(answer).strip()
    if not location:
        return None
    entry: dict[str, Any] = {"location": location}
    preset = next((p for p in all_presets() if p.name == preset_name), None) or preset_for(topic, location)
    known = known_dataset_for(location)
    if preset and preset.layout:
        entry["preset"] = preset.name  # a shared layout: the toolkit applies the entries this file has columns for
    elif preset:
        entry["title"] = preset.title
        entry.update(preset.source)
        entry["mapping"] = preset.mapping
    elif known:
        entry["title"] = f"{known['AgencyFull']}: {known['TableType'].capitalize()}"
        if known.get("date_field"):
            entry["date_field"] = known["date_field"]
        filters = query_filters(known)
        if filters and known["DataType"] != "Carto":  # Carto's filter is inside its SQL
            entry["where"] = filters
    return entry
