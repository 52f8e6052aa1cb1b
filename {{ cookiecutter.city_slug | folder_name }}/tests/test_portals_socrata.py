"""Socrata: every row exactly once, whatever the portal does meanwhile; a refresh downloads only what is new."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from safety_toolkit.sources import SourceError
from safety_toolkit.store import Store

from .fake_portals import Reply, SocrataFake
from .fake_portals.data import sample_rows
from .portal_helpers import assert_rows, data_files, fetch, fetch_one, quick_http, use_sources


def _source(fake: SocrataFake, **extra):
    return {"location": f"{fake.url}/resource/{fake.dataset}.json", "page_size": 100, **extra}


def _row_requests(fake: SocrataFake) -> list:
    return [r for r in fake.requests if r.path.startswith("/resource/") and r.params.get("$select") == ":id, *"]


def test_rows_are_stored_as_published_and_the_manifest_says_where_they_came_from(project):
    with SocrataFake() as fake:
        use_sources(project, _source(fake))
        _, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), ":id")
    assert frame.columns[0] == ":id"
    assert frame.loc[0, "location"].startswith("POINT (-93.")
    assert (frame["citationissued"] == "").sum() > 0  # fields Socrata leaves out of a row are blank
    entry = json.loads((project / "data" / "manifest.json").read_text())["snapshots"][0]
    assert entry["location"] == f"{fake.url}/resource/{fake.dataset}.json"
    assert entry["rows"] == 400
    assert entry["columns"] == list(frame.columns)
    assert entry["version"] == {"rowsUpdatedAt": fake.rows_updated_at}
    assert entry["query"]["$order"] == ":id"
    assert entry["query"]["pages"] == 4
    assert entry["types"]["date"] == "calendar_date"
    assert len(entry["sha256"]) == 64
    assert entry["retrieved_at"].endswith("+00:00")
    for request in _row_requests(fake):  # every page in a stable order, advanced by the rows received
        assert request.params["$order"] == ":id"
    assert [int(r.params["$offset"]) for r in _row_requests(fake)] == [0, 100, 200, 300, 400]


def test_an_unchanged_dataset_is_not_downloaded_again(project):
    with SocrataFake() as fake:
        use_sources(project, _source(fake))
        fetch(project)
        files = data_files(project)
        fake.requests.clear()
        (again,) = fetch(project)
    assert not again.changed
    assert [r.path for r in fake.requests] == [f"/api/views/{fake.dataset}.json"]  # the version check only
    assert data_files(project) == files
    assert "unchanged since" in str(again)


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_row_added_between_two_pages_is_neither_doubled_nor_lost(project, where):
    with SocrataFake() as fake:
        use_sources(project, _source(fake))
        new = dict(sample_rows()[7], idNum="17-999999")
        # Row ids are not in the order rows were added: the new one may sort before the pages already read.
        rid = "row-0000~0000.0000" if where == "before" else "row-zzzz~zzzz.zzzz"
        fake.on_request(lambda r: r.params.get("$offset") == "200" and rid not in fake.values and fake.insert(new, rid))
        result, frame = fetch_one(project)
    assert rid in set(frame[":id"])
    assert_rows(frame, fake.expected(), ":id")
    assert result.snapshot.rows == 401


def test_a_row_deleted_between_two_pages_does_not_hide_another(project):
    with SocrataFake() as fake:
        use_sources(project, _source(fake))
        gone = fake.by_id[50]
        fake.on_request(lambda r: r.params.get("$offset") == "200" and gone in fake.values and fake.delete(gone))
        _, frame = fetch_one(project)
    assert gone not in set(frame[":id"])
    assert_rows(frame, fake.expected(), ":id")


def test_pages_smaller_than_asked_for_are_followed_to_the_end(project):
    with SocrataFake(page_cap=30) as fake:
        use_sources(project, _source(fake))
        _, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), ":id")


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried(project, status):
    with SocrataFake() as fake:
        use_sources(project, _source(fake))
        fake.fail(status=status, times=2, match="$offset=100")
        http = quick_http()
        _, frame = fetch_one(project, http)
    assert_rows(frame, fake.expected(), ":id")
    assert http.stats.retries == 2


def test_throttling_waits_as_long_as_retry_after_says(project):
    with SocrataFake() as fake:
        use_sources(project, _source(fake))
        fake.fail(status=429, headers={"Retry-After": "7"}, match="$offset=200")
        fake.fail(status=202, body='{"message":"Processing"}', match="$offset=300")
        http = quick_http()
        _, frame = fetch_one(project, http)
    assert_rows(frame, fake.expected(), ":id")
    assert http.stats.waits[0] == 7.0
    assert http.stats.retries == 2


def test_slow_answers_and_cut_bodies_are_asked_for_again(project):
    with SocrataFake() as fake:
        use_sources(project, _source(fake))
        fake.fail(delay=0.6, match="$offset=100", reply=fake.handle)
        fake.fail(truncate=True, match="$offset=200", reply=fake.handle)
        http = quick_http(timeout=0.3)
        _, frame = fetch_one(project, http)
    assert_rows(frame, fake.expected(), ":id")
    assert http.stats.retries == 2


def test_a_portal_that_stays_down_fails_clearly_and_keeps_the_last_good_copy(project):
    with SocrataFake() as fake:
        use_sources(project, _source(fake))
        fetch(project)
        files = data_files(project)
        fake.insert(dict(sample_rows()[3], idNum="17-999998"))  # the data changed: a download is due
        fake.fail(status=503, times=100, match="$offset=200")
        with pytest.raises(SourceError) as err:
            fetch(project)
    message = str(err.value)
    assert "police_stops" in message
    assert f"{fake.url}/resource/{fake.dataset}.json" in message
    assert "503" in message
    assert "4 tries" in message
    assert "Try again later" in message
    assert data_files(project) == files  # the snapshot and the manifest are as they were


def test_a_dataset_that_is_gone_says_so_without_retrying(project):
    with SocrataFake() as fake:
        use_sources(project, {"location": f"{fake.url}/resource/zzzz-9999.json"})
        http = quick_http()
        with pytest.raises(SourceError, match="not at this address any more") as err:
            fetch(project, http)
    assert http.stats.retries == 0
    assert "update 'location' in toolkit.yaml" in str(err.value)


def test_a_refresh_downloads_only_rows_from_the_newest_date_on(project):
    rows = sample_rows()
    with SocrataFake(rows=rows[:300]) as fake:
        use_sources(project, _source(fake, date_field="date"))
        (first,) = fetch(project)
        for row in rows[300:]:
            fake.insert(row)
        fake.requests.clear()
        result, frame = fetch_one(project)
    assert result.changed
    assert result.snapshot.file != first.snapshot.file
    assert_rows(frame, fake.expected(), ":id")
    newest = max(r["date"] for r in rows[:300]).replace(" ", "T") + ".000"
    (page, *_) = _row_requests(fake)
    assert page.params["$where"] == f"date >= '{newest}' OR date IS NULL"
    refresh = result.snapshot.query["incremental"]
    assert refresh["rows_downloaded"] == 100 + sum(r["date"].replace(" ", "T") + ".000" == newest for r in rows[:300])
    assert refresh["rows_kept"] + refresh["rows_downloaded"] == 400
    store = Store(project)
    assert store.path(first.snapshot).is_file()
    assert len(store.snapshots("police_stops")) == 2
    assert "refreshed" in str(result)


def test_a_refresh_that_would_not_match_the_portal_downloads_everything(project):
    rows = sample_rows()
    with SocrataFake(rows=rows[:300]) as fake:
        use_sources(project, _source(fake, date_field="date"))
        fetch(project)
        fake.delete(fake.by_id[10])  # an old row removed: rows from the newest date on cannot show it
        fake.insert(rows[350])
        # nor can the list of row keys be had
        fake.fail(status=500, times=100, match=lambda r: r.params.get("$select") == ":id")
        result, frame = fetch_one(project, quick_http(attempts=2))
    assert_rows(frame, fake.expected(), ":id")
    assert "fell_back" in result.snapshot.query["incremental"]


def test_a_filter_and_the_app_token_are_sent(project, monkeypatch):
    monkeypatch.setenv("SOCRATA_APP_TOKEN", "test-token-123")
    with SocrataFake() as fake:
        use_sources(project, _source(fake, where={"race": "White"}))
        _, frame = fetch_one(project)
    assert set(frame["race"]) == {"White"}
    assert_rows(frame, [r for r in fake.expected() if r["race"] == "White"], ":id")
    assert all(r.headers.get("x-app-token") == "test-token-123" for r in fake.requests)
    assert "test-token-123" not in (project / "data" / "manifest.json").read_text()


def test_the_dataset_page_address_a_user_pastes_works(project):
    with SocrataFake() as fake:
        use_sources(project, {"location": f"{fake.url}/Public-Safety/Police-Stop-Data/{fake.dataset}/about_data"})
        _, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), ":id")


def test_a_portal_that_asks_for_a_long_pause_is_not_waited_for(project):
    with SocrataFake() as fake:
        use_sources(project, _source(fake))
        fake.fail(status=429, headers={"Retry-After": "3600"}, match="$select=count")
        http = quick_http()
        with pytest.raises(SourceError, match="asks to wait 60 minutes") as err:
            fetch(project, http)
    assert http.stats.requests == 2
    assert "Try again after that" in str(err.value)


def test_the_app_token_is_not_sent_to_another_host_after_a_redirect(project, monkeypatch):
    # The portal's address now redirects to another host (a moved dataset, a link shortener, a CDN): the rows
    # are followed there, but the token that identifies the user goes only to the portal it was made for.
    monkeypatch.setenv("SOCRATA_APP_TOKEN", "test-token-123")
    with SocrataFake() as elsewhere, SocrataFake() as portal:
        portal.fail(
            times=10_000,
            reply=lambda r: Reply(302, headers={"Location": f"{elsewhere.url}{r.path}?{urlencode(r.params)}"}),
        )
        use_sources(project, _source(portal))
        _, frame = fetch_one(project)
    assert_rows(frame, elsewhere.expected(), ":id")
    assert portal.requests
    assert all(r.headers.get("x-app-token") == "test-token-123" for r in portal.requests)
    assert elsewhere.requests
    assert not any("x-app-token" in r.headers for r in elsewhere.requests)


def test_a_web_page_on_the_metadata_address_is_said_at_once(project):
    # A sign-in or "dataset moved" page with HTTP 200 where the dataset's description should be: asking again
    # brings the same page, so it is reported on the first answer, as a web page.
    with SocrataFake() as fake:
        page = b"<!DOCTYPE html><html><head><title>Sign in | Open Data</title></head><body></body></html>"
        fake.fail(
            times=100, match="/api/views/", reply=lambda _request: Reply(200, page, {"Content-Type": "text/html"})
        )
        use_sources(project, _source(fake))
        with pytest.raises(SourceError, match="answered with a web page, not data") as err:
            fetch(project)
    assert "not complete JSON" not in str(err.value)
    assert fake.count("/api/views/") == 1
    assert data_files(project) == {}


def test_a_refresh_proves_itself_when_an_old_row_is_deleted_another_back_dated_and_one_edited(project):
    # The counts still match after the publisher deletes one old row and adds one dated last spring: a refresh
    # that only checked the count kept the deleted row, missed the new one, and never saw the corrected record.
    rows = sample_rows()
    with SocrataFake(rows=rows[:300]) as fake:
        use_sources(project, _source(fake, date_field="date"))
        fetch(project)
        gone, corrected = fake.by_id[10], fake.by_id[20]
        fake.delete(gone)
        added = fake.insert({**rows[350], "date": "2017-03-02 10:00:00"})
        fake.edit(corrected, race="Black" if fake.values[corrected].get("race") != "Black" else "White")
        result, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), ":id")
    assert gone not in set(frame[":id"])
    assert added in set(frame[":id"])
    refresh = result.snapshot.query["incremental"]
    assert "fell_back" not in refresh
    assert refresh["rows_edited"] == 2
    assert refresh["rows_removed"] == 1
    assert "1 rows deleted by the publisher removed" in str(result)
    assert "checked against" in str(result)


def test_a_refresh_that_cannot_prove_itself_downloads_everything_and_says_why(project):
    rows = sample_rows()
    with SocrataFake(rows=rows[:300]) as fake:
        use_sources(project, _source(fake, date_field="date"))
        fetch(project)
        fake.insert(rows[350])
        # the edit stamps cannot be asked for (an older portal version): no proof, so no partial refresh
        fake.fail(status=400, times=100, match=":updated_at", body='{"message": "No such column: :updated_at"}')
        result, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), ":id")
    assert "downloaded in full, because" in str(result)
