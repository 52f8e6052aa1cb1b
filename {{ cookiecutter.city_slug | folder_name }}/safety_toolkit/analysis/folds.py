"""Groups a mapping folds together, and the data with the publisher's own labels beside the standard ones.

A fold is a value map that sends two or more distinct labels of the publisher to one standard value: Minneapolis
records "East African" apart from "Black", and a mapping that sends both to `black` folds them. That is a choice, and
it can change a finding, so every rate table can be computed with the fold and without it (the folded labels as
groups of their own). The folds are read from the mapping in toolkit.yaml as it stands; labels that differ only in
case or spacing ("YES", "Yes") are spellings of one label, not a fold; the standard `unknown` is never a fold.

Without the fold, each folded label other than the one that names the standard value becomes its own group, named
by the label in lower case ("east african"); the rows need the publisher's label for that, which `with_labels`
joins from the raw snapshot by the stop's identifier (raw_row_number). Data that already carries the publisher's
label in a column `<column>_source` (subject_race_source) can be used as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..mapping import read_spec
from ..schema import get_schema
from ..sql import quote_ident, quote_text
from ..standardize import _Compiler, processed_path
from ..store import Store
from . import Dataset

LABEL_SUFFIX = "_source"  # subject_race -> subject_race_source: the publisher's label, beside the standard value


@dataclass(frozen=True)
class Fold:
    """Publisher labels counted as one standard value: `labels` (as the publisher writes them) all became `value`
    in `column`; `kept` is the label that names the value itself, `folded` the others."""

    column: str  # standard column, e.g. subject_race
    source: str  # the source in toolkit.yaml, e.g. topics.police_stops.sources[0]
    source_column: str  # the publisher's column, e.g. race
    value: str  # the standard value, e.g. black
    labels: tuple[str, ...]  # e.g. ("Black", "East African")

    @property
    def kept(self) -> str:
        same = [label for label in self.labels if _spelling(label) == _spelling(self.value)]
        return same[0] if same else self.labels[0]

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(label for label in self.labels if _spelling(label) != _spelling(self.kept))

    def describe(self) -> str:
        """One sentence for a table's note: 'East African is counted as black (the mapping's choice).'"""
        names = " and ".join(f'"{label}"' for label in self.folded)
        return (
            f'{names} {"is" if len(self.folded) == 1 else "are"} counted as {self.value} together with "{self.kept}" '
            f"(a choice of the mapping of {self.source_column!r}); the tables without the fold show "
            f"{'it' if len(self.folded) == 1 else 'them'} apart."
        )


def _spelling(label: str) -> str:
    return " ".join(str(label).casefold().split())


def folds_in_values(column: str, source: str, source_column: str, values: dict[str, Any]) -> list[Fold]:
    """The folds of one value map {publisher label: standard value}."""
    by_value: dict[str, list[str]] = {}
    for label, value in values.items():
        if value is None or str(value) == "unknown":
            continue
        spellings = {_spelling(existing) for existing in by_value.get(str(value), [])}
        if _spelling(label) not in spellings:
            by_value.setdefault(str(value), []).append(str(label))
    return [Fold(column, source, source_column, value, tuple(ls)) for value, ls in by_value.items() if len(ls) > 1]


def folds(config: Config, topic: str, column: str = "subject_race") -> list[Fold]:
    """Every fold the mappings of a topic's sources make in `column`; [] when there is none."""
    schema = get_schema(topic)
    found: list[Fold] = []
    for source in config.sources(topic):
        raw = source.mapping.get(column)
        if schema is None or raw is None:
            continue
        spec, _ = read_spec(schema.column(column), raw, f"{source.key}.mapping.{column}")
        if spec is None or not spec.values or len(spec.source_columns) != 1:
            continue
        found += folds_in_values(column, source.key, spec.source_columns[0], spec.values)
    return found


@dataclass(frozen=True)
class Labelled:
    """The topic's data with the publisher's label of `column` beside it (as `<column>_source`), or why not."""

    dataset: Dataset | None
    problem: str = ""  # why the labels could not be joined; "" when they were
    unmatched: int = 0  # rows whose identifier was not found in the raw snapshot


def with_labels(config: Config, topic: str, column: str = "subject_race", dataset: Dataset | None = None) -> Labelled:
    """The processed data (limited to `dataset`'s dates when given) with the publisher's label of `column` joined
    from each source's raw snapshot by raw_row_number. Needs raw_row_number mapped to an identifier that is unique
    in the source; says so in one sentence when it is not."""
    schema = get_schema(topic)
    store = Store(config.root)
    selects = []
    for source in config.sources(topic):
        if column not in source.mapping:
            continue
        if "raw_row_number" not in source.mapping or schema is None:
            return Labelled(None, f"{source.key} maps no raw_row_number, so its rows cannot be traced to its labels.")
        snap = store.current(topic, source.key, source.location)
        if snap is None:
            return Labelled(None, f"{source.key} has no data fetched yet.")
        specs = {}
        for name in ("raw_row_number", column):
            spec, _problems = read_spec(schema.column(name), source.mapping[name], f"{source.key}.mapping.{name}")
            if spec is None or len(spec.source_columns) != 1:
                return Labelled(None, f"{source.key}.mapping.{name} does not name one column of the source.")
            specs[name] = spec
        text = _Compiler(source, "")
        selects.append(
            f"SELECT {quote_text(source.title or source.key)} AS source, "
            f"{text.text(specs['raw_row_number'])} AS raw_row_number, {text.text(specs[column])} AS label "
            f"FROM read_parquet({quote_text(store.path(snap).as_posix())})"
        )
    if not selects:
        return Labelled(None, f"No source maps {column}.")
    ds = dataset or Dataset(processed_path(config.root, topic))
    labelled = Dataset(ds.path, ds.start, ds.end)
    labels = " UNION ALL ".join(f"({s})" for s in selects)
    labelled.con.execute(f"CREATE TEMP TABLE labels AS {labels}")
    repeated = labelled.scalar(
        "SELECT count(*) FROM (SELECT source, raw_row_number FROM labels GROUP BY 1, 2 HAVING count(*) > 1)"
    )
    if repeated:
        return Labelled(
            None,
            f"{repeated:,} identifiers of raw_row_number repeat in the source, so rows cannot be traced to one label.",
        )
    target = quote_ident(column + LABEL_SUFFIX)
    source_file = quote_text(ds.path.as_posix())
    labelled.con.execute(
        f"CREATE OR REPLACE VIEW everything AS SELECT p.*, l.label AS {target} FROM read_parquet({source_file}) AS p "
        "LEFT JOIN labels AS l ON l.source = p.source AND l.raw_row_number = p.raw_row_number"
    )
    unmatched = int(labelled.scalar(f"SELECT count(*) FROM data WHERE {target} IS NULL AND {column} <> 'unknown'"))
    return Labelled(labelled, "", unmatched)


def group_sql(column: str, unfold: list[Fold] | tuple[Fold, ...] = ()) -> str:
    """SQL for the group of each row: the standard value, or, for the labels of `unfold`, the label (lower case).
    Without folds (or for another column) it is the standard value, missing as 'unknown'."""
    standard = f"coalesce(CAST({quote_ident(column)} AS VARCHAR), 'unknown')"
    cases = [
        f"WHEN {quote_ident(column + LABEL_SUFFIX)} = {quote_text(label)} THEN {quote_text(_spelling(label))}"
        for fold in unfold
        if fold.column == column
        for label in fold.folded
    ]
    return f"CASE {' '.join(cases)} ELSE {standard} END" if cases else standard
