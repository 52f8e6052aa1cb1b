"""The shapes of a dataset's web address on each portal: the patterns that read one and the builders that write one.

This is the one definition of those shapes. `detect` reads the addresses users paste with the patterns; the
template writes the addresses it suggests for the datasets its catalog knows with the builders (it loads this
file by its path when it makes a toolkit, so the file imports nothing but the standard library).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

FOURBY = re.compile(r"^[a-z0-9]{4}-[a-z0-9]{4}$")  # a Socrata dataset id: abcd-1234
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
ARCGIS_LAYER = re.compile(r"^(?P<layer>.*/rest/services/.+?/(?:FeatureServer|MapServer)/\d+)(?:/query)?/?$", re.I)
ARCGIS_SERVICE = re.compile(r"/rest/services/.+/(?:FeatureServer|MapServer)/?$", re.I)
SOCRATA_API = re.compile(r"/(?:resource|api/views|api/v3/views|api/id)/(?P<id>[a-z0-9]{4}-[a-z0-9]{4})(?:[./]|$)")
CKAN_RESOURCE = re.compile(rf"^(?P<root>.*?)/(?:dataset/[^/]+/resource|datastore/dump)/(?P<id>{UUID})(?:/|$)")
CKAN_ACTION = re.compile(r"^(?P<root>.*?)/api/(?:3/)?action/(?P<action>[a-z_]+)/?$")
CKAN_DATASET = re.compile(r"^(?P<root>.*?)/dataset/(?P<id>[^/]+)/?$")
ODS_PATHS = (
    re.compile(r"^/explore/dataset/(?P<id>[^/]+)"),
    re.compile(r"^/api/explore/v2\.[01]/catalog/datasets/(?P<id>[^/]+)"),
    re.compile(r"^/api/datasets/1\.0/(?P<id>[^/]+)"),
)
ODS_RECORDS = "/api/records/1.0/search"  # the v1 records API, with ?dataset=<id>
CARTO_SQL = re.compile(r"^(?:/user/(?P<user>[^/]+))?/api/v[12]/sql/?$")
CARTO_QUERY = re.compile(
    r"^\s*select\s+(?P<select>.+?)\s+from\s+(?P<table>[A-Za-z_][\w.]*|\"[^\"]+\")"
    r"(?:\s+where\s+(?P<where>.+?))?(?:\s+order\s+by\s+.+?)?(?:\s+limit\s+\d+)?(?:\s+offset\s+\d+)?\s*;?\s*$",
    re.I | re.S,
)


def socrata_url(portal: str, dataset: str) -> str:
    """A Socrata dataset's API address: https://<portal>/resource/<abcd-1234>.json."""
    return f"{portal.rstrip('/')}/resource/{dataset}.json"


def ckan_url(portal: str, resource: str) -> str:
    """A CKAN resource's rows in the Action API: .../api/3/action/datastore_search?resource_id=<id>."""
    return f"{portal.rstrip('/')}/api/3/action/datastore_search?resource_id={quote(resource)}"


def opendatasoft_url(portal: str, dataset: str) -> str:
    """An Opendatasoft dataset's page: https://<portal>/explore/dataset/<id>/."""
    return f"{portal.rstrip('/')}/explore/dataset/{quote(dataset)}/"


def carto_url(account: str, table: str, filters: Mapping[str, str] | None = None) -> str:
    """A Carto SQL API address that selects a table's rows, those equal to `filters` when given."""
    sql = f"SELECT * FROM {table}"
    if filters:
        sql += " WHERE " + " AND ".join(f"{column} = {sql_text(value)}" for column, value in filters.items())
    return f"https://{account}.carto.com/api/v2/sql?q={quote(sql)}"


def sql_text(value: str) -> str:
    """A SQL string literal: the value in single quotes, a quote inside it doubled."""
    return "'" + value.replace("'", "''") + "'"
