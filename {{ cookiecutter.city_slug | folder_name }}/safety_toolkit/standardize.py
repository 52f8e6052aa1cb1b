"""Raw snapshot -> standard columns and values, driven by the mapping in toolkit.yaml.

Each mapping is compiled into one DuckDB query over the Parquet snapshot, so it runs in constant memory
whatever the size of the data. Alongside data/processed/<topic>.parquet it writes <topic>.json: every
value mapping applied, with counts, the values that fell outside the mapping, and the values that did
not parse. Values outside the mapping become "unknown" and are counted, never dropped.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import secrets
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from .config import Config, RelatedTable, Source
from .mapping import LABEL_SUFFIX, TRUTHY, Spec, read_spec
from .schema import Column, Schema, get_schema
from .sql import one_row, quote_ident, quote_text
from .store import STANDARDIZE_MEMORY, Snapshot, Store, atomic_path, connect_duckdb, write_json

DUCKDB_TYPES = {
    "string": "VARCHAR",
    "category": "VARCHAR",
    "bool": "BOOLEAN",
    "date": "DATE",
    "time": "TIME",
    "datetime": "TIMESTAMP",
    "float": "DOUBLE",
    "int": "BIGINT",
}
TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
TOP_VALUES = 200  # distinct raw values kept per mapped column in the report
NUMBER = r"(-?[0-9]+(?:\.[0-9]+)?)"
LAT_LNG = r"\(\s*" + NUMBER + r"\s*,\s*" + NUMBER + r"\s*\)"  # "(44.97, -93.26)"
POINT = r"POINT\s*\(\s*" + NUMBER + r"\s+" + NUMBER + r"\s*\)"  # "POINT (-93.26 44.97)": lng first
CUSTOM_MODULE = "custom_mappings.py"
SALT_ENV = "TOOLKIT_HASH_SALT"


class MappingError(ValueError):
    """The mapping does not fit the data; the message names the toolkit.yaml key to fix."""


def processed_path(root: Path, topic: str) -> Path:
    return root / "data" / "processed" / f"{topic}.parquet"


def report_path(root: Path, topic: str) -> Path:
    return root / "data" / "processed" / f"{topic}.json"


def hash_salt(root: Path) -> str:
    """The project's secret salt for hashing identifiers: from the environment, or made once and kept
    in data/hash_salt (ignored by git). Without a salt, short ids such as badge numbers could be
    recovered by trying them all."""
    if os.environ.get(SALT_ENV):
        return os.environ[SALT_ENV]
    path = root / "data" / "hash_salt"
    if not path.exists():
        with atomic_path(path) as tmp:
            tmp.write_text(secrets.token_hex(16), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def _literal(value: Any, kind: str) -> str:
    if value is None:
        return "NULL"
    if kind == "bool":
        return "TRUE" if value else "FALSE"
    return quote_text(str(value))


class _Compiler:
    """Turns the specs of one source into SQL expressions over the relation `raw`."""

    def __init__(self, source: Source, salt: str) -> None:
        self.nulls = ["", *source.read.get("null_values", [])]
        self.salt = salt

    def clean(self, name: str) -> str:
        """The source text trimmed, with blanks and the source's null tokens as NULL."""
        text = f"trim(CAST({quote_ident(name)} AS VARCHAR))"
        tokens = ", ".join(quote_text(t) for t in self.nulls)
        return f"CASE WHEN {text} IN ({tokens}) THEN NULL ELSE {text} END"

    def text(self, spec: Spec) -> str:
        """The source text a spec starts from."""
        if spec.python:
            return self.clean(f"__python_{spec.column.name}")
        if len(spec.source_columns) > 1 and not spec.one_hot:
            parts = ", ".join(self.clean(c) for c in spec.source_columns)
            return f"NULLIF(concat_ws(' ', {parts}), '')"
        text = self.clean(spec.source_columns[0])
        return f"lpad({text}, {spec.pad}, '0')" if spec.pad else text

    def one_hot(self, spec: Spec) -> str:
        assert spec.one_hot is not None
        truthy = ", ".join(quote_text(t) for t in TRUTHY)
        flags = {name: f"(lower({self.clean(name)}) IN ({truthy}))" for name in spec.one_hot}
        count = " + ".join(f"CAST(coalesce({flag}, FALSE) AS INTEGER)" for flag in flags.values())
        several = spec.several if spec.several is not None else _several(spec.column)
        cases = " ".join(f"WHEN {flags[name]} THEN {quote_text(str(v))}" for name, v in spec.one_hot.items())
        return f"CASE WHEN ({count}) > 1 THEN {_literal(several, 'category')} {cases} ELSE NULL END"

    def transform(self, spec: Spec, text: str) -> str:
        """Source text -> standard value, before typing."""
        column, kind = spec.column, spec.column.type
        if spec.values is not None:
            cases = " ".join(
                f"WHEN {quote_text(raw)} THEN {_literal(standard, kind)}" for raw, standard in spec.values.items()
            )
            # A missing value falls to ELSE too: unknown for categories, missing otherwise.
            otherwise = {"category": _literal(column.fallback, kind), "bool": "NULL"}.get(kind, text)
            if "" in spec.values:  # '': false: a blank (or a null token) has a meaning of its own
                blank = _literal(spec.values[""], kind)
                return f"CASE WHEN {text} IS NULL THEN {blank} ELSE (CASE {text} {cases} ELSE {otherwise} END) END"
            return f"CASE {text} {cases} ELSE {otherwise} END"
        if spec.contains or spec.equals:
            if spec.contains:
                test = " OR ".join(f"contains(lower({text}), {quote_text(t.lower())})" for t in spec.contains)
            else:
                test = f"lower({text}) IN ({', '.join(quote_text(t.lower()) for t in spec.equals)})"
            return f"CASE WHEN {text} IS NULL THEN NULL WHEN {test} THEN TRUE ELSE FALSE END"
        if spec.parse:
            group = 1 if spec.parse == "lat" else 2
            return (
                f"coalesce(TRY_CAST(NULLIF(regexp_extract({text}, {quote_text(LAT_LNG)}, {group}), '') AS DOUBLE), "
                f"TRY_CAST(NULLIF(regexp_extract({text}, {quote_text(POINT)}, {3 - group}), '') AS DOUBLE))"
            )
        if kind == "category":
            allowed = ", ".join(quote_text(v) for v in column.values)
            return (
                f"CASE WHEN lower({text}) IN ({allowed}) THEN lower({text}) ELSE {_literal(column.fallback, kind)} END"
            )
        if kind == "bool":
            trues = ", ".join(quote_text(w) for w in TRUE_WORDS)
            falses = ", ".join(quote_text(w) for w in FALSE_WORDS)
            return f"CASE WHEN lower({text}) IN ({trues}) THEN TRUE WHEN lower({text}) IN ({falses}) THEN FALSE END"
        if kind in ("date", "time", "datetime"):
            if spec.formats:
                formats = "[" + ", ".join(quote_text(f) for f in spec.formats) + "]"
                parsed = f"try_strptime({text}, {formats})"
            else:
                parsed = f"TRY_CAST({text} AS TIMESTAMP)"
            if spec.two_digit_years:
                parsed = f"CASE WHEN {parsed} > now()::TIMESTAMP THEN {parsed} - INTERVAL 100 YEAR ELSE {parsed} END"
            if kind == "time" and not spec.formats:
                return f"coalesce(TRY_CAST({text} AS TIME), CAST({parsed} AS TIME))"
            return f"CAST({parsed} AS {DUCKDB_TYPES[kind]})"
        if kind in ("float", "int"):
            return f"TRY_CAST(TRY_CAST(replace(replace({text}, ',', ''), '$', '') AS DOUBLE) AS {DUCKDB_TYPES[kind]})"
        return text

    def unranged(self, spec: Spec) -> str:
        """The typed standard value, before the valid range is applied."""
        kind = spec.column.type
        if spec.is_constant:
            return f"CAST({_literal(spec.constant, kind)} AS {DUCKDB_TYPES[kind]})"
        if spec.one_hot:
            fallback = _literal(spec.column.fallback, "category")
            value = self.transform(spec, self.one_hot(spec)) if spec.values else self.one_hot(spec)
            return f"CAST(coalesce({value}, {fallback}) AS {DUCKDB_TYPES[kind]})"
        text = self.text(spec)
        if spec.split:
            part = "NULLIF(trim(part), '')"
            each = f"CASE WHEN {part} IS NULL THEN NULL ELSE {self.transform(spec, part)} END"
            parts = f"list_transform(string_split({text}, {quote_text(spec.split)}), lambda part: {each})"
            # Several different values: "other" for a category; for text, each value (mapped) joined by "; ".
            joined = f"array_to_string(list_sort(list_distinct(list_filter({parts}, lambda p: p IS NOT NULL))), "
            joined += f"{quote_text(LINKED_SEPARATOR)})"
            several = _literal(_several(spec.column), kind) if kind in ("category", "bool") else joined
            value = (
                f"CASE WHEN {text} IS NULL THEN NULL WHEN len(list_distinct({parts})) = 1 "
                f"THEN list_distinct({parts})[1] WHEN len(list_distinct({parts})) = 0 "
                f"THEN {_literal(spec.column.fallback, kind)} ELSE {several} END"
            )
        else:
            value = self.transform(spec, text)
        if spec.column.type == "category":
            value = f"coalesce({value}, {_literal(spec.column.fallback, kind)})"
        return f"CAST({value} AS {DUCKDB_TYPES[kind]})"

    def expression(self, spec: Spec) -> str:
        value = self.unranged(spec)
        if spec.column.valid_range:
            low, high = spec.column.valid_range
            value = f"CASE WHEN {value} BETWEEN {low} AND {high} THEN {value} END"
        if spec.column.hashed:
            value = f"left(sha256({quote_text(self.salt)} || CAST({value} AS VARCHAR)), 16)"
        return value


