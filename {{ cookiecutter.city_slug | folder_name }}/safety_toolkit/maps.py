"""Where things happen: rows placed in areas (precincts, beats, districts, neighborhoods) and counted there.

A row is placed in an area in one of two ways:
- by its coordinates, with a point-in-polygon join against the boundary layer (geopandas), or
- by the area name the data records (its precinct, neighborhood...), matched to the layer's names after
  normalising case, spaces, leading zeros and words such as "Precinct" ("Precinct 01" matches "1").
Coordinates are preferred when they place most rows: they are checked against the geometry, and the area
the data records is then compared with the area the point falls in.

Coordinates that cannot be right are counted by reason and never drawn: missing, at 0,0, latitude and
longitude swapped, numbers that are not degrees (state-plane feet), or outside the city's boundaries.

Rows may come counted: a column ROWS says how many rows of the data each row stands for (rows_for_maps reads
the data that way, one row per distinct combination of the values maps need, so a file of millions of rows
arrives as thousands). Every count below adds up ROWS where the frame has it.

Every count per area carries a `small` flag (fewer rows than the small-count threshold): maps hatch those
areas, and when small counts are suppressed their numbers and the rates built on them are hidden.
Rates per resident are given only where the boundary layer gives the area's population.

In a report (config from toolkit.yaml, ds the topic's analysis Dataset):
    layers, problems = boundaries.load_all(config)     # {"precinct": Areas, ...}; a sentence per unusable layer
    rows = maps.rows_for_maps(ds, "subject_race", "search_vehicle")
    stops = maps.stops_by_area(rows, layers["precinct"], threshold=10, suppress=False)
    map_charts.area_map(stops.counts, "searched", label=stops.search_label, percent=True)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import shapely

from .boundaries import WGS84, Areas

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

    from .analysis import Dataset

# Why a row's coordinates were not used, in the order they are checked.
MISSING = "no coordinates"
ZERO = "a coordinate is 0 (a placeholder, not a place)"
SWAPPED = "latitude and longitude swapped"
PROJECTED = "not degrees (state-plane or other projected numbers)"
OUTSIDE = "outside the boundary layer's areas"
FAR = "far from the city's centre"
REASONS = (MISSING, ZERO, SWAPPED, PROJECTED, OUTSIDE, FAR)

ROWS = "_rows"  # how many rows of the data a row of a counted frame stands for (see rows_for_maps)
MIN_RESIDENTS = 1_000  # rates per resident of areas with fewer residents are hatched as unstable
CHUNK = 500_000  # points joined to the areas at a time
FAR_KM = 40.0  # without boundaries, points farther than this from the centre are not drawn
MIN_SHARE_WITH_POINTS = 0.5  # place by coordinates when they place at least this share of the rows
# Words that say what kind of area a name is, dropped before matching names.
AREA_WORDS = {"precinct", "pct", "district", "dist", "beat", "sector", "neighborhood", "neighbourhood", "area", "zone"}


def normalise_area(value: object) -> str:
    """The form area names are matched in: lower case, punctuation as spaces, no words such as
    "precinct", ordinals and leading zeros dropped ("Precinct 01" -> "1", "1st Precinct" -> "1",
    "Cedar-Riverside" -> "cedar riverside")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"['’]", "", str(value).casefold())  # "Steven's" -> "stevens"
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    kept = []
    for word in words:
        if word in AREA_WORDS:
            continue
        ordinal = re.fullmatch(r"0*(\d+)(?:st|nd|rd|th)?", word)
        kept.append(str(int(ordinal.group(1))) if ordinal else word)
    return " ".join(kept)


@dataclass(frozen=True)
class NameMatch:
    """How the names a column records match the layer's area names."""

    matched: dict[str, str]  # name as the data writes it -> area name in the layer
    unmatched: pd.DataFrame  # value, rows: names that match no area (their rows are not counted)
    ambiguous: list[str] = field(default_factory=list)  # layer names that normalise alike (matched to none)


