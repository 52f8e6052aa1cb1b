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
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import pandas as pd

from ..store import sha256_file
from .base import Client, Download, progress
from .errors import SourceError
from .web import BROWSER_AGENT, StatusError

CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
ENCODINGS = ("utf-8-sig", "cp1252")
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
    with open(path, "rb") as fh:
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
    opener = gzip.open if (name or path.name).lower().endswith(".gz") else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        return fh.read(64 * 1024)


def _looks_like_html(sample: bytes) -> bool:
    head = sample.lstrip()[:200].lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _looks_like_text(sample: bytes) -> bool:
    return b"\x00" not in sample[:4096] or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def read_csv(path: Path, read: dict[str, Any], name: str | None = None) -> pd.DataFrame:
    name = name or path.name
    sample = _sample(path, name)
    if _looks_like_html(sample):
        raise SourceError(
            f"{name} is a web page, not a CSV file: the link probably opened the dataset's page. "
            "On the portal, use the Download or Export button and point the source at that file or address."
        )
    if read.get("encoding"):
        encodings = [read["encoding"]]
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]  # Excel's "Unicode text"
    else:
        encodings = list(ENCODINGS)
    for encoding in encodings:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as err:
            if err.start < len(sample) - 4:  # not just a character cut by the end of the sample
                continue
            text = sample[: err.start].decode(encoding)
        delimiter = read.get("delimiter") or _sniff_delimiter(text, name)
        try:
            return pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                encoding=encoding,
                sep=delimiter,
                skiprows=read.get("skip_rows"),
                compression="gzip" if name.lower().endswith(".gz") else None,
            )
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, csv.Error) as err:
            raise SourceError(f"{name} could not be read as CSV: {err}") from None
    raise SourceError(
        f"{name} is not in a text encoding the toolkit knows ({', '.join(encodings)}); "
        "add 'read: {encoding: <name>}' to the source, e.g. latin-1."
    )


def _sniff_delimiter(text: str, name: str) -> str:
    if name.lower().endswith(".tsv"):
        return "\t"
    first = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_excel(path: Path, read: dict[str, Any], name: str | None = None) -> pd.DataFrame:
    name = name or path.name
    sheet = read.get("sheet", 0)
    try:
        frame = pd.read_excel(path, sheet_name=sheet, dtype=str, skiprows=read.get("skip_rows"))
    except ImportError:
        raise SourceError(
            f"{name} is an old-style Excel file (.xls), which the toolkit cannot read. Open it in a spreadsheet "
            "program, save it as .xlsx, and point the source at that file."
        ) from None
    except ValueError as err:
        if "Worksheet" in str(err) or "not found" in str(err):
            sheets = pd.ExcelFile(path).sheet_names
            raise SourceError(
                f"{name} has no sheet {sheet!r}; its sheets are {sheets}. Set 'sheet:' under the source's 'read:'."
            ) from None
        raise SourceError(f"{name} could not be read as Excel: {err}") from None
    except zipfile.BadZipFile:
        raise SourceError(f"{name} is not a complete Excel file: it may be damaged or cut short.") from None
    return frame.fillna("")


def read_zip(path: Path, read: dict[str, Any], name: str | None = None) -> pd.DataFrame:
    """The data file inside a zip: the one named by 'read: member:', or the only CSV or Excel file in it."""
    name = name or path.name
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise SourceError(f"{name} is not a complete zip file: it may be damaged or cut short.") from None
    with archive, tempfile.TemporaryDirectory(prefix="safety-toolkit-") as folder:
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
        target = Path(folder) / "member"  # never the member's own path: a zip may name ../ paths
        with archive.open(member) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        inner = {k: v for k, v in read.items() if k != "member"}
        return read_file(target, inner, name=f"{name}/{member}")


def _is_data_member(name: str) -> bool:
    """Not the folders of resource forks and hidden files that macOS adds to zips."""
    return not name.startswith("__MACOSX/") and not PurePosixPath(name).name.startswith(".")


def read_file(path: Path, read: dict[str, Any], name: str | None = None) -> pd.DataFrame:
    """All columns as text, blanks as ""; the standardizer decides what is missing."""
    if not path.is_file():
        raise SourceError(f"the file {path} does not exist. Check the location in toolkit.yaml.")
    name = name or path.name
    kind = file_format(path, read, name)
    if kind == "zip":
        return read_zip(path, read, name)
    frame = read_excel(path, read, name) if kind == "excel" else read_csv(path, read, name)
    frame.columns = [str(c) for c in frame.columns]
    return frame


def read_bytes_as_csv(data: bytes, read: dict[str, Any], name: str = "download.csv") -> pd.DataFrame:
    """Read downloaded CSV bytes the same way as a local file."""
    if _looks_like_html(data[: 64 * 1024]):
        raise SourceError(f"{name} is a web page, not CSV data.")
    encoding = read.get("encoding") or ("utf-8-sig" if _decodes(data, "utf-8-sig") else "cp1252")
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_filter=False, encoding=encoding)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


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
        with tempfile.TemporaryDirectory(prefix="safety-toolkit-") as folder:
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
            query = {"url": url, "user_agent": agent}
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
            frame = keep_rows(read_file(target, self.source.read, name=name), self.source.where)
            frame.columns = [str(c) for c in frame.columns]
            query["bytes"] = target.stat().st_size
            return Download(frame, query, version=version, source_sha256=sha256_file(target))


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
