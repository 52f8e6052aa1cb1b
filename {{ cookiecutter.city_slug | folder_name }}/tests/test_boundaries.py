"""Boundary layers: declared in toolkit.yaml (checked like every other key), read from GeoJSON or zipped
shapefiles on disk, or downloaded from a web server, an ArcGIS layer or a Socrata export on 127.0.0.1 and kept
as snapshots in the manifest. Real layers: Minneapolis police precincts and neighborhoods, Queens precincts."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from safety_toolkit.boundaries import TOPIC, BoundaryError, fetch_boundaries, fetch_layer, load_all, load_areas
from safety_toolkit.config import BoundaryLayer, ConfigError, load_config
from safety_toolkit.sources.errors import SourceError
from safety_toolkit.store import Store

from .fake_portals import FakePortal, FileHostFake, Reply
from .portal_helpers import quick_http
from .presets import FIXTURES

LAYERS = FIXTURES / "boundaries"
PRECINCTS = LAYERS / "minneapolis_police_precincts.geojson.gz"
NEIGHBORHOODS = LAYERS / "minneapolis_neighborhoods.geojson.gz"
QUEENS = LAYERS / "nyc_police_precincts_queens_simplified.geojson.gz"

BLOCK = f"""
boundaries:
  precincts:
    location: {PRECINCTS}
    title: Minneapolis police precincts
    area_property: PRECINCT
    column: precinct
  neighborhoods:
    location: {NEIGHBORHOODS}
    area_property: name
    column: neighborhood
"""


def _config(tmp_path: Path, block: str = BLOCK) -> Path:
    text = (FIXTURES / "toolkit.yaml").read_text(encoding="utf-8") + block
    path = tmp_path / "toolkit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, old: str, new: str) -> str:
    assert old in BLOCK, old
    with pytest.raises(ConfigError) as err:
        load_config(_config(tmp_path, BLOCK.replace(old, new, 1)))
    return str(err.value)


def _features(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()))


def test_boundary_layers_load_from_toolkit_yaml(tmp_path):
    config = load_config(_config(tmp_path))
    precincts, neighborhoods = config.boundaries
    assert (precincts.name, precincts.column, precincts.area_property) == ("precincts", "precinct", "PRECINCT")
    assert precincts.title == "Minneapolis police precincts"
    assert neighborhoods.column == "neighborhood"
    assert neighborhoods.population_property is None
    found, problems = load_all(config)
    assert not problems
    assert sorted(found["precinct"].names) == ["1", "2", "3", "4", "5"]
    names = {f["properties"]["name"] for f in _features(NEIGHBORHOODS)["features"]}
    assert set(found["neighborhood"].names) == names
    assert len(names) == 85


def test_a_toolkit_without_boundaries_has_none():
    assert load_config(FIXTURES / "toolkit.yaml").boundaries == ()


@pytest.mark.parametrize(
    ("old", "new", "key", "hint"),
    [
        ("area_property: PRECINCT", "area_propety: PRECINCT", "boundaries.precincts.area_propety", "'area_property'"),
        ("column: precinct", "column: precint", "boundaries.precincts.column", "Did you mean 'precinct'?"),
        ("column: neighborhood", "column: precinct", "boundaries.neighborhoods.column", "one layer per column"),
        ("    area_property: name\n", "", "boundaries.neighborhoods.area_property", "this key is missing"),
        ("  precincts:", "  police precincts:", "boundaries.police precincts", "letters, digits and _"),
        (f"location: {PRECINCTS}", f"location: {PRECINCTS}\n    platform: arcgis", "platform", "only web addresses"),
        (f"location: {PRECINCTS}", "location: ftp://example.org/p.zip", "location", "only http(s)"),
    ],
)
def test_mistakes_in_the_boundaries_block_name_the_key_the_line_and_the_fix(tmp_path, old, new, key, hint):
    message = _error(tmp_path, old, new)
    assert key in message
    assert hint in message
    assert "toolkit.yaml, line " in message


def test_residents_come_from_a_table_matched_by_neighborhood_name(tmp_path):
    block = (
        BLOCK
        + f"""    residents:
      location: {LAYERS / "minneapolis_neighborhood_demographics.csv"}
      area_column: neighborhood
      count_column: population
      source: 2015 American Community Survey (carData MplsDemo)