def _several(column: Column) -> str | None:
    """What a cell holding several different values becomes."""
    if column.type == "category":
        return "other" if "other" in column.values else column.fallback
    return None


def specs_for(schema: Schema, source: Source, columns: list[str]) -> list[Spec]:
    """The source's mapping read into specs, each checked against the snapshot's columns."""
    specs = []
    for column in schema.columns:
        if column.required and column.name not in source.mapping:
            raise MappingError(
                f"{source.key}.mapping: there is no '{column.name}:'. Add '{column.name}: <the column that holds it>' "
                f"(with 'format:' if needed), or '{column.name}: null' if this data does not record it."
            )
    for name, raw in source.mapping.items():
        if raw is None:
            continue  # "date: null": declared as not recorded in this data
        spec, problems = read_spec(schema.column(name), raw, f"{source.key}.mapping.{name}")
        if spec is None:
            raise MappingError("; ".join(f"{key}: {problem}" for key, problem in problems))
        if name in source.optional and not all(c in columns for c in spec.source_columns):
            continue  # a layout preset's entry for a column this file does not have
        for wanted in spec.source_columns:
            if wanted not in columns:
                squash = wanted.casefold().replace(" ", "").replace("_", "")
                close = [c for c in columns if c.casefold().replace(" ", "").replace("_", "") == squash]
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise MappingError(
                    f"{spec.key}: the data has no column {wanted!r}.{hint} "
                    f"Its columns are: {', '.join(repr(c) for c in columns)}."
                )
        specs.append(spec)
    return specs


