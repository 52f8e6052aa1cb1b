"""Files behind direct links: asked for again only when changed, and read whatever the host does to them."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from safety_toolkit.sources import SourceError
from safety_toolkit.sources.files import read_file

from .fake_portals import FileHostFake
from .portal_helpers import data_files, fetch, fetch_one, quick_http, use_sources
from .presets import SAMPLE


def _same(frame: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(frame.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)


def _zip(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as writer:
        for sheet, frame in frames.items():
            frame.to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()


def test_a_csv_link_is_read_as_published_and_revalidated_with_its_etag(project, raw_sample):
    with FileHostFake() as host:
        use_sources(project, {"location": host.put("/data/stops_2017.csv", SAMPLE.read_bytes())})
        result, frame = fetch_one(project)
        files = data_files(project)
        (again,) = fetch(project)
        conditional = host.requests[-1].headers
    _same(frame, raw_sample)
    assert result.snapshot.version["etag"] == host.files["/data/stops_2017.csv"].etag
    assert conditional["if-none-match"] == result.snapshot.version["etag"]
    assert not again.changed
    assert data_files(project) == files


def test_a_host_that_turns_away_scripts_is_asked_again_as_a_browser(project, raw_sample):
    with FileHostFake() as host:
        url = host.put("/DocumentCenter/View/2886/2019-Traffic-Stops", SAMPLE.read_bytes(), browsers_only=True)
        use_sources(project, {"location": url})
        result, frame = fetch_one(project)
    _same(frame, raw_sample)
    assert [r.headers["user-agent"].startswith("Mozilla") for r in host.requests] == [False, True]
    assert result.snapshot.query["user_agent"] == "browser"


def test_a_web_page_where_data_was_expected_is_reported_and_nothing_is_written(project):
    page = b"<!DOCTYPE html><html><head><title>Police Stop Data | Open Data</title></head><body></body></html>"
    with FileHostFake() as host:
        use_sources(project, {"location": host.put("/datasets/police-stops", page, content_type="text/html")})
        with pytest.raises(SourceError, match=r"web page, not a data file.*FeatureServer/0"):
            fetch(project)
    assert data_files(project) == {}


def test_a_zip_with_several_files_needs_the_member_named(project, raw_sample):
    body = _zip(**{"README.txt": b"About", "2017/stops.csv": SAMPLE.read_bytes(), "2016/stops.csv": b"a,b\n1,2\n"})
    with FileHostFake() as host:
        url = host.put("/stops.zip", body, content_type="application/zip")
        use_sources(project, {"location": url})
        with pytest.raises(SourceError, match=r"holds several files.*2017/stops.csv.*'member:'"):
            fetch(project)
        use_sources(project, {"location": url, "read": {"member": "2017/stops.csv"}})
        _, frame = fetch_one(project)
    _same(frame, raw_sample)


def test_a_workbook_sent_without_a_length_is_read_from_the_named_sheet(project, raw_sample):
    body = _xlsx({"About": pd.DataFrame({"note": ["cover"]}), "Stops": raw_sample.head(50)})
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with FileHostFake() as host:
        url = host.put(
            "/download", body, content_type=kind, chunked=True, disposition='attachment; filename="stops.xlsx"'
        )
        use_sources(project, {"location": url, "read": {"sheet": "Stops"}})
        _, frame = fetch_one(project)
    _same(frame, raw_sample.head(50))


def test_a_windows_encoded_csv_keeps_its_accents(project):
    with FileHostFake() as host:
        use_sources(project, {"location": host.put("/calls.csv", "city,officer\nEspañola,Peña\n".encode("cp1252"))})
        _, frame = fetch_one(project)
    assert frame.to_dict("records") == [{"city": "Española", "officer": "Peña"}]


def test_a_download_cut_short_is_started_again(project, raw_sample):
    with FileHostFake() as host:
        url = host.put("/stops.csv", SAMPLE.read_bytes(), chunked=True)
        use_sources(project, {"location": url})
        host.fail(truncate=True, match="/stops.csv", reply=host.handle)
        http = quick_http()
        _, frame = fetch_one(project, http)
    _same(frame, raw_sample)
    assert http.stats.retries == 1


def test_a_local_zip_is_read_like_a_downloaded_one(tmp_path, raw_sample):
    path = tmp_path / "stops.zip"
    path.write_bytes(_zip(**{"__MACOSX/._stops.csv": b"junk", "stops.csv": SAMPLE.read_bytes()}))
    _same(read_file(path, {}), raw_sample)
