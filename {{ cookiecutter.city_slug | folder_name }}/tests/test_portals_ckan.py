"""CKAN: the datastore read to its total (never following _links.next), whatever limit the portal allows."""

from __future__ import annotations

import pandas as pd
import pytest

from safety_toolkit.sources import SourceError

from .fake_portals import CkanFake, FileHostFake
from .fake_portals.ckan import PACKAGE, RESOURCE
from .portal_helpers import assert_rows, fetch, fetch_one, use_sources
from .presets import SAMPLE


def _searches(fake: CkanFake) -> list:
    return [r for r in fake.requests if r.path.endswith("/datastore_search") and r.params.get("limit") != "0"]


def test_paging_stops_at_the_total_although_links_next_says_there_is_more(project):
    with CkanFake() as fake:
        use_sources(project, {"location": f"{fake.url}/dataset/{PACKAGE}/resource/{RESOURCE}", "page_size": 100})
        result, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), "_id")
    assert [r.params["offset"] for r in _searches(fake)] == ["0", "100", "200", "300"]  # no fifth, empty page
    assert all(r.params["sort"] == "_id asc" for r in _searches(fake))
    assert frame.loc[0, "lat"] == "44.96661711"  # JSON numbers kept as written
    assert result.snapshot.version == {"last_modified": fake.last_modified}


def test_a_limit_the_portal_clamps_silently_is_followed_by_the_rows_that_came(project):
    with CkanFake(max_limit=70) as fake:
        use_sources(project, {"location": f"{fake.url}/dataset/{PACKAGE}/resource/{RESOURCE}"})
        _, frame = fetch_one(project)
    assert_rows(frame, fake.expected(), "_id")
    assert [int(r.params["offset"]) for r in _searches(fake)] == list(range(0, 400, 70))


def test_a_dataset_page_leads_to_its_datastore_resource_and_is_not_fetched_again_unchanged(project):
    with CkanFake() as fake:
        use_sources(project, {"location": f"{fake.url}/dataset/{PACKAGE}"})
        _, frame = fetch_one(project)
        fake.requests.clear()
        (again,) = fetch(project)
    assert_rows(frame, fake.expected(), "_id")
    assert not again.changed
    assert not _searches(fake)


def test_a_resource_outside_the_datastore_is_downloaded_as_its_file(project, raw_sample):
    with CkanFake(in_datastore=False) as fake, FileHostFake() as host:
        fake.file_url = host.put("/stops.csv", SAMPLE.read_bytes())
        use_sources(project, {"location": f"{fake.url}/api/3/action/datastore_search?resource_id={RESOURCE}"})
        _, frame = fetch_one(project)
    pd.testing.assert_frame_equal(frame, raw_sample, check_dtype=False)


def test_a_missing_resource_says_what_to_do(project):
    with CkanFake() as fake:
        use_sources(project, {"location": f"{fake.url}/dataset/{PACKAGE}/resource/{RESOURCE[:-4]}0000"})
        with pytest.raises(SourceError, match=r"Resource was not found.*update 'location'"):
            fetch(project)


def test_a_filter_written_as_column_values_becomes_ckans_filters(project):
    with CkanFake() as fake:
        location = f"{fake.url}/dataset/{PACKAGE}/resource/{RESOURCE}"
        use_sources(project, {"location": location, "where": {"race": "White", "gender": "Male"}})
        _, frame = fetch_one(project)
    wanted = [r for r in fake.expected() if r["race"] == "White" and r["gender"] == "Male"]
    assert_rows(frame, wanted, "_id")
    assert _searches(fake)[0].params["filters"] == '{"gender": "Male", "race": "White"}'
