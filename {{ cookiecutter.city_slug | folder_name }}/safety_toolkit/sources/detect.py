"""Which platform a pasted web address belongs to, and the dataset it names.

Users paste what their browser shows: a Socrata dataset page or API address, an ArcGIS layer, a CKAN dataset or
resource page, an Opendatasoft dataset page, a Carto SQL link, or a direct link to a file. The shapes of those
addresses are defined in `urls`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import SourceError
from .urls import (
    ARCGIS_LAYER,
    ARCGIS_SERVICE,
    CARTO_QUERY,
    CARTO_SQL,
    CKAN_ACTION,
    CKAN_DATASET,
    CKAN_RESOURCE,
    FOURBY,
    ODS_PATHS,
    ODS_RECORDS,
    SOCRATA_API,
)


@dataclass(frozen=True)
class Target:
    """What a client needs: the platform, the address to talk to, and the dataset there."""

    platform: str
    url: str  # Socrata/CKAN/Opendatasoft: the portal's root; ArcGIS: the layer; Carto: the SQL API; file: itself
    dataset: str = ""  # Socrata 4x4, CKAN resource id or dataset name, Opendatasoft id, Carto table
    where: str = ""  # a filter that was part of the pasted address
    select: str = ""  # Carto: the columns the pasted query asked for
    kind: str = ""  # CKAN: "resource" or "dataset"


def detect(url: str, platform: str | None = None) -> Target:
    """The platform and dataset behind `url`; `platform` (from toolkit.yaml) settles doubtful cases."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceError(f"{url!r} is not a web address; it should start with https://.")
    path = unquote(parts.path)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    root = f"{parts.scheme}://{parts.netloc}"
    # Most specific first: a Socrata dataset page is only known by the code at its end.
    finders = {
        "arcgis": _arcgis,
        "opendatasoft": _opendatasoft,
        "carto": _carto,
        "socrata": _socrata,
        "ckan": _ckan,
    }
    if platform == "file":
        return Target("file", url.strip())
    if platform:
        found = finders[platform](root, path, query)
        if found is None:
            raise SourceError(f"{url} does not look like a {platform} dataset address. {HOW_TO[platform]}")
        return found
    for name, finder in finders.items():
        if name == "carto" and not (parts.netloc.endswith(".carto.com") or path.startswith("/user/")):
            continue  # other platforms have SQL endpoints too; a Carto one is known by its host
        found = finder(root, path, query)
        if found is not None:
            return found
    if ARCGIS_SERVICE.search(path):
        raise SourceError(f"{url} is an ArcGIS service, not one of its layers. {HOW_TO['arcgis']}")
    return Target("file", url.strip())


HOW_TO = {
    "socrata": "Use the dataset's page (its address ends in a code like abcd-1234) or its API address "
    "(https://<portal>/resource/abcd-1234.json).",
    "arcgis": "Use the layer's address, ending in /FeatureServer/<number> or /MapServer/<number>; on an ArcGIS "
    "Hub page it is under 'View API Resources' (or 'I want to use this').",
    "ckan": "Use the dataset's page (https://<portal>/dataset/<name>) or one of its resources' pages "
    "(.../dataset/<name>/resource/<id>).",
    "opendatasoft": "Use the dataset's page: https://<portal>/explore/dataset/<id>/.",
    "carto": "Use a SQL API address: https://<account>.carto.com/api/v2/sql?q=SELECT * FROM <table>.",
}


def _arcgis(root: str, path: str, query: dict[str, str]) -> Target | None:
    match = ARCGIS_LAYER.match(path)
    if not match:
        return None
    where = query.get("where", "").strip()
    return Target("arcgis", root + match["layer"], where="" if where in ("", "1=1") else where)


def _socrata(root: str, path: str, query: dict[str, str]) -> Target | None:
    match = SOCRATA_API.search(path)
    if match:
        return Target("socrata", root, match["id"], where=query.get("$where", "").strip())
    # A dataset page: https://data.city.gov/Public-Safety/Police-Stops/abcd-1234[/about_data]
    segments = [s for s in path.split("/") if s]
    for segment in segments[-2:]:
        if FOURBY.match(segment) and "." not in segments[-1]:
            return Target("socrata", root, segment)
    return None


def _ckan(root: str, path: str, query: dict[str, str]) -> Target | None:
    match = CKAN_RESOURCE.match(path)
    if match:
        return Target("ckan", root + match["root"], match["id"], kind="resource")
    match = CKAN_ACTION.match(path)
    if match:
        if match["action"] == "package_show" and query.get("id"):
            return Target("ckan", root + match["root"], query["id"], kind="dataset")
        resource = query.get("resource_id") or query.get("id")
        if resource:
            return Target("ckan", root + match["root"], resource, kind="resource")
        return None
    match = CKAN_DATASET.match(path)
    if match and not FOURBY.match(match["id"]):
        return Target("ckan", root + match["root"], match["id"], kind="dataset")
    return None


def _opendatasoft(root: str, path: str, query: dict[str, str]) -> Target | None:
    for pattern in ODS_PATHS:
        match = pattern.match(path)
        if match:
            return Target("opendatasoft", root, match["id"], where=query.get("where", "").strip())
    if path.rstrip("/") == ODS_RECORDS and query.get("dataset"):
        return Target("opendatasoft", root, query["dataset"])
    return None


def _carto(root: str, path: str, query: dict[str, str]) -> Target | None:
    if not CARTO_SQL.match(path):
        return None
    sql = CARTO_QUERY.match(query.get("q", ""))
    if not sql:
        raise SourceError(
            f"the Carto query {query.get('q', '')!r} is not a simple 'SELECT ... FROM <table> [WHERE ...]'; "
            "the toolkit pages through one table. Write the address as .../api/v2/sql?q=SELECT * FROM <table> "
            "and put any filter in 'where' for the source in toolkit.yaml."
        )
    base = root + path.rstrip("/")
    select = " ".join(sql["select"].split())
    return Target("carto", base, sql["table"], where=(sql["where"] or "").strip(), select=select)
