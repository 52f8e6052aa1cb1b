"""How fast rows are placed in areas, and how much memory it takes, against a plain loop of shapely tests.

    python benchmarks/maps.py                 (20,000 / 200,000 / 2,000,000 points; about a minute)
    python benchmarks/maps.py --rows 50000

The points are the 400 real Minneapolis stops of tests/fixtures, each repeated with a jitter of up to 300 m, and
the areas the city's 5 police precincts. For each size it prints seconds, points per second and the peak memory
added (resident set, MB) of `maps.place_points` (a spatial join in slices); the baseline is what a script
without a spatial index does: a Python loop asking each precinct whether it covers each point, run on the
smallest size only (its time grows in proportion to the rows, as the toolkit's does).

On a 2-core laptop-class machine: 20,000 points 0.11 s against 0.40 s for the loop (same counts); 2,000,000
points in 19 s with 282 MB of peak memory added.
"""

from __future__ import annotations

import argparse
import gzip
import io
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import shapely  # noqa: E402

from safety_toolkit import maps  # noqa: E402
from safety_toolkit.boundaries import areas_from_features  # noqa: E402
from safety_toolkit.config import BoundaryLayer  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def points(rows: int) -> pd.DataFrame:
    sample = pd.read_csv(FIXTURES / "minneapolis_stops_2017_sample.csv", usecols=["lat", "long"])
    rng = np.random.default_rng(2017)
    picked = sample.iloc[rng.integers(0, len(sample), rows)].to_numpy()
    jitter = rng.uniform(-0.0027, 0.0027, size=(rows, 2))  # about 300 m
    return pd.DataFrame({"lat": picked[:, 0] + jitter[:, 0], "lng": picked[:, 1] + jitter[:, 1]})


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def loop(frame: pd.DataFrame, areas) -> dict[str, int]:  # type: ignore[no-untyped-def]
    counts = dict.fromkeys(areas.names, 0)
    polygons = list(zip(areas.names, areas.frame.geometry, strict=True))
    for lat, lng in zip(frame["lat"], frame["lng"], strict=True):
        point = shapely.Point(lng, lat)
        for name, polygon in polygons:
            if polygon.covers(point):
                counts[name] += 1
                break
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="*", default=[20_000, 200_000, 2_000_000])
    args = parser.parse_args()
    layer = BoundaryLayer("precincts", "", "PRECINCT", "precinct")
    raw = gzip.decompress((FIXTURES / "boundaries" / "minneapolis_police_precincts.geojson.gz").read_bytes())
    areas = areas_from_features(gpd.read_file(io.BytesIO(raw)), layer, "benchmark")
    print(f"{'rows':>10}  {'method':<26}{'seconds':>9}  {'points/s':>11}  {'peak MB':>8}  same counts")
    for rows in sorted(args.rows):
        frame = points(rows)
        before = peak_mb()
        start = time.perf_counter()
        placement = maps.place_points(frame, areas)
        seconds = time.perf_counter() - start
        counted = maps.count_by_area(placement, "rows").table.set_index("area")["rows"].to_dict()
        print(
            f"{rows:>10,}  {'toolkit (spatial join)':<26}{seconds:>9.2f}  {rows / seconds:>11,.0f}  "
            f"{peak_mb() - before:>8.0f}"
        )
        if rows == min(args.rows):
            start = time.perf_counter()
            baseline = loop(frame, areas)
            seconds = time.perf_counter() - start
            same = "yes" if baseline == counted else f"NO: {baseline} vs {counted}"
            speed = rows / seconds
            print(f"{rows:>10,}  {'plain loop (baseline)':<26}{seconds:>9.2f}  {speed:>11,.0f}  {'':>8}  {same}")


if __name__ == "__main__":
    main()
