"""Raw snapshot -> standard columns and values, driven by the mapping in toolkit.yaml.

The mapping is compiled into one DuckDB query over the Parquet snapshots, so it runs in constant memory
whatever the size of the data. Alongside data/processed/<topic>.parquet it writes <topic>.json: every
value mapping applied, with counts, values that fell outside the mapping, and dates that did not parse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from .config import Config, Source
from .schema import Column, Schema, get_schema
from .store import Snapshot, Store, atomic_path, write_json

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


class MappingError(ValueError):
    """The mapping does not fit the data; the message names the toolkit.yaml key to fix."""


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def processed_path(root: Path, topic: str) -> Path:
    return root / "data" / "processed" / f"{topic}.parquet"


def report_path(root: Path, topic: str) -> Path:
    return root / "data" / "processed" / f"{topic}.json"


@dataclass(frozen=True)
class _Spec:
    column: Column
    source_column: str
    values: dict[str, Any] | None
    format: str | None


def _specs(schema: Schema, source: Source, columns: list[str]) -> list[_Spec]:
    specs = []
    for name, raw in source.mapping.items():
        spec = {"column": raw} if isinstance(raw, str) else dict(raw)
        if spec["column"] not in columns:
            close = [c for c in columns if c.casefold().replace(" ", "") == spec["column"].casefold().replace(" ", "")]
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise MappingError(
                f"{source.key}.mapping.{name}: the data has no column {spec['column']!r}.{hint} "
                f"Its columns are: {', '.join(repr(c) for c in columns)}."
            )
        values = spec.get("values")
        if values is not None:
            values = {str(k): v for k, v in values.items()}
        specs.append(_Spec(schema.column(name), spec["column"], values, spec.get("format")))
    return specs


def _clean(name: str, null_values: list[str]) -> str:
    """The source text trimmed, with blanks and the source's null tokens as NULL."""
    text = f"trim({quote_ident(name)})"
    tokens = ", ".join(quote_text(t) for t in ["", *null_values])
    return f"CASE WHEN {text} IN ({tokens}) THEN NULL ELSE {text} END"


def _expression(spec: _Spec, clean: str) -> str:
    column, kind = spec.column, spec.column.type
    if spec.values is not None:
        cases = " ".join(
            f"WHEN {quote_text(raw)} THEN {_literal(standard, kind)}" for raw, standard in spec.values.items()
        )
        otherwise = _literal(column.fallback, kind) if kind == "category" else ("NULL" if kind == "bool" else clean)
        return f"CASE {clean} {cases} ELSE {otherwise} END" if cases else otherwise
    if kind == "category":
        allowed = ", ".join(quote_text(v) for v in column.values)
        return f"CASE WHEN lower({clean}) IN ({allowed}) THEN lower({clean}) ELSE {_literal(column.fallback, kind)} END"
    if kind == "bool":
        trues = ", ".join(quote_text(w) for w in TRUE_WORDS)
        falses = ", ".join(quote_text(w) for w in FALSE_WORDS)
        return f"CASE WHEN lower({clean}) IN ({trues}) THEN TRUE WHEN lower({clean}) IN ({falses}) THEN FALSE END"
    if kind in ("date", "time", "datetime"):
        parsed = (
            f"try_strptime({clean}, {quote_text(spec.format)})" if spec.format else f"TRY_CAST({clean} AS TIMESTAMP)"
        )
        if kind == "time" and not spec.format:
            return f"COALESCE(TRY_CAST({clean} AS TIME), CAST({parsed} AS TIME))"
        return f"CAST({parsed} AS {DUCKDB_TYPES[kind]})"
    if kind in ("float", "int"):
        return f"TRY_CAST(replace({clean}, ',', '') AS {DUCKDB_TYPES[kind]})"
    return clean


def _literal(value: Any, kind: str) -> str:
    if value is None:
        return "NULL"
    if kind == "bool":
        return "TRUE" if value else "FALSE"
    return quote_text(str(value))


def _source_query(schema: Schema, source: Source, snap_path: Path, columns: list[str]) -> tuple[str, list[_Spec]]:
    nulls = list(source.read.get("null_values", []))
    specs = {spec.column.name: spec for spec in _specs(schema, source, columns)}
    selects = []
    for column in schema.columns:
        if column.private:
            continue  # never carried into processed data
        spec = specs.get(column.name)
        expr = _expression(spec, _clean(spec.source_column, nulls)) if spec else "NULL"
        selects.append(f"CAST({expr} AS {DUCKDB_TYPES[column.type]}) AS {quote_ident(column.name)}")
    selects.append(f"{quote_text(source.title or source.key)} AS source")
    query = f"SELECT {', '.join(selects)} FROM read_parquet({quote_text(snap_path.as_posix())})"
    return query, list(specs.values())


