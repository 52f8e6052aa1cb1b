"""`inspect TOPIC --suggest`: a first mapping for an unmapped dataset, from its column names and values.

Every guess is printed as YAML to paste into toolkit.yaml and check: the detectors look at names
("race", "gender", "date"...) and at the values themselves (codes such as W/B/H, YES/NO, date shapes).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import yaml

from .schema import Schema

SAMPLE = 2000  # rows sampled per column to recognise values
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%m/%d/%y %H:%M",
    "%m/%d/%y",
    "%d-%b-%y",
    "%d-%b-%Y",
)
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M %p", "%H%M")
RACE_WORDS = (  # (pattern on the lower-cased value, standard race); first match wins
    (r"(?<!non-)(?<!non )hispanic|latin", "hispanic"),
    (r"east african|somali", "black"),
    (r"^(w|wh|whi|white|cauc)", "white"),
    (r"^(b|bl|blk|black|african)", "black"),
    (r"^(a|as|asian|api|pacific|asian/pacific|hawai)", "asian/pacific islander"),
    (r"^(h)$", "hispanic"),
    (r"^(u|unk|unknown|not recorded|none|n/a|na)$|unknown", "unknown"),
    (r"^(i|n|ai|am ind|indian|native|amer|other|o|m|multi|mixed|east african)", "other"),
)
SEX_WORDS = ((r"^(m|male|man)$", "male"), (r"^(f|female|woman)$", "female"), (r"^(u|unk|unknown)", "unknown"))
YES = ("y", "yes", "true", "t", "1", "x")
NO = ("n", "no", "false", "f", "0")
NAME_HINTS = {  # standard column -> patterns on the normalised column name
    "subject_race": (r"(subject|suspect|driver|perp|susp|person|civilian|complainant)?.*(race|ethnic)",),
    "subject_sex": (r"(subject|suspect|driver|perp|susp|person)?.*(sex|gender)",),
    "subject_age": (r"(subject|suspect|driver|perp|susp)?.*age$", r"^age$"),
    "officer_race": (r"(officer|ofc|off).*race",),
    "officer_sex": (r"(officer|ofc|off).*(sex|gender)",),
    "officer_age": (r"(officer|ofc|off).*age$",),
    "lat": (r"^(lat|latitude|y|centerlat|point_y)$",),
    "lng": (r"^(lng|lon|long|longitude|x|centerlong|point_x)$",),
    "precinct": (r"precinct",),
    "district": (r"district|sector|division",),
    "beat": (r"^beat",),
    "neighborhood": (r"neighbo|community|zip",),
    "search_vehicle": (r"vehicle.?search",),
    "search_person": (r"person.?search",),
    "frisk_performed": (r"frisk",),
    "citation_issued": (r"citation|ticket",),
    "arrest_made": (r"arrest(ed)?$", r"arrest.?made"),
    "contraband_found": (r"contraband",),
    "subject_injured": (r"(subject|suspect|susp).*injur",),
    "officer_injured": (r"(officer|ofc).*injur",),
    "force_type": (r"(force|control).*type", r"type.*force"),
    "call_type": (r"nature|problem|call.?type|incident.?type",),
    "offense": (r"offen[cs]e|charge|crime", r"ofns"),
    "priority": (r"priority",),
    "request_type": (r"complaint.?type|request.?type|service.?type",),
    "agency": (r"^agency$|agency.?name|police.?department",),
    "reason_for_stop": (r"reason|problem",),
}


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _words(value: str, table: tuple[tuple[str, str], ...]) -> str | None:
    text = value.strip().lower()
    for pattern, standard in table:
        if re.search(pattern, text):
            return standard
    return None


class _Columns:
    """Distinct values and their counts per raw column, from a sample of the snapshot."""

    def __init__(self, snapshot: Path) -> None:
        self.con = duckdb.connect()
        path = "'" + snapshot.as_posix().replace("'", "''") + "'"
        self.con.execute(f"CREATE VIEW raw AS SELECT * FROM read_parquet({path}) LIMIT {SAMPLE}")
        self.names = [row[0] for row in self.con.execute("DESCRIBE raw").fetchall()]

    def values(self, name: str, limit: int = 50) -> list[str]:
        ident = '"' + name.replace('"', '""') + '"'
        rows = self.con.execute(
            f"SELECT trim({ident}) AS v, count(*) AS n FROM raw WHERE trim({ident}) <> '' "
            f"GROUP BY 1 ORDER BY n DESC LIMIT {limit}"
        ).fetchall()
        return [r[0] for r in rows]

    def parses(self, name: str, formats: tuple[str, ...]) -> str | None:
        """The first format that reads at least 95% of the sampled values."""
        values = self.values(name, limit=200)
        if not values:
            return None
        for fmt in formats:
            # A plausible year too: "%Y" reads "8/23/14" as the year 14.
            has_year = "%Y" in fmt or "%y" in fmt
            test = "year(try_strptime(v, ?)) BETWEEN 1950 AND 2100" if has_year else "try_strptime(v, ?) IS NOT NULL"
            ok = self.con.execute(
                f"SELECT count(*) FILTER (WHERE {test}) FROM unnest(?) AS t(v)", [fmt, values]
            ).fetchone()[0]
            if ok >= 0.95 * len(values):
                return fmt
        return None


def _value_map(values: list[str], table: tuple[tuple[str, str], ...]) -> dict[str, str] | None:
    mapped = {v: _words(v, table) for v in values}
    known = {k: v for k, v in mapped.items() if v}
    return known if len(known) >= 0.8 * len(values) and known else None


def _flag_map(values: list[str]) -> dict[str, bool] | None:
    lower = {v: v.lower() for v in values}
    if values and all(v in YES or v in NO for v in lower.values()):
        return {v: lower[v] in YES for v in values}
    return None


def suggest_mapping(schema: Schema, snapshot: Path) -> dict[str, Any]:
    """Standard column -> mapping spec, for the columns the detectors recognise."""
    cols = _Columns(snapshot)
    wanted = {c.name: c for c in schema.columns}
    mapping: dict[str, Any] = {}
    used: set[str] = set()

    def take(standard: str, spec: Any, source: str | list[str]) -> None:
        if standard in wanted and standard not in mapping:
            mapping[standard] = spec
            used.update([source] if isinstance(source, str) else source)

    # One-hot race columns: several yes/no columns whose names say race.
    race_flags = {
        name: _words(re.sub(r"(?i).*race", "", name), RACE_WORDS)
        for name in cols.names
        if "race" in name.lower() and (not cols.values(name) or _flag_map(cols.values(name)))
    }
    if len(race_flags) > 1 and all(race_flags.values()):
        take("subject_race", {"one_hot": race_flags}, list(race_flags))
    # Dates and times, by the shape of their values.
    for name in cols.names:
        norm = _normalise(name)
        if re.search(r"date|time|_dt$|occurred|reported|created", norm):
            date_format = cols.parses(name, DATE_FORMATS)
            if date_format and "date" not in mapping:
                take("date", {"column": name, "format": date_format}, name)
                if "%H" in date_format or "%I" in date_format:
                    take("time", {"column": name, "format": date_format}, name)
                continue
            time_format = cols.parses(name, TIME_FORMATS)
            if time_format and "time" not in mapping:
                take("time", {"column": name, "format": time_format}, name)
    # Everything else by name, checked against the values.
    for standard, patterns in NAME_HINTS.items():
        if standard not in wanted or standard in mapping:
            continue
        candidates = [
            name
            for name in cols.names
            if name not in used
            and any(re.search(p, _normalise(name)) for p in patterns)
            and not (standard.startswith("subject_") and re.search(r"officer|ofc", _normalise(name)))
        ]
        # "race" beats "preRace": the plainest name is usually the main column.
        for name in sorted(candidates, key=len):
            values = cols.values(name)
            column = wanted[standard]
            if column.type == "category":
                table = RACE_WORDS if standard.endswith("_race") else SEX_WORDS
                values_map = _value_map(values, table)
                if values_map:
                    take(standard, {"column": name, "values": values_map}, name)
                    break
            elif column.type == "bool":
                flags = _flag_map(values)
                if flags:
                    take(standard, {"column": name, "values": flags}, name)
                    break
            elif column.type == "float":
                text = " ".join(values[:20])
                if re.search(r"\(\s*-?\d+\.\d+\s*,\s*-?\d+\.\d+\s*\)", text) and standard in ("lat", "lng"):
                    take(standard, {"column": name, "parse": standard}, name)
                    break
                if values and all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in values[:20]):
                    take(standard, name, name)
                    break
            else:
                take(standard, name, name)
                break
    # "(lat, lng)" text in a location column fills both coordinates.
    for name in cols.names:
        if "lat" not in mapping and re.search(r"\(\s*-?\d+\.\d+\s*,\s*-?\d+\.\d+\s*\)", " ".join(cols.values(name, 5))):
            take("lat", {"column": name, "parse": "lat"}, name)
            take("lng", {"column": name, "parse": "lng"}, name)
    # The identifier: the first column whose name says id/key/number and whose values are unique.
    id_column = next((c.name for c in schema.columns if c.name.endswith("_id") and not c.private), None)
    id_column = "raw_row_number" if "raw_row_number" in wanted else id_column
    if id_column and id_column not in mapping:
        for name in cols.names:
            if (
                re.search(r"(^|_)(id|key|number|num|nbr|no)$|^id|_id_?|idnum|case", _normalise(name))
                and name not in used
            ):
                distinct, total = cols.con.execute(f'SELECT count(DISTINCT "{name}"), count(*) FROM raw').fetchone()
                if total and distinct == total:
                    take(id_column, name, name)
                    break
    return mapping


def suggestion_yaml(mapping: dict[str, Any]) -> str:
    body = yaml.safe_dump({"mapping": mapping}, sort_keys=False, allow_unicode=True, width=100)
    return (
        "# A first mapping, guessed from column names and values: check every line against the data\n"
        "# dictionary (references/data_dictionaries/) before pasting it under the source in toolkit.yaml.\n" + body
    )