def row_weights(frame: pd.DataFrame) -> pd.Series:
    """How many rows of the data each row of `frame` stands for: its ROWS column, or 1 each."""
    if ROWS in frame.columns:
        return frame[ROWS].astype("int64")
    return pd.Series(1, index=frame.index, dtype="int64")


def match_names(values: pd.Series, areas: Areas, weights: pd.Series | None = None) -> NameMatch:
    """Match the distinct values of an area column to the layer's names (see normalise_area); `weights`: how many
    rows each value stands for (1 each when not given)."""
    by_key: dict[str, list[str]] = {}
    for name in areas.names:
        by_key.setdefault(normalise_area(name), []).append(name)
    ambiguous = sorted(name for names in by_key.values() if len(names) > 1 for name in names)
    labels = values.dropna().astype(str).str.strip()
    labels = labels[labels != ""]
    if weights is None:
        counts = labels.value_counts()
    else:
        counts = weights.loc[labels.index].groupby(labels.to_numpy()).sum().sort_values(ascending=False, kind="stable")
    matched, unmatched = {}, []
    for value, rows in counts.items():
        names = by_key.get(normalise_area(value), [])
        if len(names) == 1:
            matched[str(value)] = names[0]
        else:
            unmatched.append((str(value), int(rows)))
    frame = pd.DataFrame(unmatched, columns=["value", "rows"]).sort_values(["rows", "value"], ascending=[False, True])
    return NameMatch(matched, frame.reset_index(drop=True), ambiguous)


# Checking coordinates ------------------------------------------------------------------------------------------


def coordinate_problems(
    lat: pd.Series,
    lng: pd.Series,
    inside: shapely.Geometry | None = None,
    center: tuple[float, float] | None = None,
    far_km: float = FAR_KM,
) -> pd.Series:
    """For each row, why its coordinates cannot be placed (one of REASONS), or <NA> when they look right.

    `inside` is the area the points should fall in (the union of a boundary layer); without it, points more
    than `far_km` from `center` (default: the median of the usable points) are "far from the city's centre"."""
    y = pd.to_numeric(lat, errors="coerce").to_numpy(dtype=float)
    x = pd.to_numeric(lng, errors="coerce").to_numpy(dtype=float)
    reason = pd.Series(pd.NA, index=lat.index, dtype="string")
    missing = pd.isna(x) | pd.isna(y)
    zero = ~missing & ((x == 0) | (y == 0))
    degrees = ~missing & ~zero & (abs(y) <= 90) & (abs(x) <= 180)
    if inside is not None:
        shapely.prepare(inside)
        within = degrees & shapely.intersects_xy(inside, x, y)
        swapped_ok = ~missing & ~zero & (abs(x) <= 90) & (abs(y) <= 180)
        swapped = ~within & swapped_ok & shapely.intersects_xy(inside, y, x)
    else:
        if center is None and degrees.any():
            center = (float(pd.Series(y[degrees]).median()), float(pd.Series(x[degrees]).median()))
        within = degrees & (_km(y, x, center) <= far_km) if center else degrees
        swapped = ~within & ~missing & ~zero & (_km(x, y, center) <= far_km) if center else ~within & False
    reason[missing] = MISSING
    reason[zero] = ZERO
    reason[~missing & ~zero & swapped] = SWAPPED
    rest = ~missing & ~zero & ~swapped & ~within
    reason[rest & ~degrees] = PROJECTED
    reason[rest & degrees] = OUTSIDE if inside is not None else FAR
    return reason


def _km(lat: ArrayLike, lng: ArrayLike, center: tuple[float, float]) -> NDArray[np.float64]:
    """Distance in km from the centre (equirectangular: plenty within a city)."""
    import numpy as np

    lat0, lng0 = center
    dy = (np.asarray(lat, dtype=float) - lat0) * 111.2
    dx = (np.asarray(lng, dtype=float) - lng0) * 111.2 * math.cos(math.radians(lat0))
    with np.errstate(invalid="ignore"):
        return np.nan_to_num(np.hypot(dx, dy), nan=np.inf)


