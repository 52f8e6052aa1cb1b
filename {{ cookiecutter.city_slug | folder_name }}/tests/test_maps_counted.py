"""Maps read the data counted (one row per distinct combination of the values they need, with how many rows it
stands for): on the real Minneapolis stops, every count, rate, test and chart must equal the one made from the rows
one by one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from safety_toolkit import map_charts, maps
from safety_toolkit.analysis import Dataset
from safety_toolkit.standardize import processed_path

from .boundary_layers import layer
from .presets import standardize_preset

COLUMNS = ("subject_race", "search_vehicle", "search_person")


@pytest.fixture(scope="module")
def stops(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stops counted (as rows_for_maps reads them) and one by one (the same columns, a row per stop). Some
    stops are repeated (the first 300 twice more, the first 100 once more), so counts of 1 to 4 are weighed."""
    root = tmp_path_factory.mktemp("counted")
    standardize_preset(root, "minneapolis_stops_cardata")
    ds = Dataset(processed_path(root, "police_stops"))
    path = "'" + ds.path.as_posix() + "'"
    ds.con.execute(
        f"CREATE OR REPLACE VIEW everything AS SELECT * FROM read_parquet({path}) UNION ALL "
        f"(SELECT * FROM read_parquet({path}) LIMIT 300) UNION ALL (SELECT * FROM read_parquet({path}) LIMIT 300) "
        f"UNION ALL (SELECT * FROM read_parquet({path}) LIMIT 100)"
    )
    counted = maps.rows_for_maps(ds, *COLUMNS)
    read = [c for c in counted.columns if c != maps.ROWS]
    single = ds.query("SELECT " + ", ".join(f'"{c}"' for c in read) + " FROM data")
    assert len(single) == 1_100
    assert counted[maps.ROWS].sum() == len(single)
    assert counted[maps.ROWS].max() >= 4
    return counted, single


@pytest.mark.parametrize(
    ("file", "name", "column"),
    [
        ("minneapolis_police_precincts.geojson.gz", "PRECINCT", "precinct"),
        ("minneapolis_neighborhoods.geojson.gz", "name", "neighborhood"),
    ],
)
def test_counted_rows_give_the_same_areas_rates_and_tests(stops, file, name, column):
    counted, single = stops
    areas = layer(file, name, column)
    by_count, by_row = maps.stops_by_area(counted, areas), maps.stops_by_area(single, areas)
    pd.testing.assert_frame_equal(by_count.counts.table, by_row.counts.table, check_dtype=False)
    pd.testing.assert_frame_equal(by_count.comparison, by_row.comparison, check_dtype=False)
    placement, expected = by_count.counts.placement, by_row.counts.placement
    assert (placement.total, placement.placed, placement.agreement) == (
        expected.total,
        expected.placed,
        expected.agreement,
    )
    assert placement.summary() == expected.summary()
    pd.testing.assert_frame_equal(placement.problems, expected.problems, check_dtype=False)


def test_counted_rows_placed_by_name_give_the_same_counts(stops):
    counted, single = stops
    areas = layer("minneapolis_neighborhoods.geojson.gz", "name", "neighborhood")
    no_points = [c for c in counted.columns if c not in ("lat", "lng")]
    by_count = maps.place_names(counted[no_points], areas)
    by_row = maps.place_names(single.drop(columns=["lat", "lng"]), areas)
    assert (by_count.total, by_count.placed) == (by_row.total, by_row.placed)
    pd.testing.assert_frame_equal(by_count.problems, by_row.problems, check_dtype=False)
    pd.testing.assert_frame_equal(by_count.unmatched, by_row.unmatched, check_dtype=False)


def test_counted_points_draw_the_same_density_map(stops):
    counted, single = stops
    by_count, by_row = maps.usable_points(counted), maps.usable_points(single)
    assert (by_count.usable, by_count.total) == (len(by_row.frame), by_row.total)
    pd.testing.assert_frame_equal(by_count.problems, by_row.problems, check_dtype=False)
    for threshold in (1, 10):
        cells = [
            map_charts.density_map(points, threshold=threshold).axes[0].collections[0]
            for points in (by_count, by_row)
        ]
        assert np.array_equal(cells[0].get_array(), cells[1].get_array())
        assert np.allclose(cells[0].get_offsets(), cells[1].get_offsets())
