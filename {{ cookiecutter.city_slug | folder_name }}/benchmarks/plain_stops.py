"""Every figure of the police_stops report, computed by hand from the Minneapolis stops CSV: the yardstick of
benchmarks/pipeline.py.

    python benchmarks/plain_stops.py stops.csv precincts.geojson.gz figures.json

What a practised analyst would write for this one file, with the definitions the report uses: one DuckDB table,
grouped queries, tests on the counts (chi-square or Fisher, Wilson intervals, Holm), point-in-polygon on the distinct
coordinates, and the veil-of-darkness models fitted on counts per minute. It uses no part of the toolkit. A few key
figures are written to figures.json, for the benchmark to compare with the toolkit's own.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import sys
import warnings
import zoneinfo
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from astral import Observer
from astral.sun import dusk, sunset
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

CENTER, TIMEZONE = (44.9778, -93.2650), "America/Chicago"  # sunsets are computed at the city centre
RACES = {"Asian": "asian/pacific islander", "Black": "black", "East African": "black", "Latino": "hispanic",
         "Native American": "other", "Other": "other", "White": "white"}  # fmt: skip
SEXES = {"Female": "female", "Male": "male", "Gender Non-Conforming": "non-binary"}


def mapped(column: str, values: dict[str, str]) -> str:
    cases = " ".join(f"WHEN '{raw}' THEN '{value}'" for raw, value in values.items())
    return f"CASE {column} {cases} ELSE 'unknown' END"


def yes_no(column: str) -> str:
    return f"CASE {column} WHEN 'YES' THEN TRUE WHEN 'NO' THEN FALSE END"


# Fits on few stops, such as a small sample copied many times, warn of separation at every step; the figures show it.
warnings.simplefilter("ignore")

# The stops, typed once ---------------------------------------------------------------------------------------------
con = duckdb.connect()
csv, layer_file, out = sys.argv[1:4]
con.execute(f"""CREATE TABLE stops AS
    WITH raw AS (SELECT *, try_strptime(date, '%Y-%m-%d %H:%M:%S') AS ts FROM read_csv('{csv}', all_varchar = true))
    SELECT idNum AS id, CAST(ts AS DATE) AS day, CAST(ts AS TIME) AS time, date IS NOT NULL AND ts IS NULL AS unread,
        hour(ts) * 60 + minute(ts) + second(ts) / 60 AS minute_of_day,
        problem AS reason, CASE problem WHEN 'traffic' THEN 'vehicular' ELSE 'unknown' END AS type,
        {mapped("race", RACES)} AS race, {mapped("gender", SEXES)} AS sex,
        CASE WHEN race IN ('East African', 'Native American') THEN lower(race) END AS folded_label,
        CASE WHEN race NOT IN ({", ".join(f"'{r}'" for r in RACES)}, 'Unknown') THEN race END AS race_unmapped,
        {yes_no("vehicleSearch")} AS searched, {yes_no("personSearch")} AS frisked,
        {yes_no("citationIssued")} AS cited,
        TRY_CAST(lat AS DOUBLE) AS lat, TRY_CAST(long AS DOUBLE) AS lng, policePrecinct AS precinct, neighborhood
    FROM raw""")
q = lambda sql: con.execute(sql).df()  # noqa: E731
figures: dict[str, object] = {}


# Rates per group, each against the reference group ----------------------------------------------------------------
def two_by_two(flagged: int, total: int, ref_flagged: int, ref_total: int) -> float:
    """Chi-square with Yates' correction, or Fisher's exact test when an expected count is under 5."""
    table = np.array([[flagged, total - flagged], [ref_flagged, ref_total - ref_flagged]])
    if min(total, ref_total) == 0 or flagged + ref_flagged in (0, total + ref_total):
        return float("nan")
    if stats.contingency.expected_freq(table).min() < 5:
        return float(stats.fisher_exact(table).pvalue)
    return float(stats.chi2_contingency(table, correction=True).pvalue)


def holm(p: pd.Series) -> pd.Series:
    adjusted = pd.Series(np.nan, index=p.index)
    present = p.notna()
    if present.any():
        adjusted[present] = multipletests(p[present], method="holm")[1]
    return adjusted


def rate_table(counts: pd.DataFrame, reference: str) -> pd.DataFrame:
    """group, recorded, flagged -> rate, Wilson interval, ratio to the reference, p-value, Holm within the table."""
    t = counts[counts["recorded"] > 0].sort_values(["recorded", "group"], ascending=[False, True])
    t = t.reset_index(drop=True)
    t["rate"] = t["flagged"] / t["recorded"]
    t["low"], t["high"] = proportion_confint(t["flagged"], t["recorded"], method="wilson")
    ref = t.set_index("group").loc[reference]
    t["ratio"] = t["rate"] / ref["rate"]
    t["p_value"] = [
        float("nan") if g in (reference, "unknown") else two_by_two(f, n, ref["flagged"], ref["recorded"])
        for g, f, n in zip(t["group"], t["flagged"], t["recorded"], strict=True)
    ]
    t["p_holm"] = holm(t["p_value"])
    return t


def rates(flag: str, by: str, reference: str, where: str = "TRUE") -> pd.DataFrame:
    counts = q(f"SELECT {by} AS group, count({flag}) AS recorded, count(*) FILTER ({flag}) AS flagged "
               f"FROM stops WHERE {where} GROUP BY 1")  # fmt: skip
    return rate_table(counts, reference)


# Overview: dates, hours, counts by race, sex and reason ---------------------------------------------------------
first, last, undated, rows = con.execute(
    "SELECT min(day), max(day), count(*) FILTER (day IS NULL), count(*) FROM stops"
).fetchone()
figures |= {"rows": rows, "first": str(first), "last": str(last)}
by_hour = q("SELECT h AS hour, count(time) AS stops FROM range(24) t(h) LEFT JOIN stops ON hour(time) = h GROUP BY 1")
counts = {c: q(f"SELECT {c} AS value, count(*) AS stops, count(*) / sum(count(*)) OVER () AS share FROM stops "
               "GROUP BY 1 ORDER BY 2 DESC") for c in ("race", "sex", "reason")}  # fmt: skip
# each reason's share of each group's stops
reason_by = {}
for g in ("race", "sex"):
    t = q(f"PIVOT (SELECT {g}, reason FROM stops) ON reason USING count(*)").set_index(g)
    reason_by[g] = t.div(t.sum(axis=1), axis=0).assign(stops=t.sum(axis=1))
no_key_fields = con.execute(
    "SELECT count(*) FROM stops WHERE race = 'unknown' AND searched IS NULL AND frisked IS NULL"
).fetchone()[0]

# Searches and frisks by race and sex; every comparison of the page adjusted together at the end
family = {f"{flag} by {g}": rates(flag, g, ref) for flag in ("searched", "frisked")
          for g, ref in (("race", "white"), ("sex", "female"))}  # fmt: skip
search_race = family["searched by race"].set_index("group")
figures["search ratio black/white"] = search_race.loc["black", "ratio"]
figures["search p black/white"] = search_race.loc["black", "p_value"]
figures["frisk ratio black/white"] = family["frisked by race"].set_index("group").loc["black", "ratio"]

# The mapping's folds: "East African" counted as black, "Native American" as other; without them, each is a group
fold = {flag: rates(flag, "coalesce(folded_label, race)", "white").set_index("group")["ratio"]
        for flag in ("searched", "frisked")}  # fmt: skip
figures["search ratio black/white without the fold"] = fold["searched"]["black"]
figures["search ratio other/white without the fold"] = fold["searched"]["other"]

# Search rates within each reason for stop, Holm over the table
purposes = pd.concat(
    [rates("searched", "race", "white", f"reason = '{r}'").assign(purpose=r) for r in counts["reason"]["value"]]
)
purposes["p_holm"] = holm(purposes["p_value"].reset_index(drop=True)).to_numpy()

# Citations by group (the only outcome recorded), and stops that ended without one
for g, ref in (("race", "white"), ("sex", "female")):
    family[f"cited by {g}"] = rates("cited", g, ref)
without_citation = {g: q(f"SELECT {g}, count(cited) AS stops, count(*) FILTER (NOT cited) AS without FROM stops "
                         "GROUP BY 1") for g in ("race", "sex")}  # fmt: skip

together = pd.concat([t.assign(table=name) for name, t in family.items()]).dropna(subset=["p_value"])
together["p_holm_all"] = holm(together["p_value"].reset_index(drop=True)).to_numpy()
figures["comparisons significant after adjusting"] = int((together["p_holm_all"] < 0.05).sum())

# Stops per month, with gaps and partial edge months flagged
months = q("""SELECT CAST(m AS DATE) AS month, count(day) AS rows FROM
    (SELECT unnest(generate_series(date_trunc('month', min(day)), date_trunc('month', max(day)), INTERVAL 1 MONTH))
     AS m FROM stops) LEFT JOIN stops ON date_trunc('month', day) = m GROUP BY 1 ORDER BY 1""")
half = months["rows"] < 0.5 * months["rows"].median()
months["flag"] = np.where(months["rows"] == 0, "no rows", np.where(half, "under half the usual", ""))
months.loc[[0, len(months) - 1], "flag"] = months["flag"].iloc[[0, -1]].replace(
    "under half the usual", "partial month at the edge of the data"
)
figures |= {"stops per month, total": int(months["rows"].sum()), "months flagged": int((months["flag"] != "").sum())}

# Search rates by precinct: each distinct point placed in the precinct polygon it falls in -------------------------
with gzip.open(layer_file) as fh:
    precincts = gpd.read_file(io.BytesIO(fh.read()))[["PRECINCT", "geometry"]]
points = q("SELECT DISTINCT lat, lng FROM stops WHERE lat IS NOT NULL AND lng IS NOT NULL AND lat <> 0 AND lng <> 0")
points = gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(points["lng"], points["lat"]), crs="EPSG:4326")
# "intersects" keeps points on a border; such a point goes to the first precinct of the layer
placed = gpd.sjoin(points, precincts, predicate="intersects").sort_values("index_right").groupby(level=0).first()
con.register("point_area", pd.DataFrame({"lat": placed["lat"], "lng": placed["lng"], "area": placed["PRECINCT"]}))
by_area = q("""SELECT area, race, count(*) AS stops, count(searched) AS recorded,
    count(*) FILTER (searched) AS searches FROM stops JOIN point_area USING (lat, lng) GROUP BY 1, 2""")
figures["stops placed in areas"] = int(by_area["stops"].sum())
area_rates = by_area.groupby("area")[["recorded", "searches"]].sum()
area_rates["rate"] = area_rates["searches"] / area_rates["recorded"]
pairs = []
for area, block in by_area.groupby("area"):  # each group against white people in the same precinct, 50 stops each
    white = block[block["race"] == "white"].iloc[0]
    white_rate = white["searches"] / white["recorded"]
    for row in block[~block["race"].isin(["white", "unknown"])].itertuples():
        enough = min(row.recorded, white["recorded"]) >= 50
        p = two_by_two(row.searches, row.recorded, white["searches"], white["recorded"]) if enough else float("nan")
        ratio = row.searches / row.recorded / white_rate if white_rate > 0 else float("nan")
        pairs.append((area, row.race, ratio, p))
compared = pd.DataFrame(pairs, columns=["area", "group", "ratio", "p_value"])
compared["p_holm"] = holm(compared["p_value"])
figures["area comparisons tested"] = int(compared["p_value"].notna().sum())

# The statistical tests' eligible stops (Stanford Open Policing Project's filters) ---------------------------------
coverage = q("""SELECT date_trunc('month', day) AS month, count(*) AS stops,
    avg(CAST(race <> 'unknown' AS DOUBLE)) AS race, avg(CAST(searched IS NOT NULL AS DOUBLE)) AS searches
    FROM stops WHERE type = 'vehicular' AND day IS NOT NULL GROUP BY 1""")
dropped = coverage[(coverage["stops"] < 50) | (coverage["race"] < 0.5) | (coverage["searches"] < 0.5)]["month"]
listed = ", ".join(f"DATE '{m:%Y-%m-%d}'" for m in dropped)
eligible = "type = 'vehicular' AND day IS NOT NULL"
eligible += f" AND date_trunc('month', day) NOT IN ({listed})" if listed else ""
# the stops left after each filter, for the appendix's table, in one scan
steps = con.execute(f"""SELECT count(*), count(*) FILTER (type = 'vehicular'),
    count(*) FILTER (type = 'vehicular' AND day IS NOT NULL), count(*) FILTER ({eligible}) FROM stops""").fetchone()
figures["eligible stops"] = steps[-1]
# The outcome (hit-rate) test needs contraband found, which this data does not record: nothing to compute.


# Veil of darkness ------------------------------------------------------------------------------------------------
def clock_changes(year: int) -> list[dt.date]:
    zone, days = zoneinfo.ZoneInfo(TIMEZONE), pd.date_range(f"{year}-01-01", f"{year}-12-31").date
    offsets = [dt.datetime(d.year, d.month, d.day, 12, tzinfo=zone).utcoffset() for d in days]
    return [d for d, before, now in zip(days[1:], offsets, offsets[1:], strict=False) if now != before]


observer, zone = Observer(*CENTER), zoneinfo.ZoneInfo(TIMEZONE)
days = [d for (d,) in con.execute(f"SELECT DISTINCT day FROM stops WHERE {eligible}").fetchall()]
changes = [c for y in range(min(days).year - 1, max(days).year + 2) for c in clock_changes(y)]


def minutes(t: dt.datetime) -> float:
    return t.hour * 60 + t.minute + t.second / 60


con.register("sun", pd.DataFrame({
    "day": days,
    "sunset": [minutes(sunset(observer, d, tzinfo=zone)) for d in days],
    "dusk": [minutes(dusk(observer, d, tzinfo=zone)) for d in days],
    "near_change": [min(abs((d - c).days) for c in changes) <= 30 for d in days],
}))  # fmt: skip
# Black and white drivers of the eligible stops with a time, in months with times for at least half their stops
con.execute(f"""CREATE TABLE veil AS SELECT minute_of_day AS minute, sunset, dusk, near_change, precinct AS place,
    race FROM stops JOIN sun USING (day) WHERE {eligible} AND race IN ('black', 'white') AND time IS NOT NULL
    AND date_trunc('month', day) NOT IN (SELECT date_trunc('month', day) FROM stops WHERE {eligible}
                                         GROUP BY 1 HAVING avg(CAST(time IS NOT NULL AS DOUBLE)) < 0.5)""")


def veil(place: bool, near_change: bool) -> pd.DataFrame:
    """The darkness coefficient over spline degrees 1-6 with its standard error, p-value and 95% interval, fitted
    on counts of Black and white drivers per minute (the same likelihood as one row per stop)."""
    where = ("near_change" if near_change else "TRUE") + (" AND place IS NOT NULL" if place else "")
    low, high = con.execute(f"SELECT min(dusk), max(dusk) FROM veil WHERE {where}").fetchone()
    # the inter-twilight window, without the twilight between sunset and dusk
    counted = q(f"""SELECT minute, CAST(minute > dusk AS INTEGER) AS is_dark, {"place" if place else "''"} AS place,
        count(*) FILTER (race = 'black') AS black, count(*) FILTER (race = 'white') AS white FROM veil
        WHERE {where} AND minute BETWEEN {low} AND {high} AND NOT (minute > sunset AND minute <= dusk)
        GROUP BY ALL ORDER BY ALL""")
    by_degree = []
    for df in range(1, 7):
        time = "minute" if df == 1 else f"cr(minute, df={df}, constraints='center')"
        formula = f"black + white ~ is_dark + {time}" + (" + C(place)" if place else "")
        fit = smf.glm(formula, data=counted, family=sm.families.Binomial()).fit(tol=1e-12)
        ci_low, ci_high = fit.conf_int().loc["is_dark"]
        by_degree.append((df, fit.params["is_dark"], fit.bse["is_dark"], fit.pvalues["is_dark"], ci_low, ci_high))
    fits = pd.DataFrame(by_degree, columns=["df", "coefficient", "std_error", "p_value", "low", "high"])
    return fits.assign(black=counted["black"].sum(), white=counted["white"].sum())


variants = {(place, near): veil(place, near) for near in (False, True) for place in (False, True)}
for (place, near), fits in variants.items():
    name = ("within 30 days of a clock change" if near else "whole year") + (", place controlled" if place else "")
    # The main fit has 6 degrees of freedom. No estimate where darkness cannot be told from clock time: a standard
    # error past 5 (log odds) at any degree, an interval wider than 1/10,000 to 10,000 in odds.
    estimable = fits["std_error"].max() < 5
    figures[f"veil coefficient, {name}"] = fits["coefficient"].iloc[-1] if estimable else float("nan")
    figures[f"veil stops, {name}"] = int(fits["black"].iloc[-1] + fits["white"].iloc[-1])

# Data quality: missing values, duplicate stop ids, dates that cannot be right or be read ---------------------------
columns = {"raw_row_number": "id", "date": "day", "time": "time", "lat": "lat", "lng": "lng", "precinct": "precinct",
           "neighborhood": "neighborhood", "subject_race": "race", "subject_sex": "sex", "type": "type",
           "reason_for_stop": "reason", "search_vehicle": "searched", "frisk_performed": "frisked",
           "citation_issued": "cited"}  # fmt: skip
checks = [f"count(*) FILTER ({c} IS NULL OR CAST({c} AS VARCHAR) = 'unknown')" for c in columns.values()]
missing = con.execute(f"SELECT {', '.join(checks)} FROM stops").fetchone()
figures["missing values"] = dict(zip(columns, missing, strict=True))
figures["duplicates"] = con.execute(
    "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM stops WHERE id IS NOT NULL GROUP BY id) WHERE n > 1"
).fetchone()[0]
date_problems = con.execute(f"""SELECT count(*) FILTER (day > DATE '{dt.date.today()}'),
    count(*) FILTER (day IN ('1900-01-01', '1970-01-01', '1980-01-01')), count(*) FILTER (day < DATE '1950-01-01'),
    count(*) FILTER (day IS NULL), count(*) FILTER (unread) FROM stops""").fetchone()
figures["dates that cannot be right or be read"] = sum(date_problems)
# race labels the mapping does not cover (the table keeps no other raw label: a second pass over the CSV to list
# them would cost more than everything else here)
outside = q("SELECT race_unmapped, count(*) AS rows FROM stops WHERE race_unmapped IS NOT NULL GROUP BY 1")

plain = {k: v.item() if hasattr(v, "item") else v for k, v in figures.items()}  # numpy numbers as Python's
Path(out).write_text(json.dumps(plain, indent=2, default=str), encoding="utf-8")
