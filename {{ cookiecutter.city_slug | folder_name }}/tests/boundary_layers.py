"""The boundary layers in tests/fixtures/boundaries (real precincts and neighborhoods), read as the maps read them."""

from __future__ import annotations

from safety_toolkit.boundaries import Areas, areas_from_features, read_layer_file
from safety_toolkit.config import BoundaryLayer

from .presets import FIXTURES

LAYERS = FIXTURES / "boundaries"


def layer(file: str, area_property: str, column: str, population: str | None = None) -> Areas:
    """The layer file's areas, named by `area_property`, with their population when `population` names it."""
    spec = BoundaryLayer(column, str(LAYERS / file), area_property, column, population_property=population)
    return areas_from_features(read_layer_file(LAYERS / file, spec), spec, file)
