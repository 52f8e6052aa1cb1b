"""What a mapping in toolkit.yaml may say, read into one `Spec` per standard column.

A standard column comes from one of:
  column: <source column>            the text of one column (a bare name is short for this)
  columns: [<date column>, <time>]   several columns joined by a space (a date and a time)
  one_hot: {<0/1 column>: <value>}   one category out of several yes/no columns ("several:" if more are set)
  value: <constant>                  the same value for every row (e.g. record_type: allegation)
  python: <function>                 a function in custom_mappings.py: f(raw DataFrame) -> Series of text
and is then turned into the standard value by at most one of:
  values: {<source value>: <standard value>}   a lookup; values not listed become "unknown" and are counted;
                                                null as a standard value means "not known" (missing)
  contains: [<text>, ...] / equals: [...]       true when the text contains / equals one of them
  format: "%m/%d/%Y %H:%M" (or a list)          how dates and times are written (strftime codes)
  parse: lat | lng                              the number out of a "(lat, lng)" or "POINT (lng lat)" text
with, optionally:
  split: ";"                  a cell holding several values: each is mapped; if they differ, "other"
  two_digit_years: past       "28-Apr-68" is 1968, not 2068 (a date after today loses 100 years)
  pad: 4                      left-pad the text with zeros first: a time "233" becomes "0233" (%H%M)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .schema import Column

SOURCES = ("column", "columns", "one_hot", "value", "python")
TRANSFORMS = ("values", "contains", "equals", "format", "parse")
# Every key a mapping entry may hold, with what it does: the validator below accepts exactly these, and
# references/mapping.md (mapping_reference.py) is written from this table.
KEY_HELP = {
    "column": "the text of one column of the data (a bare name, `date: trr_date`, is short for this)",
    "columns": "several columns joined by a space, e.g. a date and a time, or a race and an ethnicity",
    "one_hot": "one value out of several yes/no columns, one per value",
    "several": "with one_hot: what a row with more than one column set becomes (default: other)",
    "value": "the same value for every row",
    "python": "a function f(raw DataFrame) -> Series of text, defined in custom_mappings.py",
    "values": "a lookup from the data's values to the standard ones; values not listed become unknown and are "
    "counted; `''` is a blank cell (`'': false`: blank means no); null means not known",
    "contains": "true when the text contains one of these (for true/false columns)",
    "equals": "true when the text is one of these (for true/false columns)",
    "format": "how dates and times are written, in strftime codes (or a list of them)",
    "parse": "lat or lng: the number out of a '(lat, lng)' or 'POINT (lng lat)' text",
    "split": "a cell holding several values: each one is mapped (a category with several becomes other; a text "
    "keeps each, joined by '; ', so reports can count the rows involving each)",
    "two_digit_years": "past: '28-Apr-68' is 1968, not 2068",
    "pad": "left-pad the text with zeros to this width first: a time '233' becomes '0233'",
}
KEYS = set(KEY_HELP)
TRUTHY = ("1", "1.0", "y", "yes", "true", "t", "x")


@dataclass(frozen=True)
class Spec:
    column: Column
    key: str  # where it sits in toolkit.yaml, for messages
    source_columns: tuple[str, ...] = ()
    one_hot: dict[str, str] | None = None
    several: str | None = None
    constant: Any = None
    python: str | None = None
    values: dict[str, Any] | None = None
    contains: tuple[str, ...] = ()
    equals: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    parse: str | None = None
    split: str | None = None
    two_digit_years: bool = False
    pad: int = 0

    @property
    def is_constant(self) -> bool:
        return self.constant is not None

    def folds(self, source: str) -> list[Fold]:
        """The folds this entry's value map makes (see `Fold`); [] without a value map of one source column."""
        if not self.values or len(self.source_columns) != 1:
            return []
        return folds_in_values(self.column.name, source, self.source_columns[0], self.values)


