"""Counting where things happen, on real data: Minneapolis stops, use of force and incident reports with the
city's precincts and neighborhoods, and Queens arrests with the Queens precincts. Every count per area is
checked against shapely or pandas directly; the maps are checked as a phone would show them."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import shapely
from scipy import stats

from safety_toolkit import map_charts, maps
from safety_toolkit.boundaries import Areas, areas_from_features, read_layer_file
from safety_toolkit.config import BoundaryLayer

from .boundary_layers import LAYERS, layer
from .presets import FIXTURES


@pytest.fixture(scope="module")
def precincts() -> Areas:
    return layer("minneapolis_police_precincts.geojson.gz", "PRECINCT", "precinct")


@pytest.fixture(scope="module")
def neighborhoods() -> Areas:
    return layer("minneapolis_neighborhoods.geojson.gz", "name", "neighborhood")


@pytest.fixture(scope="module")
def queens() -> Areas:
    return layer("nyc_police_precincts_queens_simplified.geojson.gz", "precinct", "precinct")


@pytest.fixture
def stops(standardized) -> pd.DataFrame:
    return standardized("minneapolis_stops_cardata").frame()


@pytest.fixture
def arrests(standardized) -> pd.DataFrame:
    return standardized("nyc_arrests").frame()


@pytest.fixture
def milwaukee(standardized) -> pd.DataFrame:
    return standardized("milwaukee_calls_for_service").frame()


def independent_counts(frame: pd.DataFrame, areas: Areas) -> tuple[dict[str, int], int]:
    """Points per area with shapely alone: a point covered by two areas (on a shared border) goes to the
    first area of the layer, as the map does; and the points with degrees that no area covers."""
    counts = dict.fromkeys(areas.names, 0)
    outside = 0
    polygons = list(zip(areas.names, areas.frame.geometry, strict=True))
    for lat, lng in zip(frame["lat"], frame["lng"], strict=True):
        if pd.isna(lat) or pd.isna(lng) or lat == 0 or lng == 0:
            continue
        point = shapely.Point(lng, lat)
        hit = next((name for name, polygon in polygons if polygon.covers(point)), None)
        if hit is None:
            outside += 1
        else:
            counts[hit] += 1
    return counts, outside


# Name matching --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recorded", "layer_name"),
    [
        ("Precinct 01", "1"),
        ("1st Precinct", "1"),
        (3.0, "3"),
        ("  4 ", "4"),
        ("Willard - Hay", "Willard-Hay"),
        ("CEDAR RIVERSIDE", "Cedar-Riverside"),
        ("Steven's Square", "Stevens Square"),
        ("St. Anthony East", "St Anthony East"),
    ],
)
def test_area_names_match_across_spellings(recorded, layer_name):
    assert maps.normalise_area(recorded) == maps.normalise_area(layer_name) != ""


def test_different_areas_stay_different():
    assert maps.normalise_area("Precinct 1") != maps.normalise_area("Precinct 11")
    assert maps.normalise_area("Windom") != maps.normalise_area("Windom Park")


def test_use_of_force_neighborhoods_match_by_name_with_the_unmatched_listed(standardized, neighborhoods):
    force = standardized("minneapolis_use_of_force_openintro").frame()
    result = maps.force_by_area(force, neighborhoods)
    placement = result.placement
    assert placement.method == "names"  # this data has no coordinates
    recorded = force["neighborhood"].dropna().astype(str).str.strip()
    recorded = recorded[recorded != ""]
    keys = {maps.normalise_area(n): n for n in neighborhoods.names}
    expected = recorded.map(lambda name: keys.get(maps.normalise_area(name))).value_counts()
    table = result.table.set_index("area")["uses_of_force"]
    assert table[table > 0].to_dict() == expected.to_dict()
    # The 2013 layer predates names the data uses ("Steven's Square - Loring Heights"): listed, with their rows.
    unmatched = placement.unmatched.set_index("value")["rows"]
    assert (
        unmatched.to_dict()
        == recorded[recorded.map(lambda n: maps.normalise_area(n) not in keys)].value_counts().to_dict()
    )
    assert len(unmatched)
    assert int(table.sum()) + int(unmatched.sum()) == len(recorded)
    assert placement.placed == int(table.sum())


# Points in polygons ---------------------------------------------------------------------------------------------


def test_stops_per_precinct_match_shapely_and_the_outside_points_are_counted(stops, precincts):
    result = maps.stops_by_area(stops, precincts)
    counts = result.counts
    expected, outside = independent_counts(stops, precincts)
    assert counts.placement.method == "coordinates"
    assert counts.table.set_index("area")["stops"].to_dict() == expected
    problems = counts.placement.problems.set_index("reason")["rows"].to_dict()
    assert problems.get(maps.OUTSIDE, 0) == outside
    assert counts.placement.placed + sum(problems.values()) == len(stops)
    # The precinct the officer recorded agrees with the one the point falls in for nearly every stop.
    agree, both = counts.placement.agreement
    assert both > 0.9 * len(stops)
    assert agree / both > 0.95


def test_the_map_is_drawn_from_the_counted_table(stops, precincts):
    counts = maps.stops_by_area(stops, precincts).counts
    svg = map_charts.to_svg(map_charts.area_map(counts, label="stops"))
    text = " ".join(re.findall(r">([^<>]+)</text>", svg))
    for row in counts.table.itertuples():
        assert f"{row.area}" in text
        assert f"{row.stops:,}" in text


def test_queens_arrests_per_precinct_match_shapely(arrests, queens):
    placement = maps.place(arrests, queens)
    expected, outside = independent_counts(arrests, queens)
    table = maps.count_by_area(placement, "arrests").table.set_index("area")["arrests"]
    assert table.to_dict() == expected
    assert placement.problems.set_index("reason")["rows"].get(maps.OUTSIDE, 0) == outside
    assert len(queens.names) == 16
    assert set(queens.names) <= {str(n) for n in range(100, 116)}
    agree, both = placement.agreement
    assert both >= 0.9 * len(arrests)
    assert agree / both > 0.95


def test_queens_precinct_numbers_match_by_name(arrests, queens):
    placement = maps.place_names(arrests, queens)
    assert placement.unmatched.empty
    counted = maps.count_by_area(placement, "arrests").table.set_index("area")["arrests"]
    recorded = arrests["precinct"].astype(str).str.strip().value_counts()
    assert counted[counted > 0].to_dict() == recorded.to_dict()


def test_impossible_coordinates_are_counted_by_reason_and_never_placed(queens):
    raw = pd.read_csv(FIXTURES / "arrests" / "nyc_queens_arrests_2021_sample.csv", dtype=str).head(30)
    frame = pd.DataFrame({"lat": raw["Latitude"].astype(float), "lng": raw["Longitude"].astype(float)})
    frame.loc[0:2, ["lat", "lng"]] = 0.0  # null island
    frame.loc[3:5, ["lat", "lng"]] = frame.loc[3:5, ["lng", "lat"]].to_numpy()  # swapped
    # The publisher's own state-plane feet (X_COORD_CD, Y_COORD_CD) in the degree columns.
    frame.loc[6:8, "lng"] = raw.loc[6:8, "X_COORD_CD"].astype(float)
    frame.loc[6:8, "lat"] = raw.loc[6:8, "Y_COORD_CD"].astype(float)
    frame.loc[9:10, ["lat", "lng"]] = [44.9778, -93.2650]  # Minneapolis: degrees, but not in Queens
    frame.loc[11, "lat"] = None
    placement = maps.place_points(frame, queens)
    problems = placement.problems.set_index("reason")["rows"].to_dict()
    assert problems == {maps.MISSING: 1, maps.ZERO: 3, maps.SWAPPED: 3, maps.PROJECTED: 3, maps.OUTSIDE: 2}
    assert placement.frame.loc[:11, "area"].isna().all()
    assert placement.frame.loc[12:, "area"].notna().all()
    assert placement.placed == 30 - 12
    assert "18 of 30 rows were placed" in placement.summary()


def test_coordinates_that_place_nothing_give_way_to_the_precinct_recorded(arrests, queens):
    raw = pd.read_csv(FIXTURES / "arrests" / "nyc_queens_arrests_2021_sample.csv", dtype=str)
    feet = arrests.assign(
        lng=raw["X_COORD_CD"].astype(float).to_numpy(), lat=raw["Y_COORD_CD"].astype(float).to_numpy()
    )
    feet.loc[:9, "precinct"] = None
    placement = maps.place(feet, queens)
    assert placement.method == "names"
    assert placement.problems.set_index("reason")["rows"].to_dict() == {"no precinct recorded": 10}
    assert placement.placed == len(feet) - 10


# Small counts, rates, residents -------------------------------------------------------------------------------


def test_small_areas_are_hatched_and_their_numbers_hidden_when_suppressing(stops, neighborhoods):
    threshold = 8
    flagged = maps.stops_by_area(stops, neighborhoods, threshold=threshold)
    hidden = maps.stops_by_area(stops, neighborhoods, threshold=threshold, suppress=True)
    table = flagged.counts.table
    small = table[table["stops"] < threshold]
    assert len(small)
    assert len(small) < len(table)
    assert (table["small"] == (table["stops"] < threshold)).all()
    shown = hidden.counts.shown().set_index("area")
    assert shown.loc[small["area"], ["stops", "searched", "searched_flagged", "share"]].isna().all().all()
    big = table[~table["small"]].iloc[0]
    assert shown.loc[big["area"], "stops"] == big["stops"]
    svg = map_charts.to_svg(map_charts.area_map(hidden.counts, names=True))
    assert "<pattern" in svg  # the hatching
    assert _smallest_text_at_phone_width(svg) >= 11  # with the longest legend: classes, hatching, hidden
    labels = re.findall(r">([^<>]+)</text>", svg)
    assert f"&lt;{threshold}" in labels or f"<{threshold}" in " ".join(labels)
    for row in small.itertuples():
        assert f"{row.area} {row.stops}" not in " ".join(labels)


def test_search_rates_per_area_and_the_reference_comparison_match_scipy(stops, precincts):
    result = maps.stops_by_area(stops, precincts, min_stops=20)
    assert result.search == maps.search_column(stops)
    placed = result.counts.placement.frame
    flag = placed[result.search].astype("boolean")
    table = result.counts.table.set_index("area")
    for area, rows in placed[placed["area"].notna()].groupby("area"):
        recorded = flag[rows.index].dropna()
        assert table.loc[area, "searched_recorded"] == len(recorded)
        assert table.loc[area, "searched"] == pytest.approx(recorded.mean())
    compared = result.comparison[result.comparison["p_value"].notna()]
    assert len(compared)
    row = compared.iloc[0]
    contingency = [
        [row["searches"], row["stops"] - row["searches"]],
        [row["reference_searches"], row["reference_stops"] - row["reference_searches"]],
    ]
    expected = stats.contingency.expected_freq(contingency)
    p = stats.fisher_exact(contingency).pvalue if expected.min() < 5 else stats.chi2_contingency(contingency).pvalue
    assert row["p_value"] == pytest.approx(p)
    assert (result.comparison["p_holm"].dropna() >= result.comparison["p_value"].dropna()).all()
    too_few = result.comparison[result.comparison["p_value"].isna()]
    assert (too_few[["stops", "reference_stops"]].min(axis=1) < 20).all()
    assert too_few["note"].str.startswith("too few stops").all()


def test_rates_per_resident_only_where_the_layer_gives_residents(tmp_path, stops):
    import gzip
    import json

    data = json.loads(gzip.decompress((LAYERS / "minneapolis_police_precincts.geojson.gz").read_bytes()))
    residents = {"1": 40000, "2": 80000, "3": None, "4": 60000, "5": 90000}  # made-up figures for the test
    for feature in data["features"]:
        feature["properties"]["residents"] = residents[feature["properties"]["PRECINCT"]]
    (tmp_path / "p.geojson").write_text(json.dumps(data), encoding="utf-8")
    spec = BoundaryLayer("p", str(tmp_path / "p.geojson"), "PRECINCT", "precinct", population_property="residents")
    with_people = areas_from_features(read_layer_file(tmp_path / "p.geojson", spec), spec, "test")
    table = maps.stops_by_area(stops, with_people).counts.table.set_index("area")
    for area, people in residents.items():
        if people is None:
            assert pd.isna(table.loc[area, "per_1000"])
        else:
            assert table.loc[area, "per_1000"] == pytest.approx(table.loc[area, "stops"] / people * 1000)
    plain = maps.stops_by_area(stops, layer("minneapolis_police_precincts.geojson.gz", "PRECINCT", "precinct"))
    assert plain.counts.table["per_1000"].isna().all()  # no population given: no rate invented


def test_residents_from_a_table_give_stops_per_resident_where_the_names_match(stops, neighborhoods):
    people = pd.read_csv(LAYERS / "minneapolis_neighborhood_demographics.csv")
    areas, match = maps.with_residents(neighborhoods, people, "neighborhood", "population")
    table = maps.stops_by_area(stops, areas).counts.table.set_index("area")
    keys = {maps.normalise_area(n): n for n in neighborhoods.names}
    named = people.assign(area=people["neighborhood"].map(lambda n: keys.get(maps.normalise_area(n))))
    matched = named.dropna(subset=["area"]).set_index("area")["population"]
    assert len(matched) > 70  # most of the 84 names are in the 2013 layer
    for area, residents in matched.items():
        assert table.loc[area, "per_1000"] == pytest.approx(table.loc[area, "stops"] / residents * 1000)
    missing = set(neighborhoods.names) - set(matched.index)
    assert missing
    assert table.loc[sorted(missing), "per_1000"].isna().all()
    # Mid-City Industrial has 240 residents: its rate per resident is drawn hatched as unstable.
    assert table["few_residents"].to_dict() == {a: bool(table.loc[a, "residents"] < 1000) for a in table.index}
    assert table.loc["Mid-City Industrial", "few_residents"]
    counted = maps.stops_by_area(stops, areas, threshold=0).counts  # no area small: the hatching is for residents
    svg = map_charts.to_svg(map_charts.area_map(counted, "per_1000"))
    assert "fewer than 1,000 residents" in svg
    assert "no data" in svg
    assert set(match.unmatched["value"]) == set(named.loc[named["area"].isna(), "neighborhood"])


# Other topics -------------------------------------------------------------------------------------------------


def test_incident_reports_per_precinct(standardized, precincts):
    incidents = standardized("minneapolis_police_incidents_pims").frame()
    result = maps.requests_by_area(incidents, precincts, count="incidents")
    expected, outside = independent_counts(incidents, precincts)
    assert result.placement.method == "coordinates"
    assert result.table.set_index("area")["incidents"].to_dict() == expected
    assert result.placement.problems.set_index("reason")["rows"].get(maps.OUTSIDE, 0) == outside


def hull_areas(frame: pd.DataFrame, column: str) -> Areas:
    """With no boundary file for the city here, areas drawn around each district's own points (the convex hull,
    a little widened): the tests using them are of the counting, not of the geometry."""
    import geopandas as gpd

    rows = frame[frame["lat"].notna() & frame[column].notna()]
    hulls = {
        name: shapely.MultiPoint(list(zip(g["lng"], g["lat"], strict=True))).convex_hull.buffer(1e-4)
        for name, g in rows.groupby(column)
    }
    features = gpd.GeoDataFrame({column: list(hulls)}, geometry=list(hulls.values()), crs="EPSG:4326")
    spec = BoundaryLayer(column, "hulls", column, column)
    return areas_from_features(features, spec, "test")


def test_calls_listed_once_per_unit_count_once(standardized):
    """San Francisco fire and EMS calls list one row per responding unit."""
    calls = standardized("sf_fire_calls_for_service").frame()
    calls = calls[calls["lat"].notna()]
    result = maps.calls_by_area(calls, hull_areas(calls, "district"))
    first = calls[~calls["call_id"].duplicated()]
    assert len(first) < len(calls)  # several units per call
    assert len(result.placement.frame) == len(first)
    assert result.table["calls"].sum() == result.placement.placed
    # Fire and EMS calls are not in the question of an armed police response.
    assert (first["agency"] == "fire and ems").all()
    assert result.table["may_not_need_armed_response_recorded"].sum() == 0


def test_the_share_of_calls_that_may_not_need_an_armed_response_per_area(milwaukee):
    from safety_toolkit.analysis.emergency_911 import UNARMED_RESPONSE

    calls = milwaukee
    result = maps.calls_by_area(calls, hull_areas(calls, "district"))
    placed = result.placement.frame
    placed = placed[placed["area"].notna()]
    words = [w for ws in UNARMED_RESPONSE.values() for w in ws]
    public = placed[
        placed["call_type"].notna()
        & ~placed["officer_initiated"].fillna(False).astype(bool)
        & (placed["agency"].fillna("") != "fire and ems")
    ]
    unarmed = public["call_type"].str.lower().map(lambda t: any(w in t for w in words))
    table = result.table.set_index("area")
    assert unarmed.any()
    assert not unarmed.all()
    for area, block in unarmed.groupby(public["area"]):
        assert table.loc[area, "may_not_need_armed_response_recorded"] == len(block)
        assert table.loc[area, "may_not_need_armed_response"] == pytest.approx(block.mean())


def test_points_without_boundaries_make_a_density_map(milwaukee):
    calls = milwaukee
    points = maps.usable_points(calls)
    reasons = points.problems.set_index("reason")["rows"].to_dict()
    assert len(points.frame) + sum(reasons.values()) == len(calls)
    assert set(reasons) <= set(maps.REASONS)
    assert len(points.frame) > 0.5 * len(calls)
    svg = map_charts.to_svg(map_charts.density_map(points, label="calls per hexagon"))
    assert "calls per hexagon" in svg
    assert "km" in svg
    assert not fetches(svg)


def test_without_boundaries_points_far_from_the_centre_are_counted_not_drawn(milwaukee):
    calls = milwaukee.head(40).reset_index(drop=True)
    calls = calls[calls["lat"].notna()].reset_index(drop=True)
    centre = (float(calls["lat"].median()), float(calls["lng"].median()))
    calls.loc[0, ["lat", "lng"]] = [calls.loc[0, "lng"], calls.loc[0, "lat"]]  # swapped
    calls.loc[1, ["lat", "lng"]] = [44.9778, -93.2650]  # Minneapolis: about 480 km away
    calls.loc[2, "lng"] = 0.0
    # Two real calls among these were geocoded to Nebraska and New Jersey, hundreds of km away.
    misplaced = ((calls["lat"] - centre[0]).abs() > 1) | ((calls["lng"] - centre[1]).abs() > 1)
    assert int(misplaced.iloc[3:].sum()) == 2
    points = maps.usable_points(calls, center=centre)
    reasons = points.problems.set_index("reason")["rows"].to_dict()
    assert reasons == {maps.ZERO: 1, maps.SWAPPED: 1, maps.FAR: 1 + 2}
    assert len(points.frame) == len(calls) - 5
    # When small counts are suppressed, hexagons with fewer points than the threshold are not drawn.
    every = maps.usable_points(milwaukee)
    sparse = map_charts.density_map(every, threshold=5).axes[0].collections[0].get_array()
    dense = map_charts.density_map(every, threshold=1).axes[0].collections[0].get_array()
    assert 0 < len(sparse) < len(dense)
    assert sparse.min() >= 5
    assert dense.min() == 1
    assert sorted(dense[dense >= 5]) == sorted(sparse)


def test_only_the_columns_maps_need_are_read(standardized):
    ds = standardized("minneapolis_stops_cardata").dataset()
    frame = maps.rows_for_maps(ds, "subject_race", "search_vehicle", "no_such_column")
    # district and beat are standard columns too, but this data leaves them empty.
    read = ["lat", "lng", "precinct", "neighborhood", "subject_race", "search_vehicle"]
    assert list(frame.columns) == [*read, maps.ROWS]
    # Counted: each distinct combination once, standing for all the rows that share it.
    assert frame[maps.ROWS].sum() == ds.rows
    assert not frame.duplicated(subset=read).any()
    assert ds.scalar("SELECT count(*) FROM data WHERE precinct = '3' AND subject_race = 'black'") == (
        frame.loc[(frame["precinct"] == "3") & (frame["subject_race"] == "black"), maps.ROWS].sum()
    )


# Drawing -------------------------------------------------------------------------------------------------------


def fetches(svg: str) -> list[str]:
    """Addresses the SVG would load (tiles, fonts, images); namespace and metadata URIs load nothing."""
    return re.findall(r'(?:href|src)="(https?:[^"]*)"|url\((https?:[^)]*)\)|@import', svg)


def _smallest_text_at_phone_width(svg: str, width_px: float = 390) -> float:
    width = float(re.search(r'<svg[^>]*width="([\d.]+)pt"', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font(?:-size)?:\s*(?:[a-z]+\s+)*([\d.]+)px", svg)]
    assert sizes, "the SVG has no text as text"
    # The SVG's user unit is the point (width="Wpt", viewBox 0 0 W H); shown 390 px wide, a unit is 390/W px.
    return min(sizes) * width_px / width


def test_a_force_map_with_small_areas_stays_readable(standardized, neighborhoods):
    force = standardized("minneapolis_use_of_force_openintro").frame()
    result = maps.force_by_area(force, neighborhoods, threshold=5)
    assert result.table["small"].any()
    svg = map_charts.to_svg(map_charts.area_map(result, label="uses of force"))
    assert "fewer than 5 uses of force" in svg
    assert _smallest_text_at_phone_width(svg) >= 11


@pytest.mark.parametrize("column", ["precinct", "neighborhood"])
def test_maps_stay_readable_on_a_phone(stops, precincts, neighborhoods, column):
    areas = precincts if column == "precinct" else neighborhoods
    counts = maps.stops_by_area(stops, areas).counts
    svg = map_charts.to_svg(map_charts.area_map(counts, "searched", label="share of stops with a search", percent=True))
    assert _smallest_text_at_phone_width(svg) >= 11
    assert not fetches(svg)


def test_labels_from_the_data_are_drawn_literally(stops, precincts):
    renamed = precincts.frame.assign(area=["$5 fee", "x^2", r"\alpha", "4", "5"])
    spec = BoundaryLayer("p", "test", "area", "precinct")
    odd = Areas(spec, renamed, "test")
    placement = maps.place_points(stops, odd)
    svg = map_charts.to_svg(map_charts.area_map(maps.count_by_area(placement, "stops"), label="cost in $ per $"))
    texts = " ".join(re.findall(r">([^<>]+)</text>", svg))
    for literal in ("$5 fee", "x^2", r"\alpha", "cost in $ per $"):
        assert literal in texts


def test_the_description_gives_every_number(stops, precincts):
    counts = maps.stops_by_area(stops, precincts, threshold=10_000, suppress=True).counts
    sentence = map_charts.describe(counts)
    for row in counts.table.itertuples():
        shown = "hidden (fewer than 10000 stops)" if row.small else f"{row.stops:,}"
        assert f"{row.area}: {shown}" in sentence
