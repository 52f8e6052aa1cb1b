"""Known datasets of the catalog (openpolicedata's source table): the default offered for a city's topic, and the
address the toolkit fetches it from."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from toolkit_catalog.data_sources import state_data_sources, years_covered
from toolkit_catalog.datasets import (
    all_datasets,
    dataset_url,
    known_dataset_for,
    known_datasets,
    known_source,
    query_filters,
)


def _row(source: str, kind: str, topic: str = "") -> dict[str, str]:
    return next(
        r for r in all_datasets() if r["SourceName"] == source and r["DataType"] == kind and r["topic"] == topic
    )


def test_a_citys_known_dataset_is_offered_as_the_default() -> None:
    assert known_source("Minneapolis", "MN", "police_stops") == (
        "https://services.arcgis.com/afSMGVsC7QlRK1kZ/arcgis/rest/services/Police_Stop_Data/FeatureServer/0"
    )
    # Of Minneapolis' two use-of-force layers, the current one, not the legacy one.
    assert known_source("minneapolis", "Minnesota", "use_of_force").endswith("/Police_Use_of_Force/FeatureServer/0")
    assert known_source("Nowhere", "MN", "police_stops") == ""
    assert known_source("Minneapolis", "MN", "warrants") == ""
    assert known_source("Minneapolis", "WI", "police_stops") == ""  # the city's name, in another state


def test_a_dataset_of_many_years_comes_before_single_years_and_newer_years_before_older() -> None:
    tucson = [r["Year"] for r in known_datasets("Tucson", "AZ", "arrests")]
    assert tucson[:4] == ["MULTIPLE", "2019", "2018", "2017"]
    # Bakersfield: a file of several years (to 2018) beats a newer file of one year (2020).
    assert [r["Year"] for r in known_datasets("Bakersfield", "CA", "police_stops")] == ["MULTIPLE", "2020"]


def test_each_platforms_address_is_built_from_the_catalogs_url_and_dataset_id() -> None:
    socrata = _row("Seattle", "Socrata", "use_of_force")
    assert dataset_url(socrata) == f"https://data.seattle.gov/resource/{socrata['dataset_id']}.json"
    ckan = _row("Phoenix", "CKAN", "arrests")
    assert dataset_url(ckan) == (
        f"https://www.phoenixopendata.com/api/3/action/datastore_search?resource_id={ckan['dataset_id']}"
    )
    ods = _row("Long Beach", "Opendatasoft", "non_emergency_incidents")
    assert dataset_url(ods) == "https://data.longbeach.gov/explore/dataset/lbpd-criminal-incident-data/"
    arcgis = _row("Minneapolis", "ArcGIS", "police_stops")
    assert dataset_url(arcgis) == arcgis["URL"].strip()


def test_a_carto_datasets_filter_goes_into_its_sql() -> None:
    shootings = next(r for r in all_datasets() if r["DataType"] == "Carto" and r["query"].strip())
    url = dataset_url(shootings)
    assert url.startswith("https://phl.carto.com/api/v2/sql?q=")
    assert unquote(url.split("q=", 1)[1]) == f"SELECT * FROM {shootings['dataset_id']} WHERE officer_involved = 'Y'"


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("", {}),
        ('{"Department": "POLICE DEPARTMENT"}', {"Department": "POLICE DEPARTMENT"}),
        ("{\u201cofficer_involved\u201d:\u201dY\u201d}", {"officer_involved": "Y"}),  # curly quotes, as in the catalog
        ("{Department: POLICE}", None),  # unreadable: the dataset is not offered
        ('["a", "b"]', None),
    ],
)
def test_the_catalogs_filter_is_read_or_refused(query: str, filters: dict[str, str] | None) -> None:
    assert query_filters({"query": query}) == filters


def test_a_suggested_address_leads_back_to_its_dataset() -> None:
    url = known_source("Seattle", "WA", "use_of_force")
    row = known_dataset_for(f"  {url} ")
    assert row is not None
    assert (row["SourceName"], row["topic"]) == ("Seattle", "use_of_force")
    assert known_dataset_for("https://data.example.gov/resource/abcd-1234.json") is None


def test_a_states_data_sources_split_statewide_city_and_other_agencies() -> None:
    found = state_data_sources("Minneapolis", "MN")
    city = {group["agency"] for group in found["city"]}
    assert city
    assert all("Minneapolis" in agency for agency in city)
    assert not city & {group["agency"] for group in found["others"]}
    assert found["fips"] == "27"
    assert all("://" not in portal and "/" not in portal for portal in found["portals"])  # host names
    assert state_data_sources("Minneapolis", "Atlantis")["count"] == 0


def test_the_years_a_dataset_covers() -> None:
    one = {"Year": "2019", "coverage_start": "", "coverage_end": ""}
    many = {"Year": "MULTIPLE", "coverage_start": "01/01/2010", "coverage_end": "03/21/2026"}
    assert years_covered([one]) == "2019"
    assert years_covered([one, many]) == "2010\u20132026"  # an en dash
    assert years_covered([{"Year": "MULTIPLE", "coverage_start": "", "coverage_end": ""}]) == ""