def problem_counts(reasons: pd.Series, weights: pd.Series | None = None) -> pd.DataFrame:
    """reason, rows: every reason with at least one row, in the order of REASONS (rows summed from `weights`)."""
    counts = reasons.value_counts() if weights is None else weights[reasons.notna()].groupby(reasons.dropna()).sum()
    return pd.DataFrame(
        [(reason, int(counts[reason])) for reason in REASONS if counts.get(reason, 0)], columns=["reason", "rows"]
    )


def with_residents(areas: Areas, table: pd.DataFrame, name: str, residents: str) -> tuple[Areas, NameMatch]:
    """The layer with residents per area taken from a table (for when the boundary file has no population),
    matched by area name as rows are; the names of the table that match no area are listed, and areas the
    table does not name keep no population (no rate is invented for them)."""
    match = match_names(table[name], areas)
    figures = pd.to_numeric(table[residents], errors="coerce")
    by_area = (
        pd.DataFrame({"area": table[name].astype("string").str.strip().map(match.matched), "residents": figures})
        .dropna(subset=["area"])
        .groupby("area")["residents"]
        .sum(min_count=1)
    )
    frame = areas.frame.assign(residents=areas.frame["area"].map(by_area).where(lambda v: v >= 0))
    return Areas(areas.layer, frame, areas.source, areas.notes), match


# Placing rows in areas -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """The rows with the area each is counted in, and everything that kept rows out of the count."""

    frame: pd.DataFrame  # the rows given (maybe counted: ROWS), plus `area` (a layer name, or <NA>) and `problem`
    areas: Areas
    method: str  # "coordinates" or "names"
    problems: pd.DataFrame  # reason, rows: coordinates not used, or no area name recorded
    unmatched: pd.DataFrame  # value, rows: recorded names matching no area (method "names")
    agreement: tuple[int, int] | None = None  # rows whose recorded area is the point's area, of rows with both

    @property
    def total(self) -> int:
        return int(row_weights(self.frame).sum())

    @property
    def placed(self) -> int:
        return int(row_weights(self.frame)[self.frame["area"].notna()].sum())

    def summary(self) -> str:
        """One plain sentence: how many rows were placed, and how."""
        how = "by their coordinates" if self.method == "coordinates" else f"by the {self.areas.column} recorded"
        left = self.total - self.placed
        text = f"{self.placed:,} of {self.total:,} rows were placed in an area {how}"
        return text + (f"; {left:,} could not be placed and are not on the map." if left else ".")


