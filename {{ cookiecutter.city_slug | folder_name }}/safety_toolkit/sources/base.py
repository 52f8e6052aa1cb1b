"""What every portal client shares: the shape of its answer, and published values turned into text."""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from ..config import Source
from ..sql import one_row, quote_ident
from ..store import connect_duckdb
from .detect import Target
from .errors import SourceError
from .web import Http

PAGE_ROWS = 50_000  # rows asked for per request where the platform allows that many
LABELS = {
    "socrata": "Socrata",
    "arcgis": "ArcGIS layer",
    "ckan": "CKAN",
    "opendatasoft": "Opendatasoft",
    "carto": "Carto",
    "file": "file",
}


@dataclass
class Download:
    """Rows as the portal published them (all text), and how they were asked for."""

    frame: pd.DataFrame
    query: dict[str, Any]  # recorded in the manifest
    since: str | None = None  # incremental: the portal sent only rows dated on or after this, and undated rows
    not_modified: bool = False  # the portal said our copy is current (HTTP 304): `frame` is empty
    version: dict[str, Any] = field(default_factory=dict)  # version stamps learnt while downloading
    source_sha256: str = ""  # of the downloaded file, where there was one
    types: dict[str, str] = field(default_factory=dict)  # the publisher's column types
    parquet: Path | None = None  # the rows already written to this Parquet file (then `frame` is empty)

    def rows(self) -> pd.DataFrame:
        """The rows in memory, wherever they are: for the small downloads of a refresh."""
        if self.parquet is None:
            return self.frame
        return pd.read_parquet(self.parquet).fillna("").astype("str")


class Client:
    """One dataset on one platform. Subclasses fill in what their platform offers."""

    platform = ""
    key: str | None = None  # the column that identifies a row, where the platform has one

    def __init__(self, target: Target, source: Source, http: Http) -> None:
        self.target = target
        self.source = source
        self.http = http
        self.where = ""  # the portal-side filter, in the platform's query language
        # where rows of a download are written on their way to a snapshot (set by `fetch_source`)
        self.incoming = Path(tempfile.gettempdir())
        label = LABELS.get(target.platform, target.platform)
        self.what = f"{label} dataset {target.dataset}" if target.dataset else f"the {label}"

    def request(self) -> dict[str, Any]:
        """What is asked for; a stored snapshot only counts as a copy of the same request."""
        where = self.source.where if isinstance(self.source.where, dict) else str(self.source.where or "")
        return {"platform": self.platform, "url": self.target.url, "dataset": self.target.dataset, "where": where}

    def version(self, fresh: bool = False) -> dict[str, Any]:
        """The publisher's version stamp, asked for cheaply before any rows; {} when there is none."""
        return {}

    def filters_dates(self, column: str) -> bool:
        """Can the portal send only the rows on or after a date in `column`?"""
        return False

    def count(self) -> int | None:
        """How many rows the portal holds now (with the source's filter); None when it cannot tell."""
        return None

    def download(self, since: str | None = None, previous: dict[str, Any] | None = None) -> Download:
        raise NotImplementedError

    def lists_edits(self) -> bool:
        """Can the portal list the rows added or edited since a version stamp (see `edited_since`)?"""
        return False

    def edited_since(self, previous: dict[str, Any], before: str) -> pd.DataFrame | None:
        """Rows dated before `before` that were added or edited after the snapshot whose version stamp is
        `previous`; None when the platform cannot tell (then a refresh cannot prove itself)."""
        return None

    # For platforms with a row key: make sure the rows read are exactly the rows the portal holds.
    def ids(self, where: str) -> list[str]:
        """Every row key the portal holds now."""
        raise NotImplementedError

    def rows_with_ids(self, ids: list[str], where: str) -> pd.DataFrame:
        raise NotImplementedError

    def settle(self, rows: Rows, where: str, before: dict[str, Any], check_ids: bool = False) -> Path:
        """Rows read page by page while the data may change: if the version stamp moved or the count differs,
        compare keys with the portal's, leave out rows it no longer has and fetch the ones missed. The rows
        are written to a Parquet file in `incoming` (one per key, in key order), whose path is returned."""
        assert self.key is not None
        drop: set[str] = set()
        for _ in range(3):
            after = self.version(fresh=True)
            if not check_ids and after == before and self.count_where(where) == rows.distinct(self.key):
                return rows.write(self.incoming / "rows.parquet", self.key)
            wanted = set(self.ids(where))
            have = set(rows.keys(self.key))
            missing = sorted(wanted - have)
            if missing:
                rows.add(self.rows_with_ids(missing, where))
            drop = set(rows.keys(self.key)) - wanted
            if after == self.version(fresh=True) and set(rows.keys(self.key)) - drop == wanted:
                return rows.write(self.incoming / "rows.parquet", self.key, drop)
            before, check_ids = after, True
        raise SourceError(
            f"{self.what}: the dataset kept changing while it was being downloaded, so no consistent copy could "
            "be made. Try again in a few minutes."
        )

    def count_where(self, where: str) -> int:
        raise NotImplementedError