# A fold is a value map that sends two or more distinct labels of the publisher to one standard value: Minneapolis
# records "East African" apart from "Black", and a mapping that sends both to `black` folds them. That is a choice
# that can change a finding, so the standardized data keeps the publisher's label of a folded column beside the
# standard value, in `<column>_source`, and reports can show each table with the fold and without it.
LABEL_SUFFIX = "_source"  # subject_race -> subject_race_source


@dataclass(frozen=True)
class Fold:
    """Publisher labels counted as one standard value: `labels` (as the publisher writes them) all became `value`
    in `column`; `kept` is the label that names the value itself, `folded` the others. Labels that differ only in
    case or spacing ("YES", "Yes") are spellings of one label, not a fold; the standard `unknown` is never one."""

    column: str  # standard column, e.g. subject_race
    source: str  # the source in toolkit.yaml, e.g. topics.police_stops.sources[0]
    source_column: str  # the publisher's column, e.g. race
    value: str  # the standard value, e.g. black
    labels: tuple[str, ...]  # e.g. ("Black", "East African")

    @property
    def kept(self) -> str:
        same = [label for label in self.labels if spelling(label) == spelling(self.value)]
        return same[0] if same else self.labels[0]

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(label for label in self.labels if spelling(label) != spelling(self.kept))

    def describe(self) -> str:
        """One sentence for a table's note: 'East African is counted as black (the mapping's choice).'"""
        names = " and ".join(f'"{label}"' for label in self.folded)
        return (
            f'{names} {"is" if len(self.folded) == 1 else "are"} counted as {self.value} together with "{self.kept}" '
            f"(a choice of the mapping of {self.source_column!r}); the tables without the fold show "
            f"{'it' if len(self.folded) == 1 else 'them'} apart."
        )


def spelling(label: str) -> str:
    """A label as compared with others: case and spacing ignored."""
    return " ".join(str(label).casefold().split())


def folds_in_values(column: str, source: str, source_column: str, values: dict[str, Any]) -> list[Fold]:
    """The folds of one value map {publisher label: standard value}."""
    by_value: dict[str, list[str]] = {}
    for label, value in values.items():
        if value is None or str(value) == "unknown":
            continue
        spellings = {spelling(existing) for existing in by_value.get(str(value), [])}
        if spelling(label) not in spellings:
            by_value.setdefault(str(value), []).append(str(label))
    return [Fold(column, source, source_column, value, tuple(ls)) for value, ls in by_value.items() if len(ls) > 1]