def _custom_functions(root: Path) -> Any:
    path = root / CUSTOM_MODULE
    if not path.exists():
        raise MappingError(f"a mapping uses 'python:', but {CUSTOM_MODULE} does not exist in {root}.")
    spec = importlib.util.spec_from_file_location("custom_mappings", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LINKED_SEPARATOR = "; "  # the values of several linked rows (one per action...) in one cell


def _linked(con: duckdb.DuckDBPyConnection, snap_path: Path, links: list[tuple[RelatedTable, Path, list[str]]]) -> str:
    """The snapshot with each linked table's columns joined on as "<name>.<column>" (SQL for a FROM clause).

    A one-to-one link must find at most one linked row per row; a `many: true` link joins the values of all its
    rows into one cell ("TAKE DOWN; HANDCUFFS"), which `split:` then reads value by value. Either way there is
    exactly one standardized row per row of the source: the unit of analysis never changes silently."""
    base = f"read_parquet({quote_text(snap_path.as_posix())}, file_row_number = true)"
    if not links:
        return base
    joins, columns = [], ["r.*"]
    for i, (table, path, names) in enumerate(links):
        keys = list(table.on.values())
        wanted = [c for c in names if c not in keys]
        parquet = f"read_parquet({quote_text(path.as_posix())})"
        if table.rows:
            test = " AND ".join(
                f"trim(CAST({quote_ident(c)} AS VARCHAR)) = {quote_text(str(v))}" for c, v in table.rows.items()
            )
            parquet = f"(SELECT * FROM {parquet} WHERE {test})"
        if table.many:
            aggregated = ", ".join(
                f"string_agg(DISTINCT NULLIF(trim(CAST({quote_ident(c)} AS VARCHAR)), ''), "
                f"{quote_text(LINKED_SEPARATOR)} ORDER BY NULLIF(trim(CAST({quote_ident(c)} AS VARCHAR)), '')) "
                f"AS {quote_ident(c)}"
                for c in wanted
            )
            group = ", ".join(quote_ident(k) for k in keys)
            parquet = f"(SELECT {group}, {aggregated} FROM {parquet} GROUP BY {group})"
        else:
            repeated = one_row(
                con,
                f"SELECT count(*) FROM (SELECT 1 FROM {parquet} GROUP BY {', '.join(quote_ident(k) for k in keys)} "
                "HAVING count(*) > 1)",
            )[0]
            if repeated:
                raise MappingError(
                    f"{table.key}: {repeated:,} values of {', '.join(map(repr, keys))} appear on several rows of the "
                    "linked table, so the join would count some rows twice. Add 'many: true' to join their values "
                    "in one cell, or join on a column that is unique there."
                )
        alias = f"l{i}"
        condition = " AND ".join(
            f"CAST(r.{quote_ident(mine)} AS VARCHAR) = CAST({alias}.{quote_ident(theirs)} AS VARCHAR)"
            for mine, theirs in table.on.items()
        )
        joins.append(f"LEFT JOIN {parquet} AS {alias} ON {condition}")
        columns += [f"{alias}.{quote_ident(c)} AS {quote_ident(f'{table.name}.{c}')}" for c in wanted]
    return f"(SELECT {', '.join(columns)} FROM {base} AS r {' '.join(joins)})"


def _relation(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    snap_path: Path,
    specs: list[Spec],
    name: str,
    links: list[tuple[RelatedTable, Path, list[str]]] | None = None,
) -> str:
    """Name of a view `name` over the snapshot, with linked tables and any python-computed columns joined on."""
    parquet = _linked(con, snap_path, links or [])
    python_specs = [s for s in specs if s.python]
    if not python_specs:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {parquet}")
        return name
    module = _custom_functions(config.root)
    frame = pd.read_parquet(snap_path)
    computed = pd.DataFrame({"__row": range(len(frame))})
    for spec in python_specs:
        function = getattr(module, spec.python or "", None)
        if function is None:
            raise MappingError(f"{spec.key}.python: {CUSTOM_MODULE} has no function {spec.python!r}.")
        values = pd.Series(function(frame)).reset_index(drop=True)
        computed[f"__python_{spec.column.name}"] = values.astype("string")
    con.register(f"{name}_python", computed)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {parquet} AS r "
        f"LEFT JOIN {name}_python AS p ON r.file_row_number = p.__row"
    )
    return name


