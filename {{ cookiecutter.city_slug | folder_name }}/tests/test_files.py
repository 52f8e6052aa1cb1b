"""Local files are read as the publisher wrote them, whatever the encoding or format."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from safety_toolkit.sources.errors import SourceError
from safety_toolkit.sources.files import read_file

from .conftest import SAMPLE


def test_csv_is_read_as_text_with_blanks_kept(raw_sample):
    frame = read_file(SAMPLE, {})
    pd.testing.assert_frame_equal(frame, raw_sample, check_dtype=False)
    assert (frame["citationIssued"] == "").sum() == (raw_sample["citationIssued"] == "").sum()


def test_gzipped_csv_reads_the_same(tmp_path, raw_sample):
    path = tmp_path / "stops.csv.gz"
    path.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    pd.testing.assert_frame_equal(read_file(path, {}), raw_sample, check_dtype=False)


def test_windows_encoded_csv_keeps_its_accents(tmp_path):
    path = tmp_path / "stops.csv"
    path.write_bytes("city,officer\nEspañola,Peña\n".encode("cp1252"))
    frame = read_file(path, {})
    assert frame.loc[0, "city"] == "Española" and frame.loc[0, "officer"] == "Peña"


def test_semicolon_separated_csv_is_detected(tmp_path):
    path = tmp_path / "stops.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    assert list(read_file(path, {}).columns) == ["a", "b"]


def test_a_second_header_row_can_be_skipped(tmp_path):
    path = tmp_path / "uof.csv"
    path.write_text("INCIDENT_DATE,SUBJECT_RACE\nDate of incident,Race\n8/23/14 0:00,Black\n", encoding="utf-8")
    frame = read_file(path, {"skip_rows": [1]})
    assert frame.to_dict("records") == [{"INCIDENT_DATE": "8/23/14 0:00", "SUBJECT_RACE": "Black"}]


def test_a_web_page_saved_as_csv_is_reported(tmp_path):
    path = tmp_path / "stops.csv"
    path.write_text("<!DOCTYPE html><html><head><title>Police Stop Data</title></head></html>", encoding="utf-8")
    with pytest.raises(SourceError, match="web page, not a CSV"):
        read_file(path, {})


def test_excel_sheets_are_read_as_text(tmp_path, raw_sample):
    path = tmp_path / "stops.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(writer, sheet_name="About", index=False)
        raw_sample.head(20).to_excel(writer, sheet_name="Stops", index=False)
    frame = read_file(path, {"sheet": "Stops"})
    assert frame["idNum"].tolist() == raw_sample["idNum"].head(20).tolist()
    assert frame["race"].tolist() == raw_sample["race"].head(20).tolist()
    with pytest.raises(SourceError, match=r"no sheet 'Data'.*'About', 'Stops'"):
        read_file(path, {"sheet": "Data"})


def test_a_missing_file_says_where_to_fix_it(tmp_path):
    with pytest.raises(SourceError, match="toolkit.yaml"):
        read_file(tmp_path / "nope.csv", {})