def read_spec(column: Column, raw: Any, key: str) -> tuple[Spec | None, list[tuple[str, str]]]:
    """The spec for one standard column, or None with a list of (key, problem) to report."""
    problems: list[tuple[str, str]] = []
    if isinstance(raw, str):
        raw = {"column": raw}
    if not isinstance(raw, dict):
        return None, [(key, "expected the source column's name, or 'column:' with 'values:' or 'format:' under it.")]
    for name in raw:
        if name not in KEYS:
            problems.append((f"{key}.{name}", f"unknown key '{name}'. Known keys: {', '.join(sorted(KEYS))}."))
    given = [name for name in SOURCES if name in raw]
    if len(given) != 1:
        problems.append(
            (key, "say where the values come from with exactly one of: column, columns, one_hot, value, python.")
        )
    transforms = [name for name in TRANSFORMS if name in raw]
    if len(transforms) > 1:
        problems.append((key, f"use only one of {', '.join(transforms)}: they each decide the final value."))
    if problems:
        return None, problems

    def texts(name: str) -> tuple[str, ...]:
        value = raw.get(name, [])
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append((f"{key}.{name}", "expected a text or a list of texts."))
            return ()
        return tuple(value)

    source_columns: tuple[str, ...] = ()
    if "column" in raw:
        if not isinstance(raw["column"], str) or not raw["column"]:
            problems.append((f"{key}.column", "name the column of the source data this standard column comes from."))
        else:
            source_columns = (raw["column"],)
    if "columns" in raw:
        source_columns = texts("columns")
    one_hot = raw.get("one_hot")
    if one_hot is not None:
        if not isinstance(one_hot, dict) or not one_hot:
            problems.append((f"{key}.one_hot", "expected '<yes/no column>: <standard value>' lines."))
            one_hot = None
        else:
            one_hot = {str(k): v for k, v in one_hot.items()}
            source_columns = tuple(one_hot)
    values = raw.get("values")
    if values is not None:
        values = _values(column, values, f"{key}.values", problems)
    for name, standard in (one_hot or {}).items():
        _check_standard(column, standard, f"{key}.one_hot.{name}", problems)
    if "several" in raw:
        _check_standard(column, raw["several"], f"{key}.several", problems)
    if "value" in raw:
        _check_standard(column, raw["value"], f"{key}.value", problems)
    if "python" in raw and not (isinstance(raw["python"], str) and raw["python"].isidentifier()):
        problems.append(
            (f"{key}.python", "name a function defined in custom_mappings.py, e.g. python: race_from_codes.")
        )
    if ("contains" in raw or "equals" in raw) and column.type != "bool":
        problems.append((key, f"{column.name} is a {column.type} column; 'contains' and 'equals' make true/false."))
    if "format" in raw and column.type not in ("date", "time", "datetime"):
        problems.append(
            (f"{key}.format", f"{column.name} is a {column.type} column; 'format' only applies to dates and times.")
        )
    if "parse" in raw and (raw["parse"] not in ("lat", "lng") or column.type != "float"):
        problems.append((f"{key}.parse", "use 'parse: lat' or 'parse: lng' on the lat and lng columns."))
    if raw.get("two_digit_years", "past") != "past":
        problems.append((f"{key}.two_digit_years", "the only setting is 'past'."))
    if "pad" in raw and not (isinstance(raw["pad"], int) and not isinstance(raw["pad"], bool) and 0 < raw["pad"] < 20):
        problems.append((f"{key}.pad", "expected the width to pad to with zeros, e.g. pad: 4."))
    if "split" in raw and not (isinstance(raw["split"], str) and raw["split"]):
        problems.append((f"{key}.split", 'expected the separator, e.g. split: ";".'))
    if problems:
        return None, problems
    return (
        Spec(
            column=column,
            key=key,
            source_columns=source_columns,
            one_hot=one_hot,
            several=raw.get("several"),
            constant=raw.get("value"),
            python=raw.get("python"),
            values=values,
            contains=texts("contains") if "contains" in raw else (),
            equals=texts("equals") if "equals" in raw else (),
            formats=texts("format") if "format" in raw else (),
            parse=raw.get("parse"),
            split=raw.get("split"),
            two_digit_years="two_digit_years" in raw,
            pad=raw.get("pad", 0),
        ),
        problems,
    )


def _values(column: Column, values: Any, key: str, problems: list[tuple[str, str]]) -> dict[str, Any] | None:
    if not isinstance(values, dict):
        problems.append((key, "expected 'source value: standard value' lines."))
        return None
    result = {}
    for raw, standard in values.items():
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            problems.append(
                (
                    key,
                    f"the source value {raw!r} was read by YAML as {type(raw).__name__}; put it in quotes, "
                    'e.g. "YES": true or "1.0": black.',
                )
            )
            continue
        _check_standard(column, standard, f"{key}.{raw}", problems)
        result[str(raw)] = standard
    return result


def _check_standard(column: Column, standard: Any, key: str, problems: list[tuple[str, str]]) -> None:
    if standard is None:
        return  # "undetermined: null": a value that means the answer is not known becomes missing
    if column.type == "bool" and not isinstance(standard, bool):
        problems.append((key, f"{column.name} is true/false; map to true or false, not {standard!r}."))
    elif column.type == "category" and standard not in column.values:
        problems.append((key, f"{standard!r} is not a standard {column.name}; use one of: {', '.join(column.values)}."))