def standardize_topic(config: Config, topic: str, store: Store) -> dict[str, Any] | None:
    """Write data/processed/<topic>.parquet and its report; None when the topic is not ready for it.

    Every source of the topic needs a snapshot and a mapping; otherwise nothing is written and the
    previous processed file, if any, stays as it was.
    """
    schema = get_schema(topic)
    sources = config.sources(topic)
    if schema is None or not sources or not all(s.mapping for s in sources):
        return None
    con = connect_duckdb(STANDARDIZE_MEMORY)  # a memory ceiling: big files spill to disk instead of filling memory
    salt = hash_salt(config.root)
    selects, source_reports = [], []
    for i, source in enumerate(sources):
        snap = store.current(topic, source.key, source.location)
        if snap is None:
            raise MappingError(
                f"{source.key}: no data fetched yet. Run: python -m safety_toolkit fetch --topic {topic}"
            )
        path = store.path(snap)
        links, columns = [], list(snap.columns)
        for table in source.related:
            linked = store.current(topic, table.key, table.location)
            if linked is None:
                raise MappingError(
                    f"{table.key}: the linked table {table.location} is not fetched yet. "
                    f"Run: python -m safety_toolkit fetch --topic {topic}"
                )
            for mine, theirs in table.on.items():
                if mine not in snap.columns or theirs not in linked.columns:
                    raise MappingError(
                        f"{table.key}.on: {mine!r} must be a column of the source and {theirs!r} one of the linked "
                        f"table (its columns: {', '.join(map(repr, linked.columns))})."
                    )
            links.append((table, store.path(linked), list(linked.columns)))
            columns += [f"{table.name}.{c}" for c in linked.columns]
        specs = specs_for(schema, source, columns)
        relation = _relation(con, config, path, specs, f"raw_{i}", links)
        compiler = _Compiler(source, salt)
        by_name = {spec.column.name: spec for spec in specs}
        columns = [
            f"{compiler.expression(by_name[c.name]) if c.name in by_name else 'NULL'} AS {quote_ident(c.output_name)}"
            for c in schema.published
        ]
        typed = [
            f"CAST({quote_ident(c.output_name)} AS {DUCKDB_TYPES['string' if c.hashed else c.type]}) "
            f"AS {quote_ident(c.output_name)}"
            for c in schema.published
        ]
        # the publisher's label beside a folded column, so reports can undo the fold (analysis/folds.py)
        folded = [spec for spec in specs if spec.folds(source.key)]
        columns += [f"{compiler.text(spec)} AS {quote_ident(spec.column.name + LABEL_SUFFIX)}" for spec in folded]
        typed += [quote_ident(spec.column.name + LABEL_SUFFIX) for spec in folded]
        label = quote_text(source.title or source.key)
        selects.append(
            f"SELECT {', '.join(typed)}, {label} AS source FROM (SELECT {', '.join(columns)} FROM {relation})"
        )
        source_reports.append(_source_report(con, compiler, source, snap, relation, specs))
    union = " UNION ALL BY NAME ".join(f"({q})" for q in selects)
    target = processed_path(config.root, topic)
    with atomic_path(target) as tmp:
        con.execute(f"COPY ({union}) TO {quote_text(tmp.as_posix())} (FORMAT parquet, COMPRESSION zstd)")
    rows = one_row(con, "SELECT count(*) FROM read_parquet(?)", [target.as_posix()])[0]
    mapped = {name for s in sources for name in s.mapping}
    report = {
        "topic": topic,
        "standardized_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rows": rows,
        "sources": source_reports,
        "unmapped_columns": [c.name for c in schema.published if c.name not in mapped],
    }
    write_json(report_path(config.root, topic), report)
    return report


