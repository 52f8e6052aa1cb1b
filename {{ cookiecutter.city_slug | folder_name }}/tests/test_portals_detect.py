"""Users paste what their browser shows; the toolkit works out the platform and the dataset from it."""

from __future__ import annotations

import pytest

from safety_toolkit.sources import SourceError, urls
from safety_toolkit.sources.detect import detect

UUID = "83052a7c-aeb0-4f8e-9289-4e18972e0df8"


@pytest.mark.parametrize(
    ("url", "platform", "address", "dataset"),
    [
        # Socrata: dataset pages and API addresses
        (
            "https://data.cityofchicago.org/Public-Safety/Crimes-2001-to-Present/ijzp-q8t2/about_data",
            "socrata",
            "https://data.cityofchicago.org",
            "ijzp-q8t2",
        ),
        ("https://data.nola.gov/d/kitu-f4uy", "socrata", "https://data.nola.gov", "kitu-f4uy"),
        ("https://data.lacity.org/resource/2nrs-mtv8.json", "socrata", "https://data.lacity.org", "2nrs-mtv8"),
        ("https://data.lacity.org/resource/2nrs-mtv8.csv?$limit=5", "socrata", "https://data.lacity.org", "2nrs-mtv8"),
        (
            "https://www.chattadata.org/api/views/najs-wv89/rows.csv?accessType=DOWNLOAD",
            "socrata",
            "https://www.chattadata.org",
            "najs-wv89",
        ),
        # ArcGIS layers, with or without a query
        (
            "https://services1.arcgis.com/wpJGOi6N4Rq5cqFv/arcgis/rest/services/LPD_Dispatch_Records_2016/FeatureServer/0",
            "arcgis",
            "https://services1.arcgis.com/wpJGOi6N4Rq5cqFv/arcgis/rest/services/LPD_Dispatch_Records_2016/FeatureServer/0",
            "",
        ),
        (
            "https://maps2.dcgis.dc.gov/dcgis/rest/services/FEEDS/MPD/MapServer/32/query?where=1%3D1&outFields=*&f=json",
            "arcgis",
            "https://maps2.dcgis.dc.gov/dcgis/rest/services/FEEDS/MPD/MapServer/32",
            "",
        ),
        # CKAN: resource pages, API addresses, dataset pages
        (
            f"https://data.milwaukee.gov/dataset/complaints/resource/{UUID}",
            "ckan",
            "https://data.milwaukee.gov",
            UUID,
        ),
        (
            f"https://data.milwaukee.gov/dataset/d19/resource/{UUID}/download/complaints-2019.csv",
            "ckan",
            "https://data.milwaukee.gov",
            UUID,
        ),
        (
            f"https://data.boston.gov/api/3/action/datastore_search?resource_id={UUID}&limit=5",
            "ckan",
            "https://data.boston.gov",
            UUID,
        ),
        ("https://data.boston.gov/dataset/boston-police-department-fio", "ckan", "https://data.boston.gov", ""),
        # Opendatasoft dataset pages and API addresses
        (
            "https://data.longbeach.gov/explore/dataset/police-stop-data-ripa-copy/table/?sort=stopdate",
            "opendatasoft",
            "https://data.longbeach.gov",
            "police-stop-data-ripa-copy",
        ),
        (
            "https://data.townofcary.org/api/explore/v2.1/catalog/datasets/cpd-incidents/records?limit=20",
            "opendatasoft",
            "https://data.townofcary.org",
            "cpd-incidents",
        ),
        # Carto SQL
        (
            "https://phl.carto.com/api/v2/sql?q=SELECT * FROM car_ped_stops&format=csv",
            "carto",
            "https://phl.carto.com/api/v2/sql",
            "car_ped_stops",
        ),
        # direct links to files
        (
            "https://seshat.datasd.org/police_calls_for_service/pd_calls_for_service_2019_datasd.csv",
            "file",
            "https://seshat.datasd.org/police_calls_for_service/pd_calls_for_service_2019_datasd.csv",
            "",
        ),
        (
            "https://www.winooskivt.gov/DocumentCenter/View/2886/2019--Raw-Traffic-Stop-and-Ticket-Data",
            "file",
            "https://www.winooskivt.gov/DocumentCenter/View/2886/2019--Raw-Traffic-Stop-and-Ticket-Data",
            "",
        ),
    ],
)
def test_the_platform_and_dataset_are_found_in_the_address(url, platform, address, dataset):
    target = detect(url)
    assert (target.platform, target.url) == (platform, address)
    if dataset:
        assert target.dataset == dataset


def test_filters_written_in_the_address_are_kept():
    assert detect("https://data.lacity.org/resource/2nrs-mtv8.json?$where=date_occ > '2020-01-01'").where == (
        "date_occ > '2020-01-01'"
    )
    carto = detect("https://phl.carto.com/api/v2/sql?q=SELECT * FROM shootings WHERE officer_involved = 'Y'")
    assert (carto.dataset, carto.where, carto.select) == ("shootings", "officer_involved = 'Y'", "*")
    assert detect("https://x.gov/arcgis/rest/services/A/FeatureServer/0/query?where=YEAR%3D2020").where == "YEAR=2020"


def test_the_platform_key_settles_an_address_that_looks_like_another():
    assert detect("https://files.example.gov/exports/stop-2019", platform="file").platform == "file"
    assert detect("https://files.example.gov/exports/stop-2019").platform == "socrata"  # a 4x4-looking name
    assert detect("https://sql.example.org/api/v2/sql?q=SELECT * FROM t", platform="carto").dataset == "t"


@pytest.mark.parametrize(
    ("url", "platform", "hint"),
    [
        ("https://gis.city.gov/arcgis/rest/services/Police/Stops/FeatureServer", None, "/FeatureServer/<number>"),
        ("https://data.city.gov/browse?category=Public+Safety", "socrata", "ends in a code like abcd-1234"),
        ("https://phl.carto.com/api/v2/sql?q=SELECT a.x FROM a JOIN b ON a.id = b.id", None, "one table"),
        ("data.city.gov/resource/abcd-1234.json", None, "should start with https://"),
    ],
)
def test_an_address_that_names_no_dataset_says_what_to_paste(url, platform, hint):
    with pytest.raises(SourceError) as err:
        detect(url, platform)
    assert hint in str(err.value)


def test_the_addresses_the_builders_write_are_read_back_as_the_same_dataset():
    built = [
        (
            urls.socrata_url("https://data.seattle.gov/", "ppi5-g2bj"),
            "socrata",
            "https://data.seattle.gov",
            "ppi5-g2bj",
        ),
        (urls.ckan_url("https://data.boston.gov", UUID), "ckan", "https://data.boston.gov", UUID),
        (
            urls.opendatasoft_url("https://data.longbeach.gov", "lbpd-ripa-data-annual"),
            "opendatasoft",
            "https://data.longbeach.gov",
            "lbpd-ripa-data-annual",
        ),
        (urls.carto_url("phl", "shootings"), "carto", "https://phl.carto.com/api/v2/sql", "shootings"),
    ]
    for url, platform, address, dataset in built:
        target = detect(url)
        assert (target.platform, target.url, target.dataset) == (platform, address, dataset), url
    filtered = detect(urls.carto_url("phl", "shootings", {"officer_involved": "Y", "note": "O'Brien"}))
    assert filtered.where == "officer_involved = 'Y' AND note = 'O''Brien'"
