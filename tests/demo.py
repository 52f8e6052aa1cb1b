"""The demo city, as `make demo` builds it: the bundled Minneapolis stops, the precinct and neighborhood layers
(catalog/demo/boundaries.yaml), and a bake with every report and page written."""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import geopandas as gpd
from cookiecutter.main import cookiecutter

from .baking import DEMO_DATA, NO_SOURCES, TEMPLATE, run

DEMO = TEMPLATE / "catalog" / "demo"


def boundaries_block() -> str:
    """The toolkit.yaml block `make demo` adds: the demo's boundary layers, with their real paths."""
    return (DEMO / "boundaries.yaml").read_text(encoding="utf-8").replace("@DEMO@", str(DEMO))


def layer(name: str) -> gpd.GeoDataFrame:
    """One of the demo's gzipped GeoJSON layers."""
    return gpd.read_file(io.BytesIO(gzip.decompress((DEMO / name).read_bytes())))


def build_demo(out: Path) -> None:
    """Bake the demo city in `out` with the stops data and the boundary layers, and run `all` (every report,
    the letters for the eight topics without data, the landing page)."""
    context = {**NO_SOURCES, "police_stops_source": str(DEMO_DATA)}
    project = Path(cookiecutter(str(TEMPLATE), no_input=True, output_dir=str(out), extra_context=context))
    with (project / "toolkit.yaml").open("a", encoding="utf-8") as config:
        config.write(boundaries_block())
    done = run([sys.executable, "-m", "safety_toolkit", "all"], cwd=project)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