def place_points(frame: pd.DataFrame, areas: Areas, lat: str = "lat", lng: str = "lng") -> Placement:
    """Each row in the area its point falls in (a point on a shared border goes to the first area of the
    layer); rows whose coordinates fail the checks are counted by reason and placed nowhere."""
    rows = frame.reset_index(drop=True)
    weights = row_weights(rows)
    union = shapely.union_all(areas.frame.geometry.values)
    reasons = coordinate_problems(rows[lat], rows[lng], inside=union)
    area = pd.Series(pd.NA, index=rows.index, dtype="string")
    good = rows.index[reasons.isna().to_numpy()]
    x = pd.to_numeric(rows[lng], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(rows[lat], errors="coerce").to_numpy(dtype=float)
    polygons = areas.frame[["area", "geometry"]].reset_index(drop=True)
    for start in range(0, len(good), CHUNK):  # in slices: memory stays flat however many rows there are
        index = good[start : start + CHUNK]
        points = gpd.GeoDataFrame(index=index, geometry=gpd.points_from_xy(x[index], y[index]), crs=WGS84)
        # Areas on the left: each polygon is prepared once and tests many points (several times faster than
        # testing each point against the polygons). "covers" keeps points on a border.
        joined = gpd.sjoin(polygons, points, how="inner", predicate="covers").sort_index(kind="stable")
        first = joined.drop_duplicates("index_right", keep="first")
        area.loc[first["index_right"].to_numpy()] = first["area"].astype("string").to_numpy()
    placed = rows.assign(area=area, problem=reasons)
    agreement = None
    if areas.column in rows.columns:
        match = match_names(rows[areas.column], areas, weights)
        recorded = rows[areas.column].astype("string").str.strip().map(match.matched)
        both = placed["area"].notna() & recorded.notna()
        same = both & (placed["area"] == recorded).fillna(False).astype(bool)
        agreement = (int(weights[same].sum()), int(weights[both].sum()))
    return Placement(placed, areas, "coordinates", problem_counts(reasons, weights), _no_unmatched(), agreement)


def place_names(frame: pd.DataFrame, areas: Areas) -> Placement:
    """Each row in the area its recorded name matches; names matching no area are listed, and rows with no
    name recorded counted."""
    rows = frame.reset_index(drop=True)
    weights = row_weights(rows)
    match = match_names(rows[areas.column], areas, weights)
    names = rows[areas.column].astype("string").str.strip()
    area = names.map(match.matched).astype("string")
    placed = rows.assign(area=area, problem=pd.Series(pd.NA, index=rows.index, dtype="string"))
    blank = int(weights[(names.isna() | (names == "")).to_numpy(dtype=bool)].sum())
    problems = pd.DataFrame([(f"no {areas.column} recorded", blank)] if blank else [], columns=["reason", "rows"])
    return Placement(placed, areas, "names", problems, match.unmatched)


def place(frame: pd.DataFrame, areas: Areas) -> Placement:
    """By coordinates when they place at least half the rows; else by the area names recorded, when the data
    has the layer's column (coordinates in state-plane feet, say, placed nothing)."""
    if {"lat", "lng"} <= set(frame.columns):
        by_points = place_points(frame, areas)
        if by_points.placed >= MIN_SHARE_WITH_POINTS * by_points.total or areas.column not in frame.columns:
            return by_points
    if areas.column in frame.columns:
        return place_names(frame, areas)
    raise ValueError(f"the rows have neither coordinates (lat, lng) nor a {areas.column} column to place them by")


def _no_unmatched() -> pd.DataFrame:
    return pd.DataFrame(columns=["value", "rows"])


# Counting per area ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaTable:
    """Counts (and rates) per area of a layer, every area listed, ready for a map and a table.

    table columns: area, <count>, share, [<rate columns>], residents, per_1000, small, few_residents
    `small` marks areas whose base count is under the threshold: maps hatch them, and with `suppress` their
    numbers (and the rates built on them) are hidden."""

    table: pd.DataFrame
    placement: Placement
    count: str  # the name of the count column, e.g. "stops"
    threshold: int
    suppress: bool
    rates: tuple[str, ...] = ()  # rate columns (shares between 0 and 1)

    @property
    def areas(self) -> Areas:
        return self.placement.areas

    def shown(self) -> pd.DataFrame:
        """The table as a report may show it: with `suppress`, small counts and their rates set to <NA>."""
        frame = self.table.copy()
        if self.suppress:
            hidden = frame["small"]
            for column in [self.count, "share", "per_1000", *self.rates, *self._rate_parts()]:
                if column in frame.columns:
                    frame[column] = frame[column].astype("Float64").mask(hidden)
        return frame

    def _rate_parts(self) -> list[str]:
        return [c for c in self.table.columns if c.endswith(("_recorded", "_flagged"))]


def count_by_area(
    placement: Placement,
    count: str = "rows",
    *,
    flags: dict[str, str] | None = None,
    threshold: int = 10,
    suppress: bool = False,
    years: float | None = None,
) -> AreaTable:
    """Rows per area, their share of all placed rows, and for each `flags` entry (rate name -> true/false
    column) the share of rows with the flag recorded that have it set. Residents and a rate per 1,000
    residents (per year when `years` is given) only where the layer gives the area's population."""
    rows = placement.frame[placement.frame["area"].notna()]
    weights = row_weights(rows)
    table = pd.DataFrame({"area": placement.areas.names})
    counted = weights.groupby(rows["area"]).sum()
    table[count] = table["area"].map(counted).fillna(0).astype(int)
    total = table[count].sum()
    table["share"] = table[count] / total if total else float("nan")
    rates = []
    for rate, column in (flags or {}).items():
        values = rows[column].astype("boolean") if column in rows.columns else pd.Series(dtype="boolean")
        known = values.notna().to_numpy(dtype=bool)
        set_ = values.fillna(False).to_numpy(dtype=bool)
        recorded = weights.where(known, 0).groupby(rows["area"]).sum() if len(values) else pd.Series(dtype=int)
        flagged = weights.where(set_, 0).groupby(rows["area"]).sum() if len(values) else pd.Series(dtype=int)
        table[f"{rate}_recorded"] = table["area"].map(recorded).fillna(0).astype(int)
        table[f"{rate}_flagged"] = table["area"].map(flagged).fillna(0).astype(int)
        table[rate] = (table[f"{rate}_flagged"] / table[f"{rate}_recorded"]).where(table[f"{rate}_recorded"] > 0)
        rates.append(rate)
    residents = placement.areas.frame.set_index("area")["residents"]
    table["residents"] = table["area"].map(residents)
    per = table[count] / table["residents"] * 1000 / (years if years else 1)
    table["per_1000"] = per.where(table["residents"] > 0)
    table["small"] = table[count] < threshold
    # A rate per resident of an area where few people live swings with a handful of rows.
    table["few_residents"] = table["residents"] < MIN_RESIDENTS
    return AreaTable(table, placement, count, threshold, suppress, tuple(rates))


def rows_for_maps(ds: Dataset, *columns: str) -> pd.DataFrame:
    """From an analysis Dataset, only the columns maps need that hold values (coordinates, area columns, and
    `columns`), counted: one row per distinct combination of their values, with ROWS saying how many rows of the
    data it stands for, so that even a big dataset stays small in memory. With call_id among the columns the rows
    come one by one, in order (a call's first row counts for the call)."""
    from .config import AREA_COLUMNS

    present = set(ds.columns)
    wanted = [c for c in dict.fromkeys(("lat", "lng", *AREA_COLUMNS, *columns)) if c in present and ds.has_values(c)]
    if not wanted:
        return pd.DataFrame()
    listed = ", ".join(f'"{c}"' for c in wanted)
    if "call_id" in wanted:
        return ds.query(f"SELECT {listed} FROM data")
    return ds.query(f'SELECT {listed}, count(*) AS "{ROWS}" FROM data GROUP BY ALL ORDER BY ALL')


# Per-topic helpers for the reports -----------------------------------------------------------------------------

REFERENCE_RACE = "white"
MIN_GROUP_STOPS = 50  # stops with the search recorded, per group and area, before a comparison is made
SEARCH_FLAGS = ("search_conducted", "search_vehicle", "search_person")
SEARCH_LABELS = {
    "search_conducted": "share of stops with a search (of the person or the vehicle)",
    "search_vehicle": "share of stops with a vehicle search",
    "search_person": "share of stops with a search of the person",
}


def search_column(frame: pd.DataFrame) -> str | None:
    """The column that says whether a stop led to a search: any search if recorded, else vehicle, else person."""
    return next((c for c in SEARCH_FLAGS if c in frame.columns and frame[c].notna().any()), None)


@dataclass(frozen=True)
class StopsByArea:
    counts: AreaTable  # area, stops, share, [searched, searched_recorded, searched_flagged], residents, per_1000
    comparison: pd.DataFrame  # area, group, stops, searches, rate, reference_*, ratio, p_value, p_holm, test, note
    search: str | None  # the search column used, or None when the data records no searches

    @property
    def search_label(self) -> str:
        """What the search rate counts, for legends and headings."""
        return SEARCH_LABELS.get(self.search or "", "")


def stops_by_area(
    frame: pd.DataFrame,
    areas: Areas,
    *,
    threshold: int = 10,
    suppress: bool = False,
    years: float | None = None,
    reference: str = REFERENCE_RACE,
    min_stops: int = MIN_GROUP_STOPS,
) -> StopsByArea:
    """Stops and the search rate per area, and in each area each group's search rate against the reference
    group's, where both have at least `min_stops` stops with the search recorded (else `note` says why not).
    p-values come from the same test as the citywide comparison, with Holm's adjustment across all the
    area-by-group comparisons made (many comparisons make some small p-values by chance)."""
    placement = place(frame, areas)
    search = search_column(frame)
    counts = count_by_area(
        placement,
        "stops",
        flags={"searched": search} if search else None,
        threshold=threshold,
        suppress=suppress,
        years=years,
    )
    comparison = _compare_in_areas(placement.frame, search, reference, min_stops) if search else _no_comparison()
    return StopsByArea(counts, comparison, search)


def _no_comparison() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            "area",
            "group",
            "stops",
            "searches",
            "rate",
            "reference_stops",
            "reference_searches",
            "reference_rate",
            "ratio",
            "p_value",
            "p_holm",
            "test",
            "note",
        ]
    )


