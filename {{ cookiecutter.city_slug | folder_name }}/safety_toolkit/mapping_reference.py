"""references/mapping.md: every key a source and a mapping may hold in toolkit.yaml, each with an example
from a real dataset. Written from the same tables the validator checks against (mapping.KEY_HELP,
config.SOURCE_KEYS), and the examples come from the presets the toolkit ships, so it cannot drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .config import SOURCE_KEYS, Config
from .mapping import KEY_HELP
from .presets import all_presets
from .store import atomic_path

# What each key of a source means, with an example (real datasets; the presets hold more).
SOURCE_HELP: dict[str, tuple[str, str]] = {
    "location": ("the web address of the dataset (a portal's page or API) or a file path",
                 "location: https://services.arcgis.com/afSMGVsC7QlRK1kZ/arcgis/rest/services/Police_Stop_Data/FeatureServer/0"),
    "title": ("the dataset's name, shown on the reports", "title: 'Minneapolis Police Department: Stops'"),
    "platform": ("which portal serves it, when its address does not say: socrata, arcgis, ckan, opendatasoft, "
                 "carto or file", "platform: arcgis"),
    "where": ("only some rows: a filter in the portal's language, or 'column: value' lines",
              "where: {State: MN}"),
    "page_size": ("rows per request, for portals that time out on big pages", "page_size: 1000"),
    "date_field": ("the column that dates each row, for refreshing only what changed", "date_field: responseDate"),
    "read": ("how to read a file: format, sheet, skip_rows, encoding, delimiter, null_values, member",
             'read: {null_values: ["-"]}   # Austin\'s use of force writes "-" for missing'),
    "notes": ("sentences the reports show beside the numbers", "notes:\n  - Race is usually the officer's perception."),
    "mapping": ("standard column -> where its values come from (the keys below)",
                "mapping:\n  date: {column: trr_date, format: '%Y-%m-%d'}"),
    "preset": ("start from a preset in safety_toolkit/presets; 'mapping:' keys beside it override the preset's",
               "preset: open_policing_project"),
    "review": ("'review: needed' marks a mapping the toolkit guessed; reports say so until you delete the line",
               "review: needed"),
    "related": ("linked tables joined onto each row by keys, each fetched as a source; their columns are "
                "'<name>.<column>'; 'many: true' joins several linked rows' values into one cell; 'where:' keeps "
                "only some linked rows",
                "related:   # Chicago's Tactical Response Reports\n"
                "  subjects: {location: trr_subjects.csv, on: row_id}\n"
                "  actions: {location: trr_actions.csv, on: row_id, many: true, where: {person: Member Action}}"),
    "unit": ("what one row is, when not the topic's own unit; reports then count the topic's unit as distinct ids",
             "unit: persons stopped"),
}  # fmt: skip


def _short(spec: Any) -> Any:
    """A preset's entry cut to a readable size: a lookup shows its first three lines."""
    if isinstance(spec, dict):
        return {k: (dict(list(v.items())[:3]) if isinstance(v, dict) else v) for k, v in spec.items()}
    return spec


def mapping_examples() -> dict[str, tuple[str, str]]:
    """Mapping key -> (an entry using it, the dataset it is from), from the shipped presets."""
    found: dict[str, tuple[str, str]] = {}
    for preset in all_presets():
        for column, spec in preset.mapping.items():
            keys = set(spec) if isinstance(spec, dict) else {"column"}
            for key in keys & set(KEY_HELP):
                if key not in found:
                    entry = yaml.safe_dump(
                        {column: _short(spec)}, default_flow_style=None, width=110, allow_unicode=True
                    )
                    found[key] = (entry.strip(), preset.title)
    return found


def reference_markdown() -> str:
    lines = [
        "# toolkit.yaml: sources and mappings",
        "",
        "Written by `python -m safety_toolkit dictionaries` from the tables the toolkit checks toolkit.yaml against;",
        "do not edit. The standard columns of each topic are in `data_dictionaries/`.",
        "",
        "## A source",
        "",
        "Each topic lists its sources under `topics: <topic>: sources:`. A source may hold:",
        "",
    ]
    for key in sorted(SOURCE_KEYS, key=list(SOURCE_HELP).index):
        meaning, example = SOURCE_HELP[key]
        lines += [f"### `{key}`", "", meaning[0].upper() + meaning[1:] + ".", "", "```yaml", example, "```", ""]
    lines += [
        "## A mapping entry",
        "",
        "Under `mapping:`, each standard column says where its values come from: `<standard column>: <entry>`.",
        "`<standard column>: null` says the data does not record it (required columns such as `date` must be",
        "mapped or declared so). An entry may hold:",
        "",
    ]
    examples = mapping_examples()
    for key, meaning in KEY_HELP.items():
        lines += [f"### `{key}`", "", meaning[0].upper() + meaning[1:] + ".", ""]
        if key in examples:
            entry, dataset = examples[key]
            lines += [f"From {dataset}:", "", "```yaml", entry, "```", ""]
        else:
            lines += ["No shipped preset needs it yet.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_reference(config: Config) -> Path:
    target = config.root / "references" / "mapping.md"
    with atomic_path(target) as tmp:
        tmp.write_text(reference_markdown(), encoding="utf-8")
    return target
