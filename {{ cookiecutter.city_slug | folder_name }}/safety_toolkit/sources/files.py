"""Data files, local or downloaded: CSV (plain or gzipped), Excel, and zips of them, read as the text the
publisher wrote."""

from __future__ import annotations

import codecs
import csv
import email.message
import gzip
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..sql import quote_ident
from ..store import connect_duckdb, sha256_file
from .base import Client, Download, progress
from .errors import SourceError
from .web import BROWSER_AGENT, StatusError

CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
PORTAL_HINT = (
    "If it is a dataset's page on an open data portal, use the address of the data itself: for Socrata the page "
    "whose address ends in a code like abcd-1234, for ArcGIS the layer address ending in /FeatureServer/0 (under "
    "'View API Resources'), or the link behind the portal's Download or Export button."
)


def file_format(path: Path, read: dict[str, Any], name: str | None = None) -> str:
    """csv, excel or zip: from 'read: format:', the file's name, or failing those its first bytes."""
    if read.get("format"):
        return str(read["format"])
    name = (name or path.name).lower()
    if name.endswith(EXCEL_SUFFIXES):
        return "excel"
    if name.endswith(".zip"):
        return "zip"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):  # a zip; a workbook is a zip too
        with zipfile.ZipFile(path) as archive:
            return "excel" if "[Content_Types].xml" in archive.namelist() else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # the old binary .xls
        return "excel"
    if _looks_like_text(_sample(path, name)):
        return "csv"
    raise SourceError(
        f"cannot tell the format of {name}; under the source in toolkit.yaml add 'read:' with 'format: csv' "
        "(or excel) below it."
    )


def _sample(path: Path, name: str | None = None) -> bytes:
    with _open_bytes(path, (name or path.name).lower().endswith(".gz")) as fh:
        return fh.read(64 * 1024)


def _looks_like_html(sample: bytes) -> bool:
    head = sample.lstrip()[:200].lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _looks_like_text(sample: bytes) -> bool:
    return b"\x00" not in sample[:4096] or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def read_csv(path: Path, read: dict[str, Any], name: str | None = None) -> pd.DataFrame:
    """A CSV file's rows as text (for small files and tests; fetches stream with `file_to_parquet`)."""
    return _read_back(path, read, name, "csv")


def csv_to_parquet(path: Path, read: dict[str, Any], target: Path, name: str | None = None, where: Any = None) -> Read:
    """Copy a CSV file's rows, as text, into a Parquet file with DuckDB's reader: constant memory, any size.

    The encoding is decided with the whole file in view: a file that is all UTF-8 is read as it is; otherwise
    each line is read as UTF-8 where it is valid and as Windows-1252 where it is not, and the lines read that
    way are counted, so a file mixing both keeps every accent and says how many rows were affected."""
    name = name or path.name
    gz = name.lower().endswith(".gz")
    sample = _sample(path, name)
    if not sample:
        raise SourceError(
            f"{name} is empty (0 bytes): the download or export produced no data. Download the file again, "
            "or check its location in toolkit.yaml."
        )
    if _looks_like_html(sample):
        raise SourceError(
            f"{name} is a web page, not a CSV file: the link probably opened the dataset's page. "
            "On the portal, use the Download or Export button and point the source at that file or address."
        )
    encoding = str(read.get("encoding") or "").lower().replace("_", "-")
    if not encoding and sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode text"
    skip = sorted(int(i) for i in read.get("skip_rows") or [])
    with tempfile.TemporaryDirectory(prefix="safety-toolkit-", dir=target.parent) as folder:
        utf8 = Path(folder) / "utf8.csv"
        if encoding in ("", "utf-8", "utf8", "utf-8-sig") and not skip:
            try:  # DuckDB reads UTF-8 directly (skipping a byte-order mark) and stops at the first byte that is not
                return _copy_text(path, gz, read, sample, Read(encoding="utf-8"), target, where, name)
            except _NotUtf8:
                pass
        info = _to_utf8(path, name, encoding, skip, utf8)
        return _copy_text(utf8, False, read, sample, info, target, where, name)


