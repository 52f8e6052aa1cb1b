"""Fake open-data portals on 127.0.0.1 that answer like the real ones, with faults to inject.

The shapes follow each platform's documented and recorded answers (Socrata, ArcGIS REST, CKAN, Opendatasoft,
Carto, plain file hosts). No test reaches the internet.
"""

from .arcgis import ArcGISFake
from .carto import CartoFake
from .ckan import CkanFake
from .files import FileHostFake
from .opendatasoft import OpendatasoftFake
from .server import FakePortal, Reply
from .socrata import SocrataFake

__all__ = [
    "ArcGISFake",
    "CartoFake",
    "CkanFake",
    "FakePortal",
    "FileHostFake",
    "OpendatasoftFake",
    "Reply",
    "SocrataFake",
]