def as_text(value: Any) -> str:
    """A JSON value as the text a CSV export of it would show."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        coordinates = value.get("coordinates")
        if value.get("type") == "Point" and isinstance(coordinates, list) and len(coordinates) >= 2:
            return f"POINT ({coordinates[0]} {coordinates[1]})"
        if value.get("latitude") not in (None, "") and value.get("longitude") not in (None, ""):
            return f"({value['latitude']}, {value['longitude']})"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def text_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Records (dicts) as a frame of text; a field a record leaves out stays missing until `Rows.frame`."""
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    for column in frame.columns:
        series = frame[column]
        if not pd.api.types.is_string_dtype(series) or pd.api.types.infer_dtype(series, skipna=True) != "string":
            frame[column] = series.map(as_text, na_action="ignore")
    return frame


class Rows:
    """Pages of rows, columns in the publisher's order. With a folder, pages are written there as Parquet as
    they come (a few pages to a file), so a download of any size holds one page in memory at a time."""

    FLUSH_ROWS = 50_000

    def __init__(self, columns: list[str] | None = None, folder: Path | None = None) -> None:
        self.columns = list(columns or [])
        self.pages: list[pd.DataFrame] = []  # not yet written
        self.files: list[Path] = []
        self.folder = folder
        self.count = 0

    def add(self, page: pd.DataFrame) -> None:
        if not len(page):
            return
        self.pages.append(page)
        self.count += len(page)
        self.columns += [c for c in page.columns if c not in self.columns]
        if self.folder is not None and sum(len(p) for p in self.pages) >= self.FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self.pages or self.folder is None:
            return
        batch = pd.concat(self.pages, ignore_index=True).astype("string")
        path = self.folder / f"page-{len(self.files):06d}.parquet"
        pq.write_table(pa.Table.from_pandas(batch, preserve_index=False), path)
        self.files.append(path)
        self.pages = []

    def frame(self) -> pd.DataFrame:
        """Every row in memory: for the few rows of a repair or a refresh."""
        pages = [pd.read_parquet(f) for f in self.files] + [p for p in self.pages if len(p)]
        frame = pd.concat(pages, ignore_index=True) if pages else pd.DataFrame()
        for column in self.columns:
            if column not in frame.columns:
                frame[column] = ""
        return frame[self.columns].fillna("").astype("str")

    def _relation(self, con: duckdb.DuckDBPyConnection) -> str:
        """A view `pages` of every row read; (filename, file_row_number) is its place in reading order."""
        self._flush()
        if self.folder is None or not self.files:
            frame = self.frame()
            frame["filename"], frame["file_row_number"] = "", range(len(frame))
            con.register("pages", frame)
            return "pages"
        files = "[" + ", ".join(_sql_text(f.as_posix()) for f in self.files) + "]"
        con.execute(
            "CREATE VIEW pages AS SELECT * "
            f"FROM read_parquet({files}, union_by_name = true, filename = true, file_row_number = true)"
        )
        return "pages"

    def keys(self, key: str) -> list[str]:
        con = _connect()
        try:
            found = con.execute(f"SELECT DISTINCT {quote_ident(key)} FROM {self._relation(con)}").fetchall()
            return [k for (k,) in found]
        finally:
            con.close()

    def distinct(self, key: str) -> int:
        con = _connect()
        try:
            query = f"SELECT count(DISTINCT {quote_ident(key)}) FROM {self._relation(con)}"
            return int(one_row(con, query)[0])
        finally:
            con.close()

    def write(self, target: Path, key: str | None, drop: set[str] | None = None) -> Path:
        """Every row to one Parquet file, blanks as "": with a key, one row per key (the last read: it is the
        newest), none of `drop`, in key order (numbers as numbers); without one, in reading order."""
        con = _connect()
        try:
            relation = self._relation(con)
            present = {name for (name, *_) in con.execute(f"DESCRIBE {relation}").fetchall()}
            columns = ", ".join(
                f"coalesce(CAST({quote_ident(c)} AS VARCHAR), '') AS {quote_ident(c)}" if c in present
                else f"'' AS {quote_ident(c)}"
                for c in self.columns
            )
            query = f"SELECT {columns} FROM {relation}"
            if key is not None and key in present:
                k = quote_ident(key)
                ((numbers, distinct),) = con.execute(
                    f"SELECT bool_and(TRY_CAST({k} AS DOUBLE) IS NOT NULL), count(DISTINCT {k}) FROM {relation}"
                ).fetchall()
                order = f"TRY_CAST({k} AS DOUBLE), {k}" if numbers else k
                if drop:
                    con.register("dropped", pd.DataFrame({"k": sorted(drop)}, dtype="string"))
                    query += f" WHERE {k} NOT IN (SELECT k FROM dropped)"
                if distinct != self.count:  # a row read twice: keep the copy read last
                    last = "ORDER BY filename DESC, file_row_number DESC"
                    query += f" QUALIFY row_number() OVER (PARTITION BY {k} {last}) = 1"
                query += f" ORDER BY {order}"
            else:
                query += " ORDER BY filename, file_row_number"
            con.execute(f"COPY ({query}) TO {_sql_text(target.as_posix())} (FORMAT parquet, COMPRESSION zstd)")
        finally:
            con.close()
        return target