def _status(spec: Spec, raw: str | None) -> str:
    """Was this source value covered by the mapping?"""
    if raw is None:
        return "mapped" if spec.values is not None and "" in spec.values else "missing"
    if spec.one_hot or spec.contains or spec.equals:
        return "mapped"
    parts = [p.strip() for p in raw.split(spec.split)] if spec.split else [raw]
    if spec.values is not None:
        covered = all(p in spec.values for p in parts if p)
        return "mapped" if covered else ("unmapped" if spec.column.type in ("category", "bool") else "kept")
    if spec.column.type == "category":
        return "mapped" if all(p.lower() in spec.column.values for p in parts if p) else "unmapped"
    if spec.column.type == "bool":
        words = (*TRUE_WORDS, *FALSE_WORDS)
        return "mapped" if all(p.lower() in words for p in parts if p) else "unmapped"
    return "kept"


def _source_report(
    con: duckdb.DuckDBPyConnection,
    compiler: _Compiler,
    source: Source,
    snap: Snapshot,
    relation: str,
    specs: list[Spec],
) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for spec in specs:
        if spec.is_constant:
            columns[spec.column.name] = {"value": spec.constant, "type": spec.column.type}
            continue
        text = compiler.one_hot(spec) if spec.one_hot else compiler.text(spec)
        entry: dict[str, Any] = {"source_columns": list(spec.source_columns), "type": spec.column.type}
        kind = spec.column.type
        if kind in ("date", "time", "datetime", "float", "int") and not spec.values:
            entry["parsing"] = _parsing(con, compiler, spec, text, relation)
            present, failed = entry["parsing"]["present"], entry["parsing"]["failed"]
            if spec.column.required and not present:
                raise MappingError(
                    f"{spec.key}: every value of {', '.join(map(repr, spec.source_columns))} is blank, so no row "
                    f"has a {spec.column.name}. Map '{spec.column.name}' to the column that holds it."
                )
            if present and failed == present and kind in ("date", "time", "datetime"):
                examples = ", ".join(map(repr, entry["parsing"]["examples"][:3]))
                hint = "Fix its 'format:'" if spec.formats else "Add 'format:'"
                raise MappingError(
                    f"{spec.key}: none of the {present:,} values of {', '.join(map(repr, spec.source_columns))} "
                    f"could be read as a {kind} (e.g. {examples}). {hint} (strftime codes such as %m/%d/%Y %H:%M)."
                )
        if kind in ("category", "bool") or spec.values is not None:
            entry["values"] = _value_counts(con, compiler, spec, text, relation)
            present = sum(v["rows"] for v in entry["values"] if v["status"] != "missing")
            unmapped = [v for v in entry["values"] if v["status"] == "unmapped"]
            if present and sum(v["rows"] for v in unmapped) == present:
                shown = ", ".join(f"{v['raw']!r} ({v['rows']:,} rows)" for v in unmapped[:5])
                raise MappingError(
                    f"{spec.key}: none of the values of {', '.join(map(repr, spec.source_columns))} is covered by "
                    f"the mapping: {shown}. Map them under 'values:' (standard values: "
                    f"{', '.join(spec.column.values) or 'true, false'})."
                )
        columns[spec.column.name] = entry
    return {
        "source": source.key,
        "title": source.title,
        "location": source.location,
        "snapshot": snap.file,
        "retrieved_at": snap.retrieved_at,
        "rows": snap.rows,
        "sha256": snap.sha256,
        "source_sha256": snap.source_sha256,
        "notes": list(source.notes),
        "columns": columns,
    }