"""
    )
    config = load_config(_config(tmp_path, block))
    layer = config.boundaries[1]
    assert layer.residents
    assert layer.residents.source.startswith("2015 American Community Survey")
    areas = load_areas(config, layer)
    people = areas.frame.set_index("area")["residents"]
    assert people["Cedar-Riverside"] == 8247  # "Cedar Riverside" in the table
    assert people.notna().sum() > 70
    assert people.isna().any()
    assert any("match no area" in note and "Steven's Square" in note for note in areas.notes)


@pytest.mark.parametrize(
    ("extra", "location", "key", "hint"),
    [
        ("    population_property: pop\n", "people.csv", "boundaries.neighborhoods.residents", "not both"),
        ("", "https://example.org/people.csv", "boundaries.neighborhoods.residents.location", "download it"),
    ],
)
def test_residents_given_twice_or_from_the_web_are_refused(tmp_path, extra, location, key, hint):
    block = (
        BLOCK
        + extra
        + f"""    residents:
      location: {location}
      area_column: neighborhood
      count_column: population
"""
    )
    with pytest.raises(ConfigError) as err:
        load_config(_config(tmp_path, block))
    assert key in str(err.value)
    assert hint in str(err.value)


def test_a_wrong_area_property_is_named_with_the_properties_there_are(tmp_path):
    layer = BoundaryLayer("precincts", str(PRECINCTS), "precinct", "precinct")
    config = load_config(_config(tmp_path))
    with pytest.raises(BoundaryError, match=r"no property 'precinct'\. Did you mean 'PRECINCT'\?.*OBJECTID"):
        load_areas(config, layer)


def test_a_missing_file_is_one_sentence(tmp_path):
    config = load_config(_config(tmp_path, BLOCK.replace(str(PRECINCTS), "maps/precincts.geojson")))
    found, problems = load_all(config)
    assert "precinct" not in found
    assert "neighborhood" in found
    (problem,) = problems
    assert problem.startswith("boundaries.precincts:")
    assert "does not exist" in problem
    assert "Traceback" not in problem


def test_a_zipped_shapefile_in_another_projection_reads_as_the_same_areas(tmp_path):
    """The precincts saved as a shapefile in UTM metres (as many city portals publish them), zipped."""
    original = gpd.read_file(io.BytesIO(gzip.decompress(PRECINCTS.read_bytes())))
    folder = tmp_path / "shp"
    folder.mkdir()
    original[["PRECINCT", "geometry"]].to_crs("EPSG:26915").to_file(folder / "precincts.shp")
    archive = tmp_path / "precincts.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    config = load_config(_config(tmp_path))
    areas = load_areas(config, BoundaryLayer("p", str(archive), "PRECINCT", "precinct"))
    assert str(areas.frame.crs) == "EPSG:4326"
    back = areas.frame.set_index("area").geometry
    for row in original.itertuples():
        assert back[str(row.PRECINCT)].symmetric_difference(row.geometry).area < 1e-9 * row.geometry.area + 1e-12


def test_numbers_that_are_not_degrees_without_a_coordinate_system_are_refused(tmp_path):
    data = _features(PRECINCTS)
    for feature in data["features"]:  # shift every point to state-plane-like feet
        feature["geometry"]["coordinates"] = [
            [[x * 10000 + 2e6, y * 10000] for x, y in ring] for ring in feature["geometry"]["coordinates"]
        ]
    path = tmp_path / "feet.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    config = load_config(_config(tmp_path))
    # GeoJSON is degrees by definition; a reader that assumed so would place nothing. The loader says why.
    with pytest.raises(BoundaryError, match="not degrees"):
        load_areas(config, BoundaryLayer("p", str(path), "PRECINCT", "precinct"))


# Web layers ---------------------------------------------------------------------------------------------------


def _web_config(tmp_path: Path, location: str, platform: str = "") -> tuple:
    extra = f"\n    platform: {platform}" if platform else ""
    block = f"""
boundaries:
  precincts:
    location: {location}{extra}
    area_property: PRECINCT
    column: precinct
