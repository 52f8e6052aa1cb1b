"""The whole pipeline on a big file: fetch -> standardize -> report, next to two plain DuckDB scripts.

    nice -n 10 python benchmarks/pipeline.py                      (1M rows; about a minute)
    nice -n 10 python benchmarks/pipeline.py --rows 1e7 3e7 1e8 --seed /path/to/minneapolis_stops_2017.csv
                                         (about 15 minutes; 100M rows need about 15 GB of free disk, and the
                                         plain script that does the same analyses about 19 GB of memory)

The real Minneapolis stops (the sample in tests/fixtures, or --seed: the full 2017 file) are copied over and over,
each copy with its own stop ids, into one CSV of the size asked for. A throwaway copy of this toolkit, with the
Minneapolis precincts of tests/fixtures as its boundary layer, fetches it, standardizes it and runs the
police_stops report, each stage a command of its own; the benchmark prints each stage's wall time and peak memory
(the resident memory of the command and everything it starts, the notebook kernel included, summed and sampled
every 50 ms). Two plain scripts then read the same CSV: "counts only", a dozen GROUP BY counts, and "same
analyses" (benchmarks/plain_stops.py), which computes every figure the report shows by hand with DuckDB,
statsmodels, astral and geopandas. The toolkit's time and memory are printed as multiples of each. Key figures of
the second script are checked against the toolkit's own on the same data (not timed), one "agree" or "DIFFER" line
each. Big files are written under --work (default: a temporary folder) and removed at the end unless --keep is
given.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
TOPIC = "police_stops"
PRECINCTS = FIXTURES / "boundaries" / "minneapolis_police_precincts.geojson.gz"
PLAIN_SCRIPT = Path(__file__).with_name("plain_stops.py")
BASELINES = {"plain_counts": "plain DuckDB, counts only", "plain_same": "plain DuckDB, same analyses"}


@dataclass
class Stage:
    name: str
    seconds: float
    peak_mb: float
    ok: bool
    output: str = ""
    cpu: float = 0.0  # CPU seconds of the command and all it started: steadier than wall time on a busy machine


def measure(name: str, command: list[str], cwd: Path) -> Stage:
    """Run a command; its wall time and the peak of the summed RSS of its process tree."""
    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    with tempfile.TemporaryFile("w+") as log:
        # the output is read by a thread so the pipe never fills; the sampler stays in this one
        import threading

        reader = threading.Thread(target=lambda: shutil.copyfileobj(process.stdout, log), daemon=True)
        reader.start()
        while process.poll() is None:
            total = 0
            with contextlib.suppress(psutil.Error):
                for proc in [process, *process.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += proc.memory_info().rss
            peak = max(peak, total)
            time.sleep(0.05)
        reader.join()
        log.seek(0)
        output = log.read()
    seconds, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Stage(name, seconds, peak / 2**20, process.returncode == 0, output, cpu)


def build_csv(seed: Path, rows: int, target: Path) -> None:
    """`rows` rows of the seed file, copied as often as needed; each copy's idNum gets a suffix. Row i is row
    i % n of the seed in copy i // n: a join that streams, so 100 million rows take no more memory than ten."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    con.execute("SET preserve_insertion_order = true")
    seed_sql = f"read_csv('{seed.as_posix()}', all_varchar = true, header = true)"
    con.execute(f"CREATE TABLE seed AS SELECT *, row_number() OVER () - 1 AS seed_row FROM {seed_sql}")
    n = con.execute("SELECT count(*) FROM seed").fetchone()[0]
    columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {seed_sql}").fetchall()]
    select = ", ".join(f"\"idNum\" || '-' || (i // {n}) AS \"idNum\"" if c == "idNum" else f'"{c}"' for c in columns)
    con.execute(
        f"COPY (SELECT {select} FROM range({rows}) AS copies(i) JOIN seed ON seed_row = i % {n}) "
        f"TO '{target.as_posix()}' (HEADER, DELIMITER ',')"
    )


