"""Groups a mapping folds together, and the data with the publisher's own labels beside the standard ones.

A fold (see `mapping.Fold`) sends two or more distinct labels of the publisher to one standard value: Minneapolis
records "East African" apart from "Black", and a mapping that sends both to `black` folds them. That is a choice, and
it can change a finding, so every rate table can be computed with the fold and without it (the folded labels as
groups of their own). The folds are read from the mapping in toolkit.yaml as it stands.

Without the fold, each folded label other than the one that names the standard value becomes its own group, named
by the label in lower case ("east african"). Standardizing keeps the publisher's label of a folded column beside the
standard value, as `<column>_source` (subject_race_source), so the groups come from the same rows in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..mapping import LABEL_SUFFIX, Fold, read_spec, spelling
from ..schema import get_schema
from ..sql import quote_ident, quote_text
from ..standardize import processed_path
from . import Dataset


def folds(config: Config, topic: str, column: str = "subject_race") -> list[Fold]:
    """Every fold the mappings of a topic's sources make in `column`; [] when there is none."""
    schema = get_schema(topic)
    found: list[Fold] = []
    for source in config.sources(topic):
        raw = source.mapping.get(column)
        if schema is None or raw is None:
            continue
        spec, _ = read_spec(schema.column(column), raw, f"{source.key}.mapping.{column}")
        found += spec.folds(source.key) if spec is not None else []
    return found


@dataclass(frozen=True)
class Labelled:
    """The topic's data with the publisher's label of `column` beside it (as `<column>_source`), or why not."""

    dataset: Dataset | None
    problem: str = ""  # why the labels are not there; "" when they are


def with_labels(config: Config, topic: str, column: str = "subject_race", dataset: Dataset | None = None) -> Labelled:
    """The processed data (`dataset`, or the whole topic) with the publisher's label of `column`, which
    standardizing keeps for a folded column; says in one sentence why not when the label is not there."""
    if not any(column in source.mapping for source in config.sources(topic)):
        return Labelled(None, f"No source maps {column}.")
    ds = dataset or Dataset(processed_path(config.root, topic))
    if column + LABEL_SUFFIX not in ds.columns:
        return Labelled(
            None,
            f"the standardized data does not keep the publisher's labels of {column} (it was made before the mapping "
            f"folded them, or by an older version of the toolkit). Run: python -m safety_toolkit standardize "
            f"--topic {topic}",
        )
    return Labelled(ds)


def group_sql(column: str, unfold: list[Fold] | tuple[Fold, ...] = ()) -> str:
    """SQL for the group of each row: the standard value, or, for the labels of `unfold`, the label (lower case).
    Without folds (or for another column) it is the standard value, missing as 'unknown'."""
    standard = f"coalesce(CAST({quote_ident(column)} AS VARCHAR), 'unknown')"
    cases = [
        f"WHEN {quote_ident(column + LABEL_SUFFIX)} = {quote_text(label)} THEN {quote_text(spelling(label))}"
        for fold in unfold
        if fold.column == column
        for label in fold.folded
    ]
    return f"CASE {' '.join(cases)} ELSE {standard} END" if cases else standard