def _compare_in_areas(rows: pd.DataFrame, search: str, reference: str, min_stops: int) -> pd.DataFrame:
    from statsmodels.stats.multitest import multipletests

    from .analysis.police_stops import compare_rates

    if "subject_race" not in rows.columns:
        return _no_comparison()
    placed = rows[rows["area"].notna()].assign(
        group=rows["subject_race"].astype("string").fillna("unknown"), _flag=rows[search].astype("boolean")
    )
    placed = placed[placed["_flag"].notna()]
    weights = row_weights(placed)
    placed = placed.assign(_stops=weights, _searches=weights.where(placed["_flag"].to_numpy(dtype=bool), 0))
    grouped = (
        placed.groupby(["area", "group"])[["_stops", "_searches"]].sum()
        .rename(columns={"_stops": "stops", "_searches": "searches"}).reset_index()
    )  # fmt: skip
    out = []
    for area, block in grouped.groupby("area", sort=True):
        ref = block[block["group"] == reference]
        ref_stops = int(ref["stops"].sum())
        ref_searches = int(ref["searches"].sum())
        for row in block[~block["group"].isin([reference, "unknown"])].to_dict("records"):
            stops, searches = int(row["stops"]), int(row["searches"])
            p, test, note = float("nan"), "", ""
            if min(stops, ref_stops) < min_stops:
                note = f"too few stops to compare (under {min_stops} of this group or of {reference} people)"
            else:
                p, test = compare_rates(searches, stops, ref_searches, ref_stops)
            out.append(
                {
                    "area": area,
                    "group": row["group"],
                    "stops": stops,
                    "searches": searches,
                    "rate": searches / stops if stops else float("nan"),
                    "reference_stops": ref_stops,
                    "reference_searches": ref_searches,
                    "reference_rate": ref_searches / ref_stops if ref_stops else float("nan"),
                    "p_value": p,
                    "test": test,
                    "note": note,
                }
            )
    if not out:
        return _no_comparison()
    table = pd.DataFrame(out)
    table["ratio"] = (table["rate"] / table["reference_rate"]).where(table["reference_rate"] > 0)
    tested = table["p_value"].notna()
    table["p_holm"] = float("nan")
    if tested.any():
        table.loc[tested, "p_holm"] = multipletests(table.loc[tested, "p_value"], method="holm")[1]
    return table[list(_no_comparison().columns)]