def make_project(work: Path, csv: Path) -> Path:
    """A copy of this toolkit whose police_stops source is the big CSV, mapped as the real file is."""
    import yaml

    project = work / "project"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(".venv", ".git", "data", "reports", "index.html", "__pycache__", ".*cache"),
    )
    (project / "data").mkdir()
    config = yaml.safe_load((FIXTURES / "toolkit.yaml").read_text(encoding="utf-8"))
    config["topics"][TOPIC]["sources"][0]["location"] = csv.as_posix()
    # The precincts layer, as a Minneapolis toolkit declares it: the report places stops in it by coordinates.
    config["boundaries"] = {
        "precincts": {"location": PRECINCTS.as_posix(), "area_property": "PRECINCT", "column": "precinct"}
    }
    (project / "toolkit.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project


# The first baseline: the report's counts, straight from the CSV with DuckDB, and nothing more (no tests, no
# models, no map). The second, benchmarks/plain_stops.py, computes every figure the report shows.
PLAIN_COUNTS = r"""
import sys, duckdb, datetime as dt
import pandas as pd
from astral import LocationInfo
from astral.sun import sun
con = duckdb.connect()
con.execute("SET memory_limit = '1GB'")
con.execute(f'''CREATE TABLE stops AS SELECT
  TRY_CAST(date AS TIMESTAMP) AS ts, CAST(TRY_CAST(date AS TIMESTAMP) AS DATE) AS day, problem, MDC,
  lower(nullif(race, 'Unknown')) AS race, lower(nullif(gender, 'Unknown')) AS gender,
  CASE citationIssued WHEN 'YES' THEN TRUE WHEN 'NO' THEN FALSE END AS citation,
  CASE personSearch WHEN 'YES' THEN TRUE WHEN 'NO' THEN FALSE END AS frisk,
  CASE vehicleSearch WHEN 'YES' THEN TRUE WHEN 'NO' THEN FALSE END AS search,
  TRY_CAST(lat AS DOUBLE) AS lat, TRY_CAST(long AS DOUBLE) AS lng, policePrecinct AS precinct, neighborhood
  FROM read_csv('{sys.argv[1]}', all_varchar = true)''')
q = lambda sql: con.execute(sql).df()
q("SELECT min(day), max(day), count(*) FILTER (WHERE day IS NULL) FROM stops")
q("SELECT hour(ts) AS h, count(*) FROM stops GROUP BY 1")
for column in ("race", "gender", "problem", "MDC", "precinct"):
    q(f"SELECT {column}, count(*) FROM stops GROUP BY 1")
    q(f"SELECT race, {column}, count(*) FROM stops GROUP BY 1, 2")
for flag in ("search", "frisk", "citation"):
    q(f"SELECT race, count(*) FILTER (WHERE {flag}), count({flag}) FROM stops GROUP BY 1")
q("SELECT date_trunc('month', day), count(*), avg(CAST(race IS NOT NULL AS INT)) FROM stops GROUP BY 1")
q("SELECT precinct, race, count(*), count(*) FILTER (WHERE citation) FROM stops WHERE search GROUP BY 1, 2")
days = [d for (d,) in con.execute("SELECT DISTINCT day FROM stops WHERE day IS NOT NULL").fetchall()]
place = LocationInfo(latitude=44.9778, longitude=-93.2650, timezone="America/Chicago")
dusks = [sun(place.observer, d, tzinfo=place.timezone)["dusk"] for d in days]
sunsets = pd.DataFrame({"day": days, "dusk": [t.hour * 60 + t.minute for t in dusks]})
con.register("sunsets", sunsets)
q('''SELECT race = 'black' AS black, hour(ts) * 60 + minute(ts) > dusk AS dark, hour(ts) * 60 + minute(ts) AS m,
     count(*) FROM stops JOIN sunsets USING (day) WHERE race IS NOT NULL GROUP BY ALL''')
"""


def plain_baselines(csv: Path, work: Path) -> dict[str, Stage]:
    script = work / "plain_counts.py"
    script.write_text(PLAIN_COUNTS, encoding="utf-8")
    same = [sys.executable, str(PLAIN_SCRIPT), csv.as_posix(), PRECINCTS.as_posix(), str(work / "plain.json")]
    return {
        "plain_counts": measure(BASELINES["plain_counts"], [sys.executable, str(script), csv.as_posix()], work),
        "plain_same": measure(BASELINES["plain_same"], same, work),
    }


def toolkit_figures(project: Path) -> dict[str, object]:
    """The key figures of plain_stops.py, from the toolkit's own functions on the project's processed data."""
    sys.path.insert(0, str(ROOT))
    from safety_toolkit import boundaries, maps, quality
    from safety_toolkit.analysis import Dataset, compare, folds
    from safety_toolkit.analysis import police_stops as stops
    from safety_toolkit.config import load_config
    from safety_toolkit.schema import get_schema
    from safety_toolkit.standardize import processed_path, report_path

    config = load_config(project / "toolkit.yaml")
    ds = Dataset(processed_path(project, TOPIC))
    span = stops.date_range(ds)
    search = stops.rate_by_group(ds, "search_vehicle", "subject_race").table.set_index("group")
    frisk = stops.rate_by_group(ds, "frisk_performed", "subject_race").table.set_index("group")
    labelled = folds.with_labels(config, TOPIC, dataset=ds)
    assert labelled.dataset is not None, labelled.problem
    ratios = stops.fold_ratios(labelled.dataset, folds.folds(config, TOPIC))
    without = ratios[ratios["flag"] == "search_vehicle"].set_index("group")["without_fold"]
    family = {
        f"{flag} by {group}": stops.rate_by_group(ds, flag, group).table
        for flag in ("search_vehicle", "frisk_performed")
        for group in ("subject_race", "subject_sex")
    }
    for group in ("subject_race", "subject_sex"):
        family.update({f"{o} by {group}": t for o, t in stops.outcomes_by_group(ds, group).groupby("outcome")})
    together = compare.adjust_together(family).dropna(subset=["p_value"])
    report = json.loads(report_path(project, TOPIC).read_text(encoding="utf-8"))
    schema = get_schema(TOPIC)
    assert schema is not None
    profile = quality.profile(ds, schema, report)
    layers, _ = boundaries.load_all(config)
    rows = maps.rows_for_maps(ds, "subject_race", "search_conducted", "search_vehicle", "search_person")
    areas = maps.stops_by_area(rows, layers["precinct"])
    eligible = stops.eligibility(ds)
    variants = stops.veil_variants(ds, eligible, config.center, config.timezone).set_index("variant")
    dates, unread = profile.date_problems, profile.unreadable[profile.unreadable["column"] == "date"]
    figures: dict[str, object] = {
        "rows": span["rows"],
        "first": str(span["first"]),
        "last": str(span["last"]),
        "search ratio black/white": search.loc["black", "ratio"],
        "search p black/white": search.loc["black", "p_value"],
        "frisk ratio black/white": frisk.loc["black", "ratio"],
        "search ratio black/white without the fold": without["black"],
        "search ratio other/white without the fold": without["other"],
        "comparisons significant after adjusting": int(together["significant_all"].sum()),
        "stops per month, total": int(profile.months["rows"].sum()),
        "months flagged": int((profile.months["flag"] != "").sum()),
        "stops placed in areas": areas.counts.placement.placed,
        "area comparisons tested": int(areas.comparison["p_value"].notna().sum()),
        "eligible stops": eligible.eligible,
        "missing values": dict(zip(profile.missing["column"], profile.missing["missing"].astype(int), strict=True)),
        "duplicates": profile.duplicates,
        "dates that cannot be right or be read": int(dates["rows"].sum()) + int(unread["could not be read"].sum()),
    }
    for name, row in variants.iterrows():
        figures[f"veil coefficient, {name}"] = row["coefficient"]
        figures[f"veil stops, {name}"] = int(row["stops"])
    return figures


def agree(plain: object, toolkit: object) -> bool:
    if isinstance(plain, dict) and isinstance(toolkit, dict):
        return all(agree(value, toolkit.get(key)) for key, value in plain.items())
    if isinstance(plain, float) or isinstance(toolkit, float):
        a, b = float(plain), float(toolkit)  # type: ignore[arg-type]
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)
    return plain == toolkit


