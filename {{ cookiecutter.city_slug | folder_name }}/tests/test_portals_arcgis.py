"""ArcGIS layers: pages that servers cap, layers without pagination, and errors sent with HTTP 200."""

from __future__ import annotations

import json

import pytest

from safety_toolkit.sources import SourceError

from .fake_portals import ArcGISFake, Reply
from .fake_portals.arcgis import LAYER, token_required
from .fake_portals.data import sample_rows
from .portal_helpers import assert_rows, data_files, fetch, fetch_one, quick_http, use_sources

KEY = "OBJECTID"


def _pages(fake: ArcGISFake) -> list:
    return [r for r in fake.requests if r.path.endswith("/query") and "returnCountOnly" not in r.params]


def test_dates_codes_and_points_are_stored_readable(project):
    with ArcGISFake(max_record_count=100) as fake:
        fake.insert({**sample_rows()[0], "idNum": "17-900000", "lat": "", "long": ""})  # a point sent as NaN
        fake.insert({**sample_rows()[1], "idNum": "17-900001"}, millis=250)
        use_sources(project, {"location": fake.layer_url})
        result, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), KEY)
    first = frame.iloc[0]
    assert first["date"] == sample_rows()[0]["date"].replace(" ", "T")  # epoch milliseconds -> ISO text
    assert first["problem"] in ("suspicious", "traffic")  # the label, not the code
    assert (first["lat"], first["lng"]) == (sample_rows()[0]["lat"], sample_rows()[0]["long"])  # outSR=4326
    assert frame.iloc[-1]["date"].endswith(".250")
    assert frame.iloc[-2][["lat", "lng"]].tolist() == ["", ""]
    assert result.snapshot.version == {"lastEditDate": fake.last_edit}
    assert result.snapshot.types["date"] == "Date"
    assert all(r.params["outSR"] == "4326" and r.params["orderByFields"] == "OBJECTID ASC" for r in _pages(fake))


def test_pages_the_server_caps_below_what_was_asked_are_followed_by_what_came(project):
    # The layer says 200 per page but sends 75: the next page must start at 75, not 200.
    with ArcGISFake(max_record_count=200, page_cap=75) as fake:
        use_sources(project, {"location": fake.layer_url})
        _, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), KEY)
    assert [int(r.params["resultOffset"]) for r in _pages(fake)] == [0, 75, 150, 225, 300, 375]


@pytest.mark.parametrize(("cap", "asked"), [(None, [150, 150, 100]), (100, [150, 50, 150, 50, 100])])
def test_a_layer_without_pagination_is_read_by_object_ids(project, cap, asked):
    with ArcGISFake(max_record_count=150, pagination=False, page_cap=cap) as fake:
        use_sources(project, {"location": fake.layer_url})
        _, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), KEY)
    chunks = [r for r in fake.requests if r.params.get("objectIds")]
    assert [len(r.params["objectIds"].split(",")) for r in chunks] == asked  # ids left out are asked again
    assert all(r.method == "POST" and "resultOffset" not in r.params for r in chunks)


@pytest.mark.parametrize("change", ["insert", "delete"])
def test_rows_added_or_removed_between_pages_leave_exactly_the_servers_rows(project, change):
    with ArcGISFake(max_record_count=100) as fake:
        use_sources(project, {"location": fake.layer_url})

        def edit(request):
            if request.params.get("resultOffset") == "200" and fake.last_edit == 1_700_000_000_000:
                fake.insert(sample_rows()[5]) if change == "insert" else fake.delete(20)

        fake.on_request(edit)
        _, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), KEY)
    assert len(frame) == (401 if change == "insert" else 399)


def test_errors_sent_with_http_200_are_retried_when_temporary(project):
    busy = json.dumps({"error": {"code": 500, "message": "Unable to complete operation.", "details": []}})
    with ArcGISFake(max_record_count=100) as fake:
        use_sources(project, {"location": fake.layer_url})
        fake.fail(status=200, body=busy, match="resultOffset=100")
        fake.fail(status=504, match="resultOffset=200")
        http = quick_http()
        _, frame = fetch_one(project, http)
    assert_rows(frame, fake.expected(), KEY)
    assert http.stats.retries == 2


