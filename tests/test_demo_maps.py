"""The demo's boundary layers: the block `make demo` adds to toolkit.yaml loads, and on all 51,920 real stops of
2017 the toolkit's counts per precinct equal those shapely gives directly, with the stops outside every
precinct counted."""

from __future__ import annotations

import json
import sys
import textwrap

import numpy as np
import pandas as pd
import shapely

from .baking import DEMO_DATA, TEMPLATE_DIR, run
from .demo import boundaries_block, layer

# Run with the template's own safety_toolkit package (copied verbatim into every toolkit).
SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import pandas as pd
    from safety_toolkit.boundaries import load_all
    from safety_toolkit.config import load_config
    from safety_toolkit import maps

    config = load_config(sys.argv[1])
    found, problems = load_all(config)
    stops = pd.read_csv(sys.argv[2], usecols=["lat", "long", "policePrecinct"])
    stops = stops.rename(columns={"long": "lng", "policePrecinct": "precinct"})
    placement = maps.place(stops, found["precinct"])
    table = maps.count_by_area(placement, "stops").table
    print(json.dumps({
        "problems": problems,
        "layers": {column: sorted(areas.names) for column, areas in found.items()},
        "method": placement.method,
        "counts": dict(zip(table["area"], table["stops"].astype(int).tolist())),
        "reasons": dict(zip(placement.problems["reason"], placement.problems["rows"].astype(int).tolist())),
        "agreement": placement.agreement,
        "with_residents": int(found["neighborhood"].frame["residents"].notna().sum()),
    }))
    """
)


def test_the_demo_layers_load_and_count_every_stop_as_shapely_does(tmp_path):
    config = tmp_path / "toolkit.yaml"
    minneapolis = "city: Minneapolis\nstate: MN\ntimezone: America/Chicago\ntopics: {}\n"
    config.write_text(minneapolis + boundaries_block(), "utf-8")
    # With -c, the working folder (the template's toolkit folder) is where Python finds safety_toolkit; -B: no
    # bytecode written there (it would be baked into every toolkit).
    done = run([sys.executable, "-B", "-c", SCRIPT, str(config), str(DEMO_DATA)], cwd=TEMPLATE_DIR, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)

    precincts = layer("minneapolis_police_precincts.geojson.gz")
    neighborhoods = layer("minneapolis_neighborhoods.geojson.gz")
    assert result["problems"] == []
    assert result["layers"]["precinct"] == sorted(precincts["PRECINCT"])
    assert result["layers"]["neighborhood"] == sorted(neighborhoods["name"])
    assert 70 < result["with_residents"] < len(neighborhoods)  # 2017 names the 2013 layer lacks get none

    stops = pd.read_csv(DEMO_DATA, usecols=["lat", "long", "policePrecinct"])
    points = shapely.points(stops["long"].to_numpy(), stops["lat"].to_numpy())
    shapely.prepare(precincts.geometry.values)
    covered = [shapely.covers(polygon, points) for polygon in precincts.geometry]  # a row per precinct
    expected, taken = {}, np.zeros(len(stops), dtype=bool)
    for name, inside in zip(precincts["PRECINCT"], covered, strict=True):
        expected[name] = int((inside & ~taken).sum())  # a point on a shared border counts once, in the first
        taken |= inside
    assert result["method"] == "coordinates"
    assert result["counts"] == expected
    outside = int((~taken).sum())
    assert outside > 0
    assert result["reasons"] == {"outside the boundary layer's areas": outside}
    assert sum(expected.values()) + outside == len(stops) == 51_920
    agree, both = result["agreement"]
    assert both == sum(expected.values())
    assert agree / both > 0.99
