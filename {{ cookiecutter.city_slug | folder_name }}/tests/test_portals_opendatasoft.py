"""Opendatasoft: the whole dataset in one streamed export, past the records endpoint's 10,000-row wall."""

from __future__ import annotations

import httpx
import pytest

from safety_toolkit.sources import SourceError

from .fake_portals import OpendatasoftFake
from .fake_portals.data import sample_rows
from .fake_portals.opendatasoft import API, DATASET
from .portal_helpers import assert_rows, data_files, fetch, fetch_one, quick_http, use_sources


def test_the_records_endpoint_refuses_big_pages_and_deep_offsets_as_the_real_one_does():
    with OpendatasoftFake() as fake:
        too_big = httpx.get(f"{fake.url}{API}/records", params={"limit": 200})
        too_deep = httpx.get(f"{fake.url}{API}/records", params={"limit": 100, "offset": 9950})
    assert too_big.status_code == 400
    assert "limit" in too_big.json()["message"]
    assert too_deep.status_code == 400
    assert too_deep.json()["error_code"] == "InvalidRESTParameterError"


def test_more_rows_than_the_records_endpoint_can_page_come_in_one_export(project):
    with OpendatasoftFake(rows=sample_rows(12_000), chunk_rows=2_000) as fake:
        use_sources(project, {"location": f"{fake.url}/explore/dataset/{DATASET}/table/?sort=date"})
        result, frame = fetch_one(project)
        exports = [r for r in fake.requests if r.path.endswith("/exports/csv")]
    assert_rows(frame, fake.expected(), "idnum")
    assert len(exports) == 1
    assert exports[0].params["delimiter"] == ";"
    assert all(r.params.get("limit") == "0" for r in fake.requests if r.path.endswith("/records"))
    assert frame.loc[0, "geo_point_2d"] == "44.96661711, -93.24645826"
    assert result.snapshot.version == {"data_processed": fake.modified, "modified": fake.modified}


def test_an_export_cut_short_is_downloaded_again(project):
    with OpendatasoftFake(chunk_rows=50) as fake:
        use_sources(project, {"location": f"{fake.url}/explore/dataset/{DATASET}/"})
        fake.fail(truncate=True, match="/exports/csv", reply=fake.handle)
        http = quick_http()
        _, frame = fetch_one(project, http)
    assert_rows(frame, fake.expected(), "idnum")
    assert http.stats.retries == 1


def test_an_unchanged_dataset_is_not_exported_again(project):
    with OpendatasoftFake() as fake:
        use_sources(project, {"location": f"{fake.url}/explore/dataset/{DATASET}/"})
        fetch(project)
        files = data_files(project)
        fake.requests.clear()
        (again,) = fetch(project)
    assert not again.changed
    assert [r.path for r in fake.requests] == [API]
    assert data_files(project) == files


def test_a_filter_the_portal_refuses_is_reported_in_its_words(project):
    with OpendatasoftFake() as fake:
        use_sources(project, {"location": f"{fake.url}/explore/dataset/{DATASET}/", "where": "race ==== 'x'"})
        with pytest.raises(SourceError, match=r"ODSQL query is malformed.*check 'where'"):
            fetch(project)
