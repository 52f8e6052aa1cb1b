"""The data dictionaries in references/data_dictionaries/: written from the schemas, never by hand,
so that they always say exactly what the toolkit does."""

from __future__ import annotations

from pathlib import Path

from .config import Config, Source
from .mapping import LABEL_SUFFIX, read_spec
from .schema import Column, Schema, get_schema
from .store import atomic_path
from .topics import TOPICS

TYPES = {
    "string": "text",
    "category": "one of a fixed list",
    "bool": "true / false",
    "date": "date (YYYY-MM-DD)",
    "time": "clock time (HH:MM:SS)",
    "datetime": "date and time",
    "float": "number",
    "int": "whole number",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _privacy(column: Column) -> str:
    if column.hashed:
        return f"private: kept only as `{column.output_name}`, a salted hash"
    if column.private:
        return "private: dropped, never in a report"
    return ""


def dictionary(topic: str, config: Config | None = None) -> str:
    """The Markdown data dictionary of one topic, with the mapping of each configured source."""
    schema = get_schema(topic)
    info = TOPICS[topic]
    assert schema is not None
    lines = [
        f"# Data dictionary: {info.title}",
        "",
        f"{schema.description} {info.about}",
        "",
        f"**Keep in mind:** {info.not_about}",
        "",
        "These are the toolkit's standard columns for this topic. A source's `mapping:` in `toolkit.yaml` says",
        "which of its own columns fills each one; the reports use only these.",
        "",
        "| column | type | allowed values | meaning | privacy |",
        "|---|---|---|---|---|",
    ]
    for column in schema.columns:
        values = ", ".join(column.values)
        if column.valid_range:
            low, high = column.valid_range
            values = f"{low:g} to {high:g} (others count as missing)"
        cells = [f"`{column.name}`", TYPES[column.type], _cell(values), _cell(column.description), _privacy(column)]
        lines.append("| " + " | ".join(cells) + " |")
    if config is not None:
        for source in config.sources(topic):
            lines += ["", f"## Source: {source.title or source.location}", "", f"Location: `{source.location}`", ""]
            if not source.mapping:
                lines.append("Not mapped yet: the reports show its raw columns until a `mapping:` is added.")
                continue
            lines += ["| standard column | comes from |", "|---|---|"]
            for name, spec in source.mapping.items():
                if spec is None:
                    described = "not recorded in this data"
                else:
                    described = spec if isinstance(spec, str) else ", ".join(f"{k}: {v}" for k, v in spec.items())
                lines.append(f"| `{name}` | {_cell(str(described))} |")
            lines += _folds(schema, source)
            if source.notes:
                lines += ["", *[f"- {note}" for note in source.notes]]
    return "\n".join(lines) + "\n"


def _folds(schema: Schema, source: Source) -> list[str]:
    """A sentence per column whose value map counts several of the publisher's labels as one value: the
    standardized data keeps those labels too, in `<column>_source`."""
    lines = []
    for column in schema.columns:
        raw = source.mapping.get(column.name)
        spec = read_spec(column, raw, column.name)[0] if raw is not None else None
        lines += [
            f"- {fold.describe()} The standardized data keeps the publisher's label in `{column.name}{LABEL_SUFFIX}`."
            for fold in (spec.folds(source.key) if spec is not None else [])
        ]
    return ["", *lines] if lines else []


def write_dictionaries(config: Config) -> list[Path]:
    folder = config.root / "references" / "data_dictionaries"
    written = []
    for topic in TOPICS:
        target = folder / f"{topic}.md"
        with atomic_path(target) as tmp:
            tmp.write_text(dictionary(topic, config), encoding="utf-8")
        written.append(target)
    return written