def _value_counts(
    con: duckdb.DuckDBPyConnection, compiler: _Compiler, spec: Spec, text: str, relation: str
) -> list[dict[str, Any]]:
    standard = compiler.unranged(spec)
    rows = con.execute(
        f"SELECT {text} AS raw, {standard} AS standard, count(*) AS n FROM {relation} "
        f"GROUP BY 1, 2 ORDER BY n DESC, raw LIMIT {TOP_VALUES}"
    ).fetchall()
    return [{"raw": raw, "standard": value, "rows": n, "status": _status(spec, raw)} for raw, value, n in rows]


def _parsing(
    con: duckdb.DuckDBPyConnection, compiler: _Compiler, spec: Spec, text: str, relation: str
) -> dict[str, Any]:
    """How many present values did not parse or fell outside the valid range, with examples in file order. Each
    value is parsed once (parsing every date of a big file is the costly part), and examples are looked for only
    when some value failed."""
    rows = f"SELECT {text} AS raw, {compiler.unranged(spec)} AS parsed, file_row_number AS n FROM {relation}"
    valid = None if spec.column.hashed else spec.column.valid_range
    outside = "0"
    if valid is not None:
        outside = f"count(*) FILTER (WHERE parsed IS NOT NULL AND NOT (parsed BETWEEN {valid[0]} AND {valid[1]}))"
    present, failed, out_of_range = one_row(
        con, f"SELECT count(raw), count(raw) FILTER (WHERE parsed IS NULL), {outside} FROM ({rows})"
    )
    examples = (
        con.execute(
            f"SELECT raw FROM ({rows}) WHERE raw IS NOT NULL AND parsed IS NULL GROUP BY raw ORDER BY min(n) LIMIT 5"
        ).fetchall()
        if failed
        else []
    )
    result = {"present": present, "failed": failed, "examples": [e[0] for e in examples]}
    if valid is not None:
        result["out_of_range"] = out_of_range
    return result


def one_row_per_value(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows repeated once per value of a column that may hold several ("TAKE DOWN; HANDCUFFS"): for counts
    of the rows involving each value. The shares then add up to more than 100%: say "involving"."""
    values = frame[column].astype("string").str.split(LINKED_SEPARATOR, regex=False)
    return (
        frame.assign(**{column: values})
        .explode(column)
        .assign(**{column: lambda f: f[column].astype("string").str.strip()})
    )