def test_a_layer_that_now_wants_a_token_fails_clearly_and_keeps_the_last_copy(project):
    with ArcGISFake(max_record_count=100) as fake:
        use_sources(project, {"location": fake.layer_url})
        fetch(project)
        files = data_files(project)
        fake.last_edit += 1
        fake.fail(reply=lambda _request: token_required(), match=lambda r: r.path == LAYER + "/query", times=50)
        http = quick_http()
        with pytest.raises(SourceError, match="asks for a login") as err:
            fetch(project, http)
    assert "Token Required" in str(err.value)
    assert "update 'location'" in str(err.value)
    assert http.stats.retries == 0
    assert data_files(project) == files


def test_a_refresh_of_a_layer_without_edit_stamps_downloads_everything_and_says_why(project):
    # Rows from the newest date on could be asked for alone, but nothing shows an edit to an older row.
    rows = sample_rows()
    with ArcGISFake(rows=rows[:300], max_record_count=100) as fake:
        use_sources(project, {"location": fake.layer_url, "date_field": "date"})
        fetch(project)
        for row in rows[300:]:
            fake.insert(row)
        fake.requests.clear()
        result, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), KEY)
    assert all(r.params["where"] == "1=1" for r in _pages(fake))
    assert "downloaded in full, because the portal does not say which older rows were edited" in str(result)


def test_a_layer_without_a_version_stamp_makes_no_new_snapshot_when_nothing_changed(project):
    with ArcGISFake(max_record_count=100, edit_stamps=False) as fake:
        use_sources(project, {"location": fake.layer_url})
        fetch(project)
        files = data_files(project)
        (again,) = fetch(project)
    assert not again.changed
    assert data_files(project) == files


def test_a_filter_in_the_pasted_query_address_is_kept(project):
    with ArcGISFake(max_record_count=100) as fake:
        use_sources(project, {"location": f"{fake.layer_url}/query?where=policePrecinct%3D1&outFields=*"})
        _, frame = fetch_one(project)
    assert_rows(frame, [r for r in fake.expected() if r["policePrecinct"] == "1"], KEY)


def test_a_layer_that_caps_pages_without_saying_so_is_read_in_full_and_the_cap_recorded(project):
    # The layer allows 200 rows per page, sends 75 and never sets exceededTransferLimit: stopping at the first
    # page that does not say "more" would keep 75 rows, and the count check would then fail as "kept changing".
    with ArcGISFake(max_record_count=200, page_cap=75, says_more=False) as fake:
        use_sources(project, {"location": fake.layer_url})
        result, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), KEY)
    assert len(frame) == 400
    assert "at most 75 rows per page" in result.snapshot.query["page_cap"]


def test_a_layer_without_pagination_that_caps_silently_is_asked_for_the_ids_left_out(project):
    with ArcGISFake(max_record_count=150, pagination=False, page_cap=100, says_more=False) as fake:
        use_sources(project, {"location": fake.layer_url})
        _, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), KEY)


def test_a_web_page_where_the_layer_should_be_is_said_at_once(project):
    page = b"<!DOCTYPE html><html><head><title>ArcGIS Hub</title></head><body>Police Stops</body></html>"
    with ArcGISFake() as fake:
        fake.fail(times=100, match=LAYER, reply=lambda _request: Reply(200, page, {"Content-Type": "text/html"}))
        use_sources(project, {"location": fake.layer_url})
        with pytest.raises(SourceError, match="answered with a web page, not data") as err:
            fetch(project)
    assert "not complete JSON" not in str(err.value)
    assert len(fake.requests) == 1


def test_a_refresh_of_a_layer_with_editor_tracking_proves_itself(project):
    # One old feature deleted, one added with last spring's date, one corrected: the count alone stays the same.
    rows = sample_rows()
    with ArcGISFake(rows=rows[:300], max_record_count=100, edit_dates=True) as fake:
        use_sources(project, {"location": fake.layer_url, "date_field": "date"})
        fetch(project)
        gone, corrected = fake.oids[10], fake.oids[20]
        fake.delete(gone)
        added = fake.insert({**rows[350], "date": "2017-03-02 10:00:00"})
        fake.edit(corrected, race="Black" if fake.records[corrected]["race"] != "Black" else "White")
        fake.requests.clear()
        result, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), KEY)
    assert str(gone) not in set(frame[KEY])
    assert str(added) in set(frame[KEY])
    refresh = result.snapshot.query["incremental"]
    assert "fell_back" not in refresh
    assert refresh["rows_edited"] == 2
    assert refresh["rows_removed"] == 1
    assert _pages(fake)[0].params["where"].startswith("date >= TIMESTAMP")