class _NotUtf8(Exception):
    """DuckDB met bytes that are not UTF-8: the file is rewritten as UTF-8 and read again."""


def _copy_text(
    path: Path, gz: bool, read: dict[str, Any], sample: bytes, info: Read, target: Path, where: Any, name: str
) -> Read:
    delimiter = read.get("delimiter") or _sniff_delimiter(_decode_sample(sample, info.encoding), name)
    options = {
        "all_varchar": True,
        "header": True,
        "delim": delimiter,
        "quote": '"',
        "escape": '"',
        "compression": "gzip" if gz else "none",
    }
    try:
        _copy_csv(path, options, target, where)
    except duckdb.Error as err:
        if "unicode" in str(err).lower():
            raise _NotUtf8 from None
        try:  # rows with fewer fields than the header: blanks, read on one thread (DuckDB requires it)
            _copy_csv(path, {**options, "null_padding": True, "parallel": False}, target, where)
        except duckdb.Error as again:
            if "unicode" in str(again).lower():
                raise _NotUtf8 from None
            raise SourceError(f"{name} could not be read as CSV: {_first_line(err)}") from None
    return info


def _copy_csv(path: Path, options: dict[str, Any], target: Path, where: Any) -> None:
    con = connect_duckdb()
    try:
        relation = f"read_csv({_sql_text(path.as_posix())}, {_sql_options(options)})"
        columns = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]
        condition = _where_sql(where, columns)
        # blanks stored as "" (not NULL), as every other source stores them
        texts = ", ".join(f"coalesce({quote_ident(c)}, '') AS {quote_ident(c)}" for c in columns)
        con.execute(
            f"COPY (SELECT {texts} FROM {relation} {condition}) TO {_sql_text(target.as_posix())} "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
        )
    finally:
        con.close()


@dataclass
class Read:
    """How a file's text was decoded."""

    encoding: str
    rows_as_cp1252: int = 0  # lines that were not valid UTF-8 and were read as Windows-1252
    first_lines: list[int] = field(default_factory=list)  # the first few of them (1 = the header line)
    rows_utf8_accented: int = 0  # lines with letters beyond ASCII that were valid UTF-8

    def note(self) -> str:
        """One sentence for the user when the file mixes encodings, or "" (all UTF-8, or all Windows-1252)."""
        count = self.rows_as_cp1252
        if not count or not self.rows_utf8_accented:
            return ""
        lines = ", ".join(map(str, self.first_lines)) + (", ..." if count > len(self.first_lines) else "")
        were = "line was" if count == 1 else "lines were"
        return (
            f"{count:,} {were} not valid UTF-8 and read as Windows-1252 (line {lines}): check the accented "
            "letters there, or set 'encoding:' under the source's 'read:'"
        )


def _open_bytes(path: Path, gz: bool) -> gzip.GzipFile | io.BufferedReader:
    return gzip.open(path, "rb") if gz else path.open("rb")


def _to_utf8(path: Path, name: str, encoding: str, skip: list[int], target: Path) -> Read:
    """Rewrite the file as UTF-8, line by line, leaving out the lines `skip` names (0 = the header)."""
    info = Read(encoding=encoding or "utf-8")
    wanted = set(skip)
    gz = name.lower().endswith(".gz")
    try:
        if encoding and encoding not in ("utf-8", "utf8", "utf-8-sig"):
            with _open_bytes(path, gz) as raw, target.open("w", encoding="utf-8", newline="") as out:
                text = io.TextIOWrapper(raw, encoding=encoding, newline="")
                for number, text_line in enumerate(text):
                    if number not in wanted:
                        out.write(text_line)
            return info
    except (UnicodeDecodeError, LookupError) as err:
        raise SourceError(
            f"{name} could not be read as {encoding} ({err}); change 'encoding:' under the source's 'read:' "
            "in toolkit.yaml (e.g. utf-8, cp1252, latin-1)."
        ) from None
    with _open_bytes(path, gz) as raw, target.open("wb") as out:
        for number, raw_line in enumerate(raw):
            if number in wanted:
                continue
            line = raw_line.removeprefix(codecs.BOM_UTF8) if number == 0 else raw_line
            try:
                line.decode("utf-8")
                info.rows_utf8_accented += not line.isascii()
            except UnicodeDecodeError:
                info.rows_as_cp1252 += 1
                if len(info.first_lines) < 5:
                    info.first_lines.append(number + 1)
                line = _cp1252(line).encode("utf-8")
            out.write(line)
    if info.rows_as_cp1252:
        info.encoding = "utf-8, some lines cp1252" if info.rows_utf8_accented else "cp1252"
    return info