def force_by_area(
    frame: pd.DataFrame, areas: Areas, *, threshold: int = 10, suppress: bool = False, years: float | None = None
) -> AreaTable:
    """Uses of force per area (one row is one use of force), with the share that injured the person where
    that is recorded."""
    flags = {"injured": "subject_injured"} if "subject_injured" in frame.columns else None
    return count_by_area(
        place(frame, areas), "uses_of_force", flags=flags, threshold=threshold, suppress=suppress, years=years
    )


def calls_by_area(
    frame: pd.DataFrame,
    areas: Areas,
    *,
    threshold: int = 10,
    suppress: bool = False,
    years: float | None = None,
    groups: dict[str, tuple[str, ...]] | None = None,
) -> AreaTable:
    """911 calls per area (rows sharing a call_id are one call), and among police calls from the public with
    a known type (as the 911 report asks it: not officer-initiated, not fire and EMS), the share whose type
    may not need an armed response, by the editable word lists of the 911 report."""
    from .analysis.emergency_911 import UNARMED_RESPONSE

    words = [w.lower() for ws in (UNARMED_RESPONSE if groups is None else groups).values() for w in ws]
    rows = frame.reset_index(drop=True)
    if "call_id" in rows.columns and rows["call_id"].notna().any():
        # One row per call: the first row of each call_id (rows without one are calls of their own).
        rows = rows[rows["call_id"].isna() | ~rows["call_id"].duplicated(keep="first")]
    flags = None
    if "call_type" in rows.columns:
        kind = rows["call_type"].astype("string").str.lower()
        pattern = "|".join(re.escape(w) for w in words)
        unarmed = kind.str.contains(pattern, regex=True).astype("boolean")
        public = pd.Series(True, index=rows.index)
        if "officer_initiated" in rows.columns:
            public &= ~rows["officer_initiated"].astype("boolean").fillna(False).astype(bool)
        if "agency" in rows.columns:
            public &= rows["agency"].astype("string").fillna("") != "fire and ems"
        rows = rows.assign(_unarmed=unarmed.where(public.to_numpy(), pd.NA))
        flags = {"may_not_need_armed_response": "_unarmed"}
    return count_by_area(place(rows, areas), "calls", flags=flags, threshold=threshold, suppress=suppress, years=years)


