"""Boundary layers: the precincts, beats, districts and neighborhoods that maps count in.

A layer is a GeoJSON file (optionally gzipped) or a zipped shapefile, on disk or on the web. A local file is
read where it lies. A web address (a file, an ArcGIS layer, a Socrata dataset) is downloaded by
`fetch_layer` and kept as an immutable snapshot in data/raw/boundaries/ with its manifest entry, like any
source, so reports run offline afterwards and say which copy they drew.
"""

from __future__ import annotations

import difflib
import gzip
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from .config import BoundaryLayer, Config
from .store import Snapshot, Store, sha256_file

TOPIC = "boundaries"  # the manifest's name for snapshots of boundary layers
WGS84 = "EPSG:4326"


class BoundaryError(ValueError):
    """A boundary layer that cannot be used; the message says which one, what is wrong and what to do."""


@dataclass(frozen=True)
class Areas:
    """One layer, ready to count in: one row per area (`area`, `residents`, `geometry`), in WGS84 degrees."""

    layer: BoundaryLayer
    frame: gpd.GeoDataFrame
    source: str  # where the geometry came from, for captions
    notes: tuple[str, ...] = ()  # what was repaired or merged while reading

    @property
    def column(self) -> str:
        return self.layer.column

    @property
    def names(self) -> list[str]:
        return list(self.frame["area"])

    @property
    def has_residents(self) -> bool:
        """True only when the layer gives a population for at least one area: rates per resident need it."""
        return bool(self.frame["residents"].notna().any())


def read_layer_file(path: Path, layer: BoundaryLayer) -> gpd.GeoDataFrame:
    """The features of a GeoJSON (.geojson, .json, optionally .gz) or zipped shapefile, in WGS84."""
    if not path.is_file():
        raise BoundaryError(f"{layer.key}: {path} does not exist. Check 'location' in toolkit.yaml.")
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                frame = gpd.read_file(io.BytesIO(fh.read()))
        elif path.suffix.lower() == ".zip":
            inside = f"!{layer.member}" if layer.member else ""
            frame = gpd.read_file(f"zip://{path.resolve()}{inside}")
        else:
            frame = gpd.read_file(path)
    except (OSError, ValueError, RuntimeError) as err:  # pyogrio's errors derive from these
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise BoundaryError(
            f"{layer.key}: {path.name} could not be read as a GeoJSON file or zipped shapefile ({first})."
        ) from None
    return _in_degrees(frame, layer, path.name)


def _in_degrees(frame: gpd.GeoDataFrame, layer: BoundaryLayer, name: str) -> gpd.GeoDataFrame:
    if frame.empty:
        raise BoundaryError(f"{layer.key}: {name} holds no areas.")
    if frame.crs is None or frame.crs.is_geographic:
        # GeoJSON is degrees by definition, yet some exports hold state-plane feet or metres in it.
        minx, miny, maxx, maxy = frame.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            said = "does not say which coordinate system it uses" if frame.crs is None else "says it is in degrees"
            raise BoundaryError(
                f"{layer.key}: {name} {said}, but its numbers are not degrees of latitude and longitude "
                f"(they run from {minx:,.0f} to {maxx:,.0f}). Export the layer again in WGS84 (EPSG:4326), or as "
                "a zipped shapefile with its .prj file."
            )
        if frame.crs is None:
            return frame.set_crs(WGS84)
    return frame if frame.crs.equals(WGS84) else frame.to_crs(WGS84)


