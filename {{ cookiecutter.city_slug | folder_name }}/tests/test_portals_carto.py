"""Carto: pages by cartodb_id, and the error a query appends after its rows have started streaming."""

from __future__ import annotations

import pytest

from safety_toolkit.sources import SourceError

from .fake_portals import CartoFake
from .fake_portals.carto import TABLE, throttled
from .fake_portals.data import sample_rows
from .portal_helpers import assert_rows, fetch, fetch_one, quick_http, use_sources

KEY = "cartodb_id"


def _source(fake: CartoFake, query: str = f"SELECT * FROM {TABLE}", **extra):
    return {"location": f"{fake.url}/api/v2/sql?q={query}", "platform": "carto", "page_size": 100, **extra}


def _pages(fake: CartoFake) -> list[str]:
    return [r.params["q"] for r in fake.requests if "ORDER BY" in r.params.get("q", "")]


def test_rows_are_read_in_cartodb_id_order_after_the_last_one_read(project):
    with CartoFake() as fake:
        use_sources(project, _source(fake))
        result, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), KEY)
    assert _pages(fake)[1] == f"SELECT * FROM {TABLE} WHERE cartodb_id > 100 ORDER BY cartodb_id LIMIT 100"
    assert frame.loc[0, "the_geom"].startswith("0101000020E6100000")
    assert result.snapshot.types["datetimeoccur"] == "date"


def test_an_error_appended_after_rows_started_streaming_is_caught(project):
    with CartoFake() as fake:
        use_sources(project, _source(fake))
        fake.fail(reply=fake.failing_midway, match="cartodb_id > 200")
        http = quick_http()
        _, frame = fetch_one(project, http)
    assert_rows(frame, fake.expected(), KEY)
    assert http.stats.retries == 1


def test_throttling_waits_as_long_as_retry_after_says(project):
    with CartoFake() as fake:
        use_sources(project, _source(fake))
        fake.fail(reply=lambda _request: throttled(), match="cartodb_id > 100")
        http = quick_http()
        _, frame = fetch_one(project, http)
    assert_rows(frame, fake.expected(), KEY)
    assert http.stats.waits == [2.0]


def test_a_row_deleted_while_reading_is_not_kept(project):
    with CartoFake() as fake:
        use_sources(project, _source(fake))
        fake.on_request(lambda r: "cartodb_id > 300" in r.params.get("q", "") and fake.delete(5))
        _, frame = fetch_one(project)
    assert "5" not in set(frame[KEY])
    assert_rows(frame, fake.expected(), KEY)


def test_a_filter_in_the_pasted_query_and_a_refresh_by_date(project):
    rows = sample_rows()
    with CartoFake(rows=rows[:300]) as fake:
        query = f"SELECT * FROM {TABLE} WHERE stoptype = 'traffic'"
        use_sources(project, _source(fake, query, date_field="datetimeoccur"))
        fetch(project)
        for row in rows[300:]:
            fake.insert(row)
        fake.requests.clear()
        result, frame = fetch_one(project)
    assert_rows(frame, [r for r in fake.expected() if r["stoptype"] == "traffic"], KEY)
    # Carto keeps no per-row edit stamps: an edit to an older row could not be ruled out, so all is downloaded
    assert "datetimeoccur >= " not in " ".join(_pages(fake))
    assert "stoptype = 'traffic'" in _pages(fake)[0]
    assert "downloaded in full, because the portal does not say which older rows were edited" in str(result)


def test_a_query_carto_refuses_is_reported_in_its_words(project):
    with CartoFake() as fake:
        use_sources(project, _source(fake, where="stoptype = = 'x'"))
        with pytest.raises(SourceError, match=r"syntax error.*check 'where'"):
            fetch(project)