def requests_by_area(
    frame: pd.DataFrame,
    areas: Areas,
    *,
    count: str = "requests",
    threshold: int = 10,
    suppress: bool = False,
    years: float | None = None,
) -> AreaTable:
    """311 requests or police incident reports per area, with the share routed to the police where recorded
    (name the count "incidents" for crime reports)."""
    flags = (
        {"routed_to_police": "routed_to_police"}
        if "routed_to_police" in frame.columns and frame["routed_to_police"].notna().any()
        else None
    )
    return count_by_area(place(frame, areas), count, flags=flags, threshold=threshold, suppress=suppress, years=years)


# Points without boundaries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Points:
    """Rows with coordinates that look right, for a density map, and the rest counted by reason."""

    frame: pd.DataFrame  # lat, lng of the usable points (and ROWS when the rows came counted)
    problems: pd.DataFrame  # reason, rows
    total: int

    @property
    def usable(self) -> int:
        """Rows with usable coordinates."""
        return int(row_weights(self.frame).sum())


def usable_points(frame: pd.DataFrame, center: tuple[float, float] | None = None, far_km: float = FAR_KM) -> Points:
    """The points a density map may draw: within `far_km` of the centre (the median point when not given)."""
    weights = row_weights(frame)
    if not {"lat", "lng"} <= set(frame.columns):
        reasons = pd.Series([MISSING] * len(frame), index=frame.index, dtype="string")
        return Points(pd.DataFrame(columns=["lat", "lng"]), problem_counts(reasons, weights), int(weights.sum()))
    reasons = coordinate_problems(frame["lat"], frame["lng"], center=center, far_km=far_km)
    good = reasons.isna().to_numpy()
    points = pd.DataFrame(
        {
            "lat": pd.to_numeric(frame["lat"], errors="coerce").to_numpy()[good],
            "lng": pd.to_numeric(frame["lng"], errors="coerce").to_numpy()[good],
        }
    )
    if ROWS in frame.columns:
        points[ROWS] = weights.to_numpy()[good]
    return Points(points, problem_counts(reasons, weights), int(weights.sum()))