def areas_from_features(features: gpd.GeoDataFrame, layer: BoundaryLayer, source: str) -> Areas:
    """One row per named area: the name read as text ("01" stays "01"; 3.0 becomes "3"), invalid rings
    repaired, features sharing a name merged, and residents taken from the population property."""
    properties = [c for c in features.columns if c != features.geometry.name]
    for wanted in filter(None, (layer.area_property, layer.population_property)):
        if wanted not in properties:
            same = [p for p in properties if p.casefold() == wanted.casefold()]
            close = same or difflib.get_close_matches(wanted, properties, n=1, cutoff=0.5)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise BoundaryError(
                f"{layer.key}: the layer has no property '{wanted}'.{hint} Its properties are: {', '.join(properties)}."
            )
    notes = []
    kinds = set(features.geometry.geom_type.dropna())
    if not kinds <= {"Polygon", "MultiPolygon"}:
        raise BoundaryError(
            f"{layer.key}: the layer holds {', '.join(sorted(kinds))} shapes; a boundary layer needs areas (polygons)."
        )
    names = features[layer.area_property].map(_name)
    unnamed = int(names.isna().sum()) + int(features.geometry.isna().sum())
    if unnamed:
        notes.append(f"{unnamed} shape(s) without a name or geometry in '{layer.area_property}' were left out.")
    frame = gpd.GeoDataFrame({"area": names}, geometry=features.geometry.values, crs=WGS84)
    if layer.population_property:
        frame["residents"] = pd.to_numeric(features[layer.population_property], errors="coerce")
        bad = frame["residents"] < 0
        frame.loc[bad, "residents"] = float("nan")
    else:
        frame["residents"] = float("nan")
    frame = frame[frame["area"].notna() & frame.geometry.notna()]
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        notes.append(f"{int(invalid.sum())} shape(s) with crossing edges were repaired.")
        frame["geometry"] = frame.geometry.make_valid()  # valid shapes come back as they were
    repeated = frame["area"].duplicated(keep=False)
    if repeated.any():
        notes.append(
            f"{frame.loc[repeated, 'area'].nunique()} area name(s) appear on several shapes, which were joined."
        )
        residents = frame.groupby("area", sort=False)["residents"].sum(min_count=1)
        frame = frame.dissolve(by="area", sort=False).reset_index()
        frame["residents"] = frame["area"].map(residents)
    frame = frame[["area", "residents", "geometry"]].reset_index(drop=True)
    return Areas(layer, gpd.GeoDataFrame(frame, geometry="geometry", crs=WGS84), source, tuple(notes))


