"""Local data files: CSV (plain or gzipped) and Excel, read as the text the publisher wrote."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import SourceError

CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
ENCODINGS = ("utf-8-sig", "cp1252")


def file_format(path: Path, read: dict[str, Any]) -> str:
    if read.get("format"):
        return str(read["format"])
    name = path.name.lower()
    if name.endswith(EXCEL_SUFFIXES):
        return "excel"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    raise SourceError(
        f"cannot tell the format of {path.name}; under the source in toolkit.yaml add 'read:' with 'format: csv' "
        "(or excel) below it."
    )


def _sample(path: Path) -> bytes:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        return fh.read(64 * 1024)


def _looks_like_html(sample: bytes) -> bool:
    head = sample.lstrip()[:200].lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def read_csv(path: Path, read: dict[str, Any]) -> pd.DataFrame:
    sample = _sample(path)
    if _looks_like_html(sample):
        raise SourceError(
            f"{path.name} is a web page, not a CSV file: the link probably opened the dataset's page. "
            "On the portal, use the Download or Export button and point the source at that file or address."
        )
    encodings = [read["encoding"]] if read.get("encoding") else list(ENCODINGS)
    for encoding in encodings:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        delimiter = read.get("delimiter") or _sniff_delimiter(text, path)
        try:
            return pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                encoding=encoding,
                sep=delimiter,
                skiprows=read.get("skip_rows"),
                compression="infer",
            )
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, csv.Error) as err:
            raise SourceError(f"{path.name} could not be read as CSV: {err}") from None
    raise SourceError(
        f"{path.name} is not in a text encoding the toolkit knows ({', '.join(encodings)}); "
        "add 'read: {encoding: <name>}' to the source, e.g. latin-1."
    )


def _sniff_delimiter(text: str, path: Path) -> str:
    if path.name.lower().endswith(".tsv"):
        return "\t"
    first = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_excel(path: Path, read: dict[str, Any]) -> pd.DataFrame:
    sheet = read.get("sheet", 0)
    try:
        frame = pd.read_excel(path, sheet_name=sheet, dtype=str, skiprows=read.get("skip_rows"))
    except ValueError as err:
        if "Worksheet" in str(err) or "not found" in str(err):
            sheets = pd.ExcelFile(path).sheet_names
            raise SourceError(
                f"{path.name} has no sheet {sheet!r}; its sheets are {sheets}. Set 'sheet:' under the source's 'read:'."
            ) from None
        raise SourceError(f"{path.name} could not be read as Excel: {err}") from None
    return frame.fillna("")


def read_file(path: Path, read: dict[str, Any]) -> pd.DataFrame:
    """All columns as text, blanks as ""; the standardizer decides what is missing."""
    if not path.is_file():
        raise SourceError(f"the file {path} does not exist. Check the location in toolkit.yaml.")
    kind = file_format(path, read)
    frame = read_excel(path, read) if kind == "excel" else read_csv(path, read)
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