"""
    config = load_config(_config(tmp_path, block))
    (tmp_path / "data").mkdir(exist_ok=True)
    return config, Store(tmp_path)


def test_a_web_layer_is_snapshotted_in_the_manifest_and_read_back_exactly(tmp_path):
    with FileHostFake() as host:
        url = host.put(
            "/maps/precincts.geojson", gzip.decompress(PRECINCTS.read_bytes()), content_type="application/json"
        )
        config, store = _web_config(tmp_path, url)
        (layer,) = config.boundaries
        with pytest.raises(BoundaryError, match="has not been downloaded yet"):
            load_areas(config, layer, store)
        with quick_http() as http:
            first, new = fetch_layer(config, layer, store, http)
            again, new_again = fetch_layer(config, layer, store, http)
    assert new
    assert not new_again
    assert again == first
    assert (first.topic, first.source, first.location, first.rows) == (TOPIC, "boundaries.precincts", url, 5)
    assert [s.file for s in store.snapshots(TOPIC)] == [first.file]
    fetched = load_areas(config, layer, store).frame.set_index("area")
    local = load_areas(config, BoundaryLayer("p", str(PRECINCTS), "PRECINCT", "precinct")).frame.set_index("area")
    assert fetched.geometry.geom_equals_exact(local.geometry, tolerance=0).all()


def test_a_failed_download_keeps_the_last_good_snapshot(tmp_path):
    with FileHostFake() as host:
        url = host.put("/precincts.geojson", gzip.decompress(PRECINCTS.read_bytes()))
        config, store = _web_config(tmp_path, url)
        with quick_http() as http:
            (line,), none_failed = fetch_boundaries(config, store, http)
            manifest = store.manifest_path.read_bytes()
            host.files.clear()  # the server now answers 404
            (failed,), one_failed = fetch_boundaries(config, store, http)
    assert "5 areas" in line
    assert "new snapshot" in line
    assert none_failed == 0
    assert failed.startswith("boundaries.precincts: FAILED:")
    assert "404" in failed
    assert one_failed == 1
    assert store.manifest_path.read_bytes() == manifest
    assert sorted(load_areas(config, config.boundaries[0], store).names) == ["1", "2", "3", "4", "5"]


class _ArcGISLayer(FakePortal):
    """An ArcGIS feature layer answering f=geojson two features at a time, as a capped server does."""

    def __init__(self, features: list[dict]) -> None:
        super().__init__()
        self.features = features

    def handle(self, request) -> Reply:  # type: ignore[no-untyped-def]
        if not request.path.endswith("/FeatureServer/0/query") or request.params.get("f") != "geojson":
            return Reply(400, json.dumps({"error": {"code": 400, "message": "Invalid URL"}}).encode())
        start = int(request.params.get("resultOffset", "0"))
        page = self.features[start : start + 2]
        body = {"type": "FeatureCollection", "features": page}
        if start + 2 < len(self.features):
            body["exceededTransferLimit"] = True
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/geo+json"})


def test_an_arcgis_layer_is_read_page_by_page(tmp_path):
    features = _features(PRECINCTS)["features"]
    with _ArcGISLayer(features) as server:
        url = f"{server.url}/arcgis/rest/services/Police/Precincts/FeatureServer/0"
        config, store = _web_config(tmp_path, url)
        with quick_http() as http:
            snap, _ = fetch_layer(config, config.boundaries[0], store, http)
        pages = [r.params.get("resultOffset") for r in server.requests]
    assert pages == ["0", "2", "4"]
    assert snap.rows == 5
    assert snap.query["kind"] == "arcgis"
    assert sorted(load_areas(config, config.boundaries[0], store).names) == ["1", "2", "3", "4", "5"]


def test_a_socrata_dataset_is_fetched_through_its_geojson_export(tmp_path):
    body = gzip.decompress(PRECINCTS.read_bytes())
    with FileHostFake() as host:
        host.put("/api/geospatial/ab12-cd34", body, content_type="application/json")
        config, store = _web_config(tmp_path, f"{host.url}/resource/ab12-cd34.json", platform="socrata")
        with quick_http() as http:
            snap, _ = fetch_layer(config, config.boundaries[0], store, http)
        (request,) = host.requests
    assert request.params == {"method": "export", "format": "GeoJSON"}
    assert snap.query["kind"] == "socrata"
    assert snap.rows == 5


def test_a_web_page_instead_of_a_layer_is_reported(tmp_path):
    with FileHostFake() as host:
        url = host.put("/precincts", b"<html><body>Sign in</body></html>", content_type="text/html")
        config, store = _web_config(tmp_path, url, platform="file")
        with quick_http() as http, pytest.raises((BoundaryError, SourceError), match="could not be read"):
            fetch_layer(config, config.boundaries[0], store, http)
    assert not store.snapshots(TOPIC)