def _cp1252(line: bytes) -> str:
    """Windows-1252, with the five bytes it leaves undefined read as Latin-1 (as browsers do)."""
    return "".join(
        chunk.decode("cp1252", errors="strict") if i % 2 == 0 else chunk.decode("latin-1")
        for i, chunk in enumerate(_split_undefined(line))
    )


def _split_undefined(line: bytes) -> list[bytes]:
    """Alternating runs: bytes Windows-1252 defines, bytes it does not (0x81 0x8D 0x8F 0x90 0x9D)."""
    parts, current, undefined = [], bytearray(), False
    for byte in line:
        is_undefined = byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
        if is_undefined != undefined:
            parts.append(bytes(current))
            current, undefined = bytearray(), is_undefined
        current.append(byte)
    parts.append(bytes(current))
    return parts


def _decode_sample(sample: bytes, encoding: str) -> str:
    for candidate in (encoding.split(" ", maxsplit=1)[0], "utf-8", "cp1252", "latin-1"):
        try:
            return sample.decode(candidate, errors="ignore")
        except LookupError:
            continue
    return sample.decode("latin-1")


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_options(options: dict[str, Any]) -> str:
    def literal(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return _sql_text(str(value))

    return ", ".join(f"{key} = {literal(value)}" for key, value in options.items())


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _where_sql(where: Any, columns: list[str]) -> str:
    """The source's `where:` pairs as a DuckDB condition over the text columns (values trimmed)."""
    if not where:
        return ""
    if not isinstance(where, dict):
        raise SourceError("for a file, 'where:' takes column: value pairs, e.g. where: {State: MN}.")
    conditions = []
    for column, wanted in where.items():
        if column not in columns:
            raise SourceError(
                f"'where:' names the column {column!r}, which the file does not have. "
                f"Its columns are: {', '.join(map(repr, columns))}."
            )
        values = [str(v) for v in wanted] if isinstance(wanted, list) else [str(wanted)]
        conditions.append(f"trim({quote_ident(str(column))}) IN ({', '.join(_sql_text(v) for v in values)})")
    return "WHERE " + " AND ".join(conditions)


def _sniff_delimiter(text: str, name: str) -> str:
    if name.lower().endswith(".tsv"):
        return "\t"
    first = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


EXCEL_BLOCK = 50_000  # rows of a sheet held in memory at a time on their way to Parquet
# Cell texts read as blanks, as pandas reads them (a spreadsheet's "N/A" or "#N/A" is no value).
EXCEL_BLANKS = frozenset(
    {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA",
     "NULL", "NaN", "None", "n/a", "nan", "null"}
)  # fmt: skip


def read_excel(path: Path, read: dict[str, Any], name: str | None = None) -> pd.DataFrame:
    """A sheet as text (for small files and tests; fetches stream with `excel_to_parquet`)."""
    return _read_back(path, read, name, "excel")


def excel_to_parquet(
    path: Path, read: dict[str, Any], target: Path, name: str | None = None, where: Any = None
) -> Read:
    """Copy a sheet's rows, as text, into a Parquet file a block of rows at a time, so memory stays flat
    however long the sheet. Cells read as pandas.read_excel(dtype=str) reads them: whole numbers without ".0",
    dates as "2019-01-31 00:00:00", blanks and "N/A"-like texts as "", trailing empty rows and columns dropped,
    blank header cells named "Unnamed: <n>" and repeated names numbered ("name.1")."""
    name = name or path.name
    with path.open("rb") as fh:
        if fh.read(8).startswith(b"\xd0\xcf\x11\xe0"):
            raise SourceError(
                f"{name} is an old-style Excel file (.xls), which the toolkit cannot read. Open it in a spreadsheet "
                "program, save it as .xlsx, and point the source at that file."
            )
    handle = path.open("rb")  # a file object: openpyxl would judge a path by its name's ending
    book = _open_workbook(handle, name)
    try:
        sheet = _sheet(book, read.get("sheet", 0), name)
        skip = {int(i) for i in read.get("skip_rows") or []}
        # First pass: the sheet's real extent (declared dimensions can be wrong), as pandas finds it.
        width, last = 0, -1
        for number, row in enumerate(_cell_rows(sheet)):
            if row:
                width, last = max(width, len(row)), number
        rows = (row for number, row in enumerate(_cell_rows(sheet)) if number <= last and number not in skip)
        header = next(rows, None)
        if header is None:
            raise SourceError(f"{name} has no rows in the sheet read. Set 'sheet:' under the source's 'read:'.")
        columns = _column_names([*header, *[""] * (width - len(header))])
        schema = pa.schema([(c, pa.string()) for c in columns])
        with tempfile.TemporaryDirectory(prefix="safety-toolkit-", dir=target.parent) as folder:
            whole = Path(folder) / "sheet.parquet"
            with pq.ParquetWriter(whole, schema, compression="zstd") as writer:
                block: list[list[str]] = []
                for row in rows:
                    if width == 1 and not str(row[0] if row else "").strip():
                        continue  # a blank line of a one-column sheet, which pandas skips
                    block.append([_cell_text(v) for v in row] + [""] * (width - len(row)))
                    if len(block) == EXCEL_BLOCK:
                        writer.write_table(_text_table(block, schema))
                        block = []
                if block:
                    writer.write_table(_text_table(block, schema))
            _keep_parquet_rows(whole, columns, where, target)
    finally:
        book.close()
        handle.close()
    return Read(encoding="")


def _text_table(rows: list[list[str]], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_arrays([pa.array(column, pa.string()) for column in zip(*rows, strict=True)], schema=schema)


def _open_workbook(handle: Any, name: str) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        handle.close()
        raise SourceError(f"{name} is not a complete Excel file: it may be damaged or cut short.") from None


def _sheet(book: Any, wanted: Any, name: str) -> Any:
    """The sheet named by 'sheet:' (a name, or its position from 0)."""
    if isinstance(wanted, int) and not isinstance(wanted, bool) and 0 <= wanted < len(book.sheetnames):
        return book.worksheets[wanted]
    if isinstance(wanted, str) and wanted in book.sheetnames:
        return book[wanted]
    raise SourceError(
        f"{name} has no sheet {wanted!r}; its sheets are {book.sheetnames}. Set 'sheet:' under the source's 'read:'."
    )


def _cell_rows(sheet: Any) -> Iterator[list[Any]]:
    """The sheet's rows as values, each without its trailing empty cells (as pandas reads them)."""
    from openpyxl.cell.cell import TYPE_ERROR, TYPE_NUMERIC

    sheet.reset_dimensions()  # iterate to the real end, not the one the file declares
    for cells in sheet.rows:
        row: list[Any] = []
        for cell in cells:
            value = cell.value
            if value is None or cell.data_type == TYPE_ERROR:
                value = ""
            elif cell.data_type == TYPE_NUMERIC and not isinstance(value, bool) and int(value) == value:
                value = int(value)
            row.append(value)
        while row and row[-1] == "":
            row.pop()
        yield row


def _cell_text(value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    return "" if text in EXCEL_BLANKS else text


def _column_names(header: list[Any]) -> list[str]:
    """Header cells as column names: blanks "Unnamed: <position>", a repeated name numbered "name.1"."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, value in enumerate(header):
        text = "" if value == "" else str(value)
        base = text if text else f"Unnamed: {i}"
        final = base
        while final in names:
            seen[base] = seen.get(base, 0) + 1
            final = f"{base}.{seen[base]}"
        names.append(final)
    return names


def _keep_parquet_rows(source: Path, columns: list[str], where: Any, target: Path) -> None:
    """The rows of `source` matching `where`, in their order, into `target` (DuckDB: flat memory)."""
    condition = _where_sql(where, columns)
    con = connect_duckdb()
    try:
        con.execute(
            f"COPY (SELECT * FROM read_parquet({_sql_text(source.as_posix())}) {condition}) TO "
            f"{_sql_text(target.as_posix())} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
        )
    finally:
        con.close()


def zip_to_parquet(
    path: Path, read: dict[str, Any], target: Path, name: str | None = None, where: Any = None
) -> Read:
    """The data file inside a zip: the one named by 'read: member:', or the only CSV or Excel file in it."""
    name = name or path.name
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise SourceError(f"{name} is not a complete zip file: it may be damaged or cut short.") from None
    with archive, tempfile.TemporaryDirectory(prefix="safety-toolkit-", dir=target.parent) as folder:
        members = [m.filename for m in archive.infolist() if not m.is_dir() and _is_data_member(m.filename)]
        wanted = read.get("member")
        if wanted:
            chosen = [m for m in members if m == wanted] or [m for m in members if PurePosixPath(m).name == wanted]
        else:
            chosen = [m for m in members if m.lower().endswith(CSV_SUFFIXES + EXCEL_SUFFIXES)]
        if len(chosen) != 1:
            listing = ", ".join(members[:30]) + (", ..." if len(members) > 30 else "")
            problem = f"has no file {wanted!r}" if wanted else "holds several files"
            if not wanted and not chosen:
                problem = "holds no CSV or Excel file"
            raise SourceError(
                f"{name} {problem}; its files are: {listing}. Under the source's 'read:' in toolkit.yaml set "
                "'member:' to the one to use."
            )
        member = chosen[0]
        inner_path = Path(folder) / "member"  # never the member's own path: a zip may name ../ paths
        with archive.open(member) as src, inner_path.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        inner = {k: v for k, v in read.items() if k != "member"}
        return file_to_parquet(inner_path, inner, target, name=f"{name}/{member}", where=where)


def _is_data_member(name: str) -> bool:
    """Not the folders of resource forks and hidden files that macOS adds to zips."""
    return not name.startswith("__MACOSX/") and not PurePosixPath(name).name.startswith(".")


def file_to_parquet(
    path: Path, read: dict[str, Any], target: Path, name: str | None = None, where: Any = None
) -> Read:
    """Write the file's rows (those matching `where`), all columns as text, into the Parquet file `target`."""
    if path.is_dir():
        raise SourceError(f"{path} is a folder, not a file. Check the location in toolkit.yaml.")
    if not path.is_file():
        raise SourceError(f"the file {path} does not exist. Check the location in toolkit.yaml.")
    name = name or path.name
    if path.stat().st_size == 0:
        raise SourceError(
            f"{name} is empty (0 bytes): the download or export produced no data. Download the file again, "
            "or check its location in toolkit.yaml."
        )
    kind = file_format(path, read, name)
    if kind == "zip":
        return zip_to_parquet(path, read, target, name, where)
    if kind == "excel":
        return excel_to_parquet(path, read, target, name, where)
    return csv_to_parquet(path, read, target, name, where)


def read_file(path: Path, read: dict[str, Any], name: str | None = None) -> pd.DataFrame:
    """All columns as text, blanks as ""; the standardizer decides what is missing. For small files and
    tests: a fetch streams the rows to disk with `file_to_parquet` instead."""
    return _read_back(path, read, name, None)


def _read_back(path: Path, read: dict[str, Any], name: str | None, kind: str | None) -> pd.DataFrame:
    with tempfile.TemporaryDirectory(prefix="safety-toolkit-") as folder:
        target = Path(folder) / "rows.parquet"
        if kind == "csv":
            csv_to_parquet(path, read, target, name)
        elif kind == "excel":
            excel_to_parquet(path, read, target, name)
        else:
            file_to_parquet(path, read, target, name)
        frame = pd.read_parquet(target)
    return frame.fillna("").astype("str")


class WebFile(Client):
    """A direct link to a file. Asked for conditionally (ETag / Last-Modified), so an unchanged file is not
    downloaded again."""

    platform = "file"

    def download(self, since: str | None = None, previous: dict[str, Any] | None = None) -> Download:
        previous = previous or {}
        headers = {}
        if previous.get("etag"):
            headers["If-None-Match"] = str(previous["etag"])
        if previous.get("last_modified"):
            headers["If-Modified-Since"] = str(previous["last_modified"])
        url = self.target.url
        with tempfile.TemporaryDirectory(prefix="safety-toolkit-", dir=self.incoming) as folder:
            target = Path(folder) / "download"
            agent = "toolkit"
            with progress(f"{self.source.topic}: {_file_name(url, None)}", None, unit="B") as bar:
                try:
                    response = self.http.download(url, self.what, target, headers=headers, on_bytes=bar.update)
                except StatusError as err:
                    if err.status not in (403, 406):
                        raise
                    # Some city servers turn away anything that does not look like a browser.
                    agent = "browser"
                    headers["User-Agent"] = BROWSER_AGENT
                    response = self.http.download(url, self.what, target, headers=headers, on_bytes=bar.update)
            query: dict[str, Any] = {"url": url, "user_agent": agent}
            if response.status_code == 304:
                return Download(pd.DataFrame(), query, not_modified=True, version=dict(previous))
            version = {
                key: response.headers[header]
                for key, header in (("etag", "ETag"), ("last_modified", "Last-Modified"))
                if response.headers.get(header)
            }
            name = _file_name(url, response.headers.get("Content-Disposition"))
            says_html = "html" in response.headers.get("Content-Type", "")
            named_as_data = name.lower().endswith(CSV_SUFFIXES + EXCEL_SUFFIXES + (".zip",))
            if (says_html and not named_as_data) or _looks_like_html(_sample(target)[:1024]):
                raise SourceError(f"{url} answered with a web page, not a data file. {PORTAL_HINT}")
            rows = self.incoming / "rows.parquet"
            read = file_to_parquet(target, self.source.read, rows, name=name, where=self.source.where)
            query["bytes"] = target.stat().st_size
            if read.note():
                query["encoding"] = read.note()
            return Download(
                pd.DataFrame(), query, version=version, source_sha256=sha256_file(target), parquet=rows
            )


def _file_name(url: str, disposition: str | None) -> str:
    """The file's name, from Content-Disposition when the server gives one, else from the address."""
    if disposition:
        message = email.message.Message()
        message["Content-Disposition"] = disposition
        found = message.get_filename()
        if found:
            return PurePosixPath(found).name
    return PurePosixPath(unquote(urlsplit(url).path)).name or "download"


def keep_rows(frame: pd.DataFrame, where: Any) -> pd.DataFrame:
    """A file's rows that match the source's `where:` ({column: value or [values]}), e.g. one state's lines
    of a national file. Files have no query language, so only these equality pairs are understood."""
    if not where:
        return frame
    if not isinstance(where, dict):
        raise SourceError("for a file, 'where:' takes column: value pairs, e.g. where: {State: MN}.")
    for column, wanted in where.items():
        if column not in frame.columns:
            raise SourceError(
                f"'where:' names the column {column!r}, which the file does not have. "
                f"Its columns are: {', '.join(map(repr, frame.columns))}."
            )
        values = [str(v) for v in wanted] if isinstance(wanted, list) else [str(wanted)]
        frame = frame[frame[column].astype(str).str.strip().isin(values)]
    return frame.reset_index(drop=True)