def _value_counts(con: duckdb.DuckDBPyConnection, snap_path: Path, spec: _Spec, nulls: list[str]) -> list[dict]:
    clean = _clean(spec.source_column, nulls)
    rows = con.execute(
        f"SELECT {clean} AS raw, count(*) AS n FROM read_parquet(?) GROUP BY 1 ORDER BY n DESC LIMIT {TOP_VALUES}",
        [snap_path.as_posix()],
    ).fetchall()
    counts = []
    for raw, n in rows:
        if raw is None:
            standard, status = spec.column.fallback, "missing"
        elif spec.values is not None:
            mapped = raw in spec.values
            fallback = spec.column.fallback if spec.column.type in ("category", "bool") else raw
            standard, status = (spec.values[raw], "mapped") if mapped else (fallback, "unmapped")
        else:
            standard, status = raw, "kept"
        counts.append({"raw": raw, "standard": standard, "rows": n, "status": status})
    return counts


def _parse_failures(con: duckdb.DuckDBPyConnection, snap_path: Path, spec: _Spec, nulls: list[str]) -> dict:
    """How many present values did not parse, with the first few of them in file order."""
    clean = _clean(spec.source_column, nulls)
    expr = _expression(spec, clean)
    rows = f"SELECT {clean} AS raw, {expr} AS parsed, file_row_number AS n FROM read_parquet(?, file_row_number = true)"
    present, failed = con.execute(
        f"SELECT count(raw), count(raw) FILTER (WHERE parsed IS NULL) FROM ({rows})", [snap_path.as_posix()]
    ).fetchone()
    examples = con.execute(
        f"SELECT raw FROM ({rows}) WHERE raw IS NOT NULL AND parsed IS NULL GROUP BY raw ORDER BY min(n) LIMIT 5",
        [snap_path.as_posix()],
    ).fetchall()
    return {"present": present, "failed": failed, "examples": [e[0] for e in examples]}


def standardize_topic(config: Config, topic: str, store: Store) -> dict[str, Any] | None:
    """Write data/processed/<topic>.parquet and its report; None when the topic is not ready for it.

    Every source of the topic needs a snapshot and a mapping; otherwise nothing is written and the
    previous processed file, if any, stays as it was.
    """
    schema = get_schema(topic)
    sources = config.sources(topic)
    if schema is None or not sources or not all(s.mapping for s in sources):
        return None
    con = duckdb.connect()
    queries, source_reports = [], []
    for source in sources:
        snap = store.current(topic, source.key, source.location)
        if snap is None:
            raise MappingError(
                f"{source.key}: no data fetched yet. Run: python -m safety_toolkit fetch --topic {topic}"
            )
        path = store.path(snap)
        query, specs = _source_query(schema, source, path, snap.columns)
        queries.append(query)
        source_reports.append(_source_report(con, source, snap, path, specs))
    union = " UNION ALL BY NAME ".join(f"({q})" for q in queries)
    target = processed_path(config.root, topic)
    with atomic_path(target) as tmp:
        con.execute(f"COPY ({union}) TO {quote_text(tmp.as_posix())} (FORMAT parquet, COMPRESSION zstd)")
    rows = con.execute("SELECT count(*) FROM read_parquet(?)", [target.as_posix()]).fetchone()[0]
    report = {
        "topic": topic,
        "standardized_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rows": rows,
        "sources": source_reports,
        "unmapped_columns": [
            c.name for c in schema.columns if not c.private and all(c.name not in s.mapping for s in sources)
        ],
    }
    write_json(report_path(config.root, topic), report)
    return report


def _source_report(
    con: duckdb.DuckDBPyConnection, source: Source, snap: Snapshot, path: Path, specs: list[_Spec]
) -> dict[str, Any]:
    nulls = list(source.read.get("null_values", []))
    columns: dict[str, Any] = {}
    for spec in specs:
        entry: dict[str, Any] = {"source_column": spec.source_column, "type": spec.column.type}
        if spec.column.type in ("date", "time", "datetime", "float", "int"):
            entry["parsing"] = _parse_failures(con, path, spec, nulls)
            present, failed = entry["parsing"]["present"], entry["parsing"]["failed"]
            if present and failed == present:
                raise MappingError(
                    f"{source.key}.mapping.{spec.column.name}: none of the {present:,} values of "
                    f"{spec.source_column!r} could be read as a {spec.column.type} "
                    f"(e.g. {', '.join(map(repr, entry['parsing']['examples'][:3]))}). "
                    + (
                        "Fix its 'format:' (strftime codes such as %m/%d/%Y %H:%M)."
                        if spec.format
                        else "Add 'format:' with strftime codes such as %m/%d/%Y %H:%M."
                    )
                )
        if spec.values is not None or spec.column.type in ("category", "bool"):
            entry["values"] = _value_counts(con, path, spec, nulls)
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