def verify(project: Path, plain_json: Path) -> list[str]:
    """One line per key figure: the plain script's and the toolkit's, and whether they agree."""
    plain = json.loads(plain_json.read_text(encoding="utf-8"))
    import statsmodels.api  # noqa: F401  (its import sets warning filters of its own: imported before ours)

    with warnings.catch_warnings():  # the models' warnings of separation on small samples; the figures show it
        warnings.simplefilter("ignore")
        toolkit = toolkit_figures(project)
    lines = []
    for key, value in plain.items():
        theirs = toolkit.get(key)
        if isinstance(value, float) and isinstance(theirs, float):
            shown = f"{value:.6g} / {theirs:.6g}"
        elif isinstance(value, dict) and isinstance(theirs, dict):  # per column: the columns the plain script has
            theirs = {k: theirs.get(k) for k in value}
            differ = {k: (v, theirs[k]) for k, v in value.items() if not agree(v, theirs[k])}
            shown = f"{len(value)} columns, {sum(value.values()):,} in all" + (f"; differ: {differ}" if differ else "")
        else:
            shown = f"{value} / {theirs}"
        lines.append(f"    {'agree ' if agree(value, theirs) else 'DIFFER'}  {key}: {shown}")
    return lines


def run_size(rows: int, seed: Path, work: Path, keep: bool = False) -> dict[str, Stage]:
    csv = work / f"stops_{rows}.csv"
    started = time.perf_counter()
    build_csv(seed, rows, csv)
    print(f"\n{rows:,} rows: built {csv.name} ({csv.stat().st_size / 2**30:.2f} GB) in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    project = make_project(work, csv)
    toolkit = [sys.executable, "-m", "safety_toolkit"]
    stages = {}
    for name, command in (
        ("fetch", [*toolkit, "fetch", "--topic", TOPIC]),
        ("standardize", [*toolkit, "standardize", "--topic", TOPIC]),
        ("report", [*toolkit, "run", "--topic", TOPIC]),
    ):
        stage = measure(name, command, project)
        stages[name] = stage
        print(
            f"  {name:12} {stage.seconds:7.1f} s ({stage.cpu:6.1f} s CPU) {stage.peak_mb:8.0f} MB"
            f" {'ok' if stage.ok else 'FAILED'}",
            flush=True,
        )
        if not stage.ok:
            print(stage.output[-3000:])
            break
    for key, plain in plain_baselines(csv, work).items():
        stages[key] = plain
        print(f"  {plain.name:27} {plain.seconds:7.1f} s ({plain.cpu:6.1f} s CPU) {plain.peak_mb:8.0f} MB"
              f" {'ok' if plain.ok else 'FAILED'}", flush=True)  # fmt: skip
        if not plain.ok:
            print(plain.output[-3000:])
    if stages["plain_same"].ok and all(stages[n].ok for n in ("fetch", "standardize") if n in stages):
        print("  the plain script's figures / the toolkit's, on the same data:")
        try:
            print("\n".join(verify(project, work / "plain.json")), flush=True)
        except Exception as err:  # the figures above still stand; say why they could not be compared
            print(f"    not compared: {type(err).__name__}: {str(err).splitlines()[0]}", flush=True)
    if not keep:
        shutil.rmtree(project, ignore_errors=True)
        csv.unlink(missing_ok=True)
    return stages


def table(results: dict[int, dict[str, Stage]]) -> str:
    """The toolkit's stages, then each baseline with the toolkit's time (CPU) and memory as multiples of it."""
    lines = [
        "| rows | fetch | standardize | report | toolkit total, peak RSS | "
        + " | ".join(f"{name} | time ratio (CPU) | memory ratio" for name in BASELINES.values())
        + " |",
        "|---|---|---|---|---|" + "---|---|---|" * len(BASELINES),
    ]
    for rows, stages in results.items():
        cells = [f"{rows:,}"]
        for name in ("fetch", "standardize", "report"):
            s = stages.get(name)
            cells.append(f"{s.seconds:.1f} s, {s.peak_mb:,.0f} MB" + ("" if s.ok else " (failed)") if s else "-")
        toolkit = [stages[n] for n in ("fetch", "standardize", "report") if n in stages]
        total, peak = sum(s.seconds for s in toolkit), max(s.peak_mb for s in toolkit)
        cpu = sum(s.cpu for s in toolkit)
        cells.append(f"{total:.1f} s, {peak:,.0f} MB")
        for key in BASELINES:
            plain = stages[key]
            cells += [
                f"{plain.seconds:.1f} s, {plain.peak_mb:,.0f} MB" + ("" if plain.ok else " (failed)"),
                f"{total / plain.seconds:.1f}x ({cpu / max(plain.cpu, 0.01):.1f}x)",
                f"{peak / plain.peak_mb:.1f}x",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="+", type=float, default=[1e6], help="sizes, e.g. 1e6 1e7 3e7")
    parser.add_argument("--seed", type=Path, default=FIXTURES / "minneapolis_stops_2017_sample.csv")
    parser.add_argument("--work", type=Path, help="folder for the big files (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the big CSV and the project of the last size")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="pipeline-benchmark-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    try:
        for rows in args.rows:
            results[int(rows)] = run_size(int(rows), args.seed.resolve(), work, args.keep and rows == args.rows[-1])
    finally:
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(results))
    if args.json:
        figures = {
            rows: {n: {"seconds": s.seconds, "cpu": s.cpu, "peak_mb": s.peak_mb, "ok": s.ok} for n, s in stages.items()}
            for rows, stages in results.items()
        }
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
