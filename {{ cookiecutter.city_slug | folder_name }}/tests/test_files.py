"""Local files are read as the publisher wrote them, whatever the encoding or format."""

from __future__ import annotations

import gzip

import pandas as pd
import pyarrow.parquet as pq
import pytest

from safety_toolkit.sources import files
from safety_toolkit.sources.errors import SourceError
from safety_toolkit.sources.files import file_to_parquet, read_file

from .presets import FIXTURES, SAMPLE

LESO = FIXTURES / "police_equipment" / "leso_shipments_cancellations_2019q4_mn_wi.xlsx"
BLOOMINGTON = FIXTURES / "use_of_force" / "bloomington_in_use_of_force_2019q1.xlsx"


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
    assert frame.loc[0, "city"] == "Española"
    assert frame.loc[0, "officer"] == "Peña"


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
    with pytest.raises(SourceError, match=r"toolkit\.yaml"):
        read_file(tmp_path / "nope.csv", {})


def test_a_utf8_file_with_one_windows_line_far_down_keeps_every_accent_and_says_which_line(tmp_path):
    # UTF-8 throughout, but one line written by another program in Windows-1252, past the first 64 KB that a
    # sample would look at: reading it all as cp1252 would turn every "Café" into "CafÃ©".
    lines = ["id,place,officer"] + [f"{i},Café {i},Peña" for i in range(4000)]
    body = ("\n".join(lines) + "\n").encode("utf-8") + "4000,Crêperie,Muñoz\n".encode("cp1252")
    assert len(body) > 64 * 1024
    path = tmp_path / "stops.csv"
    path.write_bytes(body)
    target = tmp_path / "rows.parquet"
    read = file_to_parquet(path, {}, target)
    frame = pd.read_parquet(target)
    assert frame.loc[0, "place"] == "Café 0"
    assert frame.loc[3999, "officer"] == "Peña"
    assert frame.loc[4000].tolist() == ["4000", "Crêperie", "Muñoz"]
    assert not frame["place"].str.contains("Ã").any()
    assert read.rows_as_cp1252 == 1
    assert read.first_lines == [4002]
    assert "1 line was not valid UTF-8" in read.note()
    assert "4002" in read.note()


def test_an_empty_file_is_a_clear_error(tmp_path):
    for name, body in (("stops.csv", b""), ("stops.csv.gz", gzip.compress(b""))):
        path = tmp_path / name
        path.write_bytes(body)
        with pytest.raises(SourceError, match=r"empty \(0 bytes\)"):
            read_file(path, {})


def test_a_folder_given_as_a_file_is_called_a_folder(tmp_path):
    with pytest.raises(SourceError, match="is a folder"):
        read_file(tmp_path, {})


def test_rows_go_to_parquet_in_file_order_with_the_where_filter(tmp_path, raw_sample):
    target = tmp_path / "rows.parquet"
    file_to_parquet(SAMPLE, {}, target, where={"race": ["White", "Black"]})
    frame = pd.read_parquet(target)
    expected = raw_sample[raw_sample["race"].isin(["White", "Black"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)


def test_a_file_all_in_windows_1252_is_read_as_such_without_a_warning(tmp_path):
    path = tmp_path / "stops.csv"
    path.write_bytes("city,officer\nEspañola,Peña\nTaos,Muñoz\n".encode("cp1252"))
    target = tmp_path / "rows.parquet"
    read = file_to_parquet(path, {}, target)
    assert pd.read_parquet(target)["officer"].tolist() == ["Peña", "Muñoz"]
    assert read.encoding == "cp1252"
    assert read.note() == ""


@pytest.mark.parametrize(
    ("path", "sheet"), [(LESO, "All Shipments"), (LESO, "Cancellations"), (BLOOMINGTON, 0)]
)
def test_real_workbooks_stream_to_the_text_pandas_reads(tmp_path, monkeypatch, path, sheet):
    """Sheets go to Parquet a block of rows at a time (blocks of 7 rows here, so every sheet takes several), and
    every cell reads as pandas reads it whole: dates, whole numbers, blanks, the header."""
    monkeypatch.setattr(files, "EXCEL_BLOCK", 7)
    target = tmp_path / "rows.parquet"
    file_to_parquet(path, {"sheet": sheet}, target)
    expected = pd.read_excel(path, sheet_name=sheet, dtype=str).fillna("")
    expected.columns = [str(c) for c in expected.columns]
    assert pq.ParquetFile(target).metadata.num_rows == len(expected) > 14
    pd.testing.assert_frame_equal(pd.read_parquet(target), expected, check_dtype=False)


def test_a_workbook_keeps_the_where_rows_and_skips_the_lines_asked(tmp_path):
    target = tmp_path / "rows.parquet"
    file_to_parquet(LESO, {"sheet": "All Shipments", "skip_rows": [1, 2]}, target, where={"State": "WI"})
    whole = pd.read_excel(LESO, sheet_name="All Shipments", dtype=str).fillna("")
    expected = whole.iloc[2:][whole.iloc[2:]["State"] == "WI"].reset_index(drop=True)
    assert 0 < len(expected) < len(whole) - 2
    pd.testing.assert_frame_equal(pd.read_parquet(target), expected, check_dtype=False)