def _name(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


# Reading a layer, from its file or from its snapshot -------------------------------------------------------------


def load_areas(config: Config, layer: BoundaryLayer, store: Store | None = None) -> Areas:
    """The layer's areas: a local file as it is now, a web layer from its current snapshot; with residents
    from its residents table when it has one."""
    if not layer.is_url:
        path = layer.path(config.root)
        areas = areas_from_features(read_layer_file(path, layer), layer, layer.title or path.name)
    else:
        store = store or Store(config.root)
        snap = store.current(TOPIC, layer.key, layer.location)
        if snap is None or not store.path(snap).is_file():
            raise BoundaryError(
                f"{layer.key}: {layer.location} has not been downloaded yet. Run: python -m safety_toolkit fetch"
            )
        features = _from_snapshot(store.read(snap))
        source = f"{layer.title or layer.location}, retrieved {snap.retrieved_at[:10]}"
        areas = areas_from_features(features, layer, source)
    return _with_residents_table(config, areas) if layer.residents else areas


def _with_residents_table(config: Config, areas: Areas) -> Areas:
    from .maps import with_residents

    table = areas.layer.residents
    assert table is not None
    key = f"{areas.layer.key}.residents"
    path = Path(table.location).expanduser()
    path = path if path.is_absolute() else config.root / path
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise BoundaryError(f"{key}: {path} does not exist. Check 'location' in toolkit.yaml.") from None
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        raise BoundaryError(f"{key}: {path.name} could not be read as a CSV file ({err}).") from None
    for column in (table.area_column, table.count_column):
        if column not in frame.columns:
            close = difflib.get_close_matches(column, list(frame.columns), n=1, cutoff=0.5)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise BoundaryError(f"{key}: {path.name} has no column '{column}'.{hint}")
    frame[table.count_column] = pd.to_numeric(frame[table.count_column].str.replace(",", ""), errors="coerce")
    with_people, match = with_residents(areas, frame, table.area_column, table.count_column)
    notes = list(with_people.notes)
    if len(match.unmatched):
        names = ", ".join(match.unmatched["value"].head(5))
        notes.append(f"{len(match.unmatched)} name(s) of the residents table match no area ({names}).")
    return Areas(with_people.layer, with_people.frame, with_people.source, tuple(notes))


def load_all(config: Config, store: Store | None = None) -> tuple[dict[str, Areas], list[str]]:
    """Every layer that can be read, by the column it joins to, and one sentence per layer that cannot."""
    found, problems = {}, []
    for layer in config.boundaries:
        try:
            found[layer.column] = load_areas(config, layer, store)
        except BoundaryError as err:
            problems.append(str(err))
    return found, problems


def _to_snapshot(features: gpd.GeoDataFrame) -> pd.DataFrame:
    """Properties as text, and the exact geometry as hex WKB (text keeps every digit; WKT rounds)."""
    frame = pd.DataFrame(features.drop(columns=features.geometry.name)).astype("string")
    frame["geometry_wkb"] = shapely.to_wkb(features.geometry.values, hex=True)
    return frame


def _from_snapshot(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    geometry = shapely.from_wkb(frame["geometry_wkb"].tolist())
    properties = frame.drop(columns="geometry_wkb").replace("", None)
    return gpd.GeoDataFrame(properties, geometry=geometry, crs=WGS84)


# Downloading a web layer ---------------------------------------------------------------------------------------


def download_request(layer: BoundaryLayer) -> tuple[str, str, dict[str, str]]:
    """How to ask for the layer as GeoJSON in degrees: (kind, address, query parameters). The platform is
    recognised from the address as for data sources (sources/detect.py), or taken from 'platform:'."""
    from .sources.detect import detect
    from .sources.errors import SourceError

    try:
        target = detect(layer.location, layer.platform)
    except SourceError as err:
        raise BoundaryError(f"{layer.key}: {err}") from None
    if target.platform == "arcgis":
        return "arcgis", target.url + "/query", {"where": "1=1", "outFields": "*", "outSR": "4326", "f": "geojson"}
    if target.platform == "socrata":
        return "socrata", f"{target.url}/api/geospatial/{target.dataset}", {"method": "export", "format": "GeoJSON"}
    if target.platform == "file":
        return "file", target.url, {}
    raise BoundaryError(
        f"{layer.key}: boundary layers are read from ArcGIS layers, Socrata datasets or direct links to a GeoJSON "
        f"file or zipped shapefile, not from {target.platform} datasets. Give the link to the file instead."
    )


def fetch_layer(
    config: Config,  # noqa: ARG001 (the same first argument as the other fetch commands)
    layer: BoundaryLayer,
    store: Store,
    http: Any = None,
) -> tuple[Snapshot, bool]:
    """Download a web layer and keep it as a new snapshot, unless the bytes are the same as the current one's.
    Returns the current snapshot and whether it is new. A failed download leaves the last good one current."""
    from .sources.web import Http

    kind, url, params = download_request(layer)
    own = http is None
    http = Http() if own else http
    try:
        with tempfile.TemporaryDirectory(prefix="safety-toolkit-") as folder:
            path = url.lower().split("?")[0]
            suffix = next((end for end in (".zip", ".geojson.gz", ".json.gz") if path.endswith(end)), ".geojson")
            target = Path(folder) / f"layer{suffix}"
            features = _download(http, kind, url, params, target, layer)
            digest = sha256_file(target)
    finally:
        if own:
            http.close()
    current = store.current(TOPIC, layer.key, layer.location)
    if current and current.source_sha256 == digest and store.path(current).is_file():
        return current, False
    query = {"kind": kind, "url": url, **({"params": params} if params else {})}
    snap = store.save(TOPIC, layer.key, layer.location, _to_snapshot(features), source_sha256=digest, query=query)
    return snap, True


def _download(http: Any, kind: str, url: str, params: dict[str, str], target: Path, layer: BoundaryLayer):  # type: ignore[no-untyped-def]
    what = f"{layer.key} ({kind})"
    if kind != "arcgis":
        http.download(url, what, target, params=params or None)
        return read_layer_file(target, layer)
    # ArcGIS sends at most its maxRecordCount features per answer: ask page after page.
    features: list[dict[str, Any]] = []
    while True:
        body = http.get_json(url, what, {**params, "resultOffset": str(len(features))})
        if not isinstance(body, dict) or "features" not in body:
            message = body.get("error", {}).get("message", "") if isinstance(body, dict) else ""
            raise BoundaryError(f"{layer.key}: the ArcGIS layer did not send GeoJSON features. {message}".strip())
        page = body["features"]
        features.extend(page)
        more = body.get("exceededTransferLimit") or (body.get("properties") or {}).get("exceededTransferLimit")
        if not more or not page:
            break
    target.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return read_layer_file(target, layer)


def fetch_boundaries(config: Config, store: Store, http: Any = None) -> tuple[list[str], int]:
    """Fetch every web layer (local files need no fetching): one line per layer for the user, and how many
    failed. A layer that fails keeps its last good snapshot and does not stop the others."""
    from .sources.errors import SourceError

    lines, failures = [], 0
    for layer in config.boundaries:
        if not layer.is_url:
            continue
        try:
            snap, new = fetch_layer(config, layer, store, http)
        except (BoundaryError, SourceError) as err:
            failures += 1
            lines.append(f"{layer.key}: FAILED: {err}")
            continue
        state = "new snapshot" if new else f"unchanged since {snap.retrieved_at}"
        lines.append(f"{layer.key}: {snap.rows:,} areas from {layer.location} ({state})")
    return lines, failures