def _connect() -> duckdb.DuckDBPyConnection:
    """DuckDB for sorting downloaded pages: a small memory ceiling, since the pages are on disk already and
    the download's own buffers are in memory at the same time."""
    con = connect_duckdb()
    con.execute("SET memory_limit = '256MB'")
    return con


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def dedupe(frame: pd.DataFrame, key: str | None) -> pd.DataFrame:
    """One row per key, the last one read (it is the newest)."""
    if key is None or key not in frame.columns or not frame[key].duplicated().any():
        return frame
    return frame.drop_duplicates(subset=[key], keep="last").reset_index(drop=True)


def sort_by_key(frame: pd.DataFrame, key: str | None) -> pd.DataFrame:
    """Rows in key order (numbers as numbers), so the same rows always make the same snapshot."""
    if key is None or key not in frame.columns or frame.empty:
        return frame.reset_index(drop=True)
    numbers = pd.to_numeric(frame[key], errors="coerce")
    order = numbers if numbers.notna().all() else frame[key]
    return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def progress(what: str, total: int | None, unit: str = "rows") -> tqdm[Any]:
    """A progress bar on the terminal; silent when the output goes to a file or a test."""
    return tqdm(
        total=total,
        desc=what,
        unit=f" {unit}",
        unit_scale=True,
        leave=False,
        dynamic_ncols=True,
        disable=not sys.stdout.isatty(),
        file=sys.stderr,
    )


def quote_sql(value: Any) -> str:
    """A SQL text literal (Socrata SoQL, ArcGIS and Carto share this form)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def where_clause(where: str | dict[str, Any], quote_name: Any = str) -> str:
    """The source's filter as a condition: text is used as written; `column: value` pairs must all match
    (a list of values: any of them)."""
    if isinstance(where, dict):
        return " AND ".join(
            f"{quote_name(name)} IN ({', '.join(quote_sql(v) for v in value)})"
            if isinstance(value, list)
            else f"{quote_name(name)} = {quote_sql(value)}"
            for name, value in where.items()
        )
    return str(where or "").strip()


def all_of(*clauses: str) -> str:
    """Conditions joined with AND, each in brackets so an OR inside one cannot leak."""
    parts = [c for c in clauses if c]
    return parts[0] if len(parts) == 1 else " AND ".join(f"({c})" for c in parts)
