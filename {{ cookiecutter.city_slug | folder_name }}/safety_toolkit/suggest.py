"""`map TOPIC`: a first mapping for an unmapped dataset, from its column names and values.

The suggester would rather ask than be wrong. Each guess carries its evidence and a confidence:
  high   the name and the values agree (e.g. a column named "race" whose values are all race words)
  medium the values fit, but the name or part of the values leave room for doubt
  low    a guess worth checking before trusting any number built on it
  ask    several columns could fill the same standard column; the best is used and the others named
Whatever is not high is flagged for review in toolkit.yaml and on the reports.

The traps it knows: officer columns named like subject ones (OffRace, ofcgender, OFFICER_RACE); race words
matched as whole words ("American Indian" is not "Asian"), with a separate Hispanic ethnicity column folded into
race as the Open Policing Project does; null tokens ("NULL", "(null)", "-", "N/A", "NA", "UNK", blank) set aside
before any value is looked at; dates whose times are all midnight give no time of day; age bands are bands, not
ages; coordinates that are not degrees (a state plane) are not latitudes; long free text is never a category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .schema import Column, Schema
from .sql import one_row, quote_ident
from .store import QUERY_MEMORY, connect_duckdb

SAMPLE = 5000  # rows sampled to recognise values
NULL_TOKENS = ("", "null", "(null)", "-", "--", "n/a", "na", "nan", "none", "unk", "?", ".")
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%gZ",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%m/%d/%y %H:%M",
    "%m/%d/%y",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%Y/%m/%d %H:%M:%S+00",
    "%Y%m%d",
)
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")

# Race words, matched on whole words of the lower-cased value (punctuation read as spaces), first match wins.
# Hispanic ethnicity counts as hispanic whatever the race, as the Open Policing Project counts it.
RACE_WORDS: tuple[tuple[str, str], ...] = (
    (r"\b(non|not)( |-)?(hispanic|latin[oax]?)\b", ""),  # a negated ethnicity says nothing: look further
    (r"\b(hispanic|latin[oax]?|hisp)\b", "hispanic"),
    (r"\b(american ind\w*|alaska\w* native|native american|amer ind\w*|indigenous|first nations)\b", "other"),
    (r"\b(east african|somali\w*|ethiopian|eritrean)\b", "black"),
    (r"\b(black|african american|african|afr am|blk)\b", "black"),
    (r"\b(white|caucasian|cauc|wht)\b", "white"),
    (
        r"\b(asian|pacific\w*|pac islander|islander|hawaiian|api|aapi|filipino|chinese|japanese|korean)\b",
        "asian/pacific islander",
    ),
    (
        r"\b(vietnamese|cambodian|hmong|laotian|samoan|asian indian|south asian|polynesian|guamanian|chamorro)\b",
        "asian/pacific islander",
    ),
    (r"\b(middle eastern|arab\w*|north african|mena)\b", "other"),
    (r"\b(two or more|multi\w*|mixed|biracial|bi racial)\b", "other"),
    (r"\b(indian|native)\b", "other"),  # alone, after "asian indian": American Indian, as publishers abbreviate
    (r"\b(unknown|unk|not specif\w*|not recorded|not stated|refused|declined|undetermined|no data)\b", "unknown"),
    (r"\bother\b", "other"),
)
RACE_CODES = {"w": "white", "b": "black", "h": "hispanic", "a": "asian/pacific islander",
              "p": "asian/pacific islander", "i": "other", "m": "other", "o": "other", "u": "unknown",
              "x": "unknown"}  # fmt: skip
SEX_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"\b(non binary|nonbinary|gender non conforming|gender nonconforming|genderqueer|transgender|trans)\b",
        "non-binary",
    ),
    (r"\b(female|woman|women|girl|fem)\b", "female"),
    (r"\b(male|man|men|boy)\b", "male"),
    (r"\b(unknown|unk|not specif\w*|not recorded|undetermined|refused|declined)\b", "unknown"),
)
SEX_CODES = {"m": "male", "f": "female", "u": "unknown", "x": "non-binary"}
ETHNICITY_CODES = {"h": "hispanic", "n": "", "nh": "", "u": "", "non his": ""}
YES = ("y", "yes", "true", "t", "1", "1.0", "x")
NO = ("n", "no", "false", "f", "0", "0.0")

OFFICER = r"^(officer|officers|ofc|ofcr|off(?!en[cs]e|ense)|member|emp|employee|deputy)"
SUBJECT = r"^(subject|suspect|susp|sus|driver|perp|person|civilian|complainant|citizen|individual|arrestee|sub)"

# Standard column -> (pattern on the squashed lower-case name, with its officer/subject prefix removed).
NAME_HINTS: dict[str, tuple[str, ...]] = {
    "race": (r"^(race|racecode|raceethnicity|racedesc|race\w*)$", r"race|^rac"),  # "SUBJECT_RACT" is a typo
    "sex": (r"^(sex|gender|sexcode|sexcd|sexcodecd|gendercode)$", r"sex|gender"),
    "age": (r"^(age|ageatincident|ageyears)$", r"age$"),
    "ethnicity": (r"^(ethnicity|ethnic|ethn|hispanic)$", r"ethnic"),
    "lat": (r"^(lat|latitude|y|centerlat|pointy|ylat|ywgs84)$",),
    "lng": (r"^(lng|lon|long|longitude|x|centerlong|pointx|xlong|xwgs84)$",),
    "precinct": (r"precinct",),
    "district": (r"district|sector|division|areacommand|patrolarea",),
    "beat": (r"beat",),
    "neighborhood": (r"neighbo|community|^zip|zipcode",),
    "search_conducted": (r"^(search|searched|searchconducted|anysearch)$", r"searchconducted"),
    "search_vehicle": (r"vehicle.?search|searchvehicle|vehsearch",),
    "search_person": (r"person.?search|searchperson|bodysearch|searchofperson",),
    "frisk_performed": (r"frisk|patdown",),
    "citation_issued": (r"citation|ticket|cited",),
    "warning_issued": (r"warning",),
    "arrest_made": (r"^arrest(ed|made)?$|arrestmade|wasarrested|custodialarrest",),
    "subject_arrested": (r"arrest",),
    "contraband_found": (r"contraband(found)?$",),
    "contraband_drugs": (r"contrabanddrug",),
    "contraband_weapons": (r"contrabandweapon",),
    "injured": (r"injur",),
    "hospitalized": (r"hospital",),
    "armed": (r"^armed$|^(subject)?armed$|^was.?armed",),
    "force_type": (  # best first; "Response" as in "response to resistance"; a bare "TYPE" in use-of-force data
        r"forcetype|typeofforce|forceused",
        r"typecontrol|weaponused1",
        r"force$|control$|^response$|^responsetype$",
        r"^type$",
    ),
    "force_level": (r"forcelevel|levelofforce|r2rlevel|^level$",),
    "call_type": (r"^nature|natureofcall|problem|calltype|incidenttype|initialtype|natinc|calldesc",),
    "offense": (r"offen[cs]e|^charge|crime|ofnsdesc|statutedesc",),
    "priority": (r"priority",),
    "request_type": (r"complainttype|requesttype|servicetype|requestcategory",),
    "agency": (r"^agency$|agencyname|policedepartment|^department$",),
    "reason_for_stop": (r"reasonforstop|stopreason|^reason$|^problem$",),
    "reason": (r"reason|resist",),
    "violation": (r"violation",),
    "disposition": (r"disposition|outcome|resultofstop|result",),
    "outcome": (r"^outcome$",),
    "subject_resistance": (r"resistance|resist$",),
    "review_outcome": (r"finding|investigationstatus",),
    "type": (r"^(stoptype|type)$",),
    "status": (r"^status$",),
    "description": (r"description|descriptor",),
    "subject_age_group": (r"agegroup|ageband|agerange",),
}
PERSON_PARTS = ("race", "sex", "age", "injured", "hospitalized", "armed", "arrested")
FREE_TEXT_OK = ("description", "resolution", "subject_weapon", "justification")  # narrative by nature
FREE_TEXT_LENGTH = 60  # average characters above which a column is narrative, not a category
KEY_COLUMNS = ("subject_race", "subject_sex", "search_conducted", "search_person", "search_vehicle",
               "frisk_performed", "force_type", "date")  # fmt: skip


@dataclass
class Guess:
    """One suggested mapping entry, with what it rests on."""

    standard: str
    spec: Any
    evidence: str
    confidence: str  # high, medium, low or ask (see the module's docstring)
    alternatives: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.confidence != "high"

    @property
    def comment(self) -> str:
        also = f"; also possible: {', '.join(repr(a) for a in self.alternatives)}" if self.alternatives else ""
        check = "" if self.confidence == "high" else " CHECK:"
        return f"guess ({self.confidence}):{check} {self.evidence}{also}"


@dataclass
class Suggestion:
    guesses: dict[str, Guess]
    notes: list[str]  # columns looked at and left out, in one sentence each
    read: dict[str, Any] = field(default_factory=dict)  # how to read the file: null_values, skip_rows
    read_notes: list[str] = field(default_factory=list)  # why, one sentence per key of `read`

    @property
    def mapping(self) -> dict[str, Any]:
        return {name: guess.spec for name, guess in self.guesses.items()}


def squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def words(value: str) -> str:
    """A value as lower-case words: 'Asian/Pacifi' -> 'asian pacifi'."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())


def is_null(value: str | None) -> bool:
    return value is None or value.strip().lower() in NULL_TOKENS


def race_of(value: str) -> str | None:
    text = words(value)
    if text in RACE_CODES:
        return RACE_CODES[text]
    rest = text
    for pattern, standard in RACE_WORDS:
        if re.search(pattern, rest):
            if not standard:  # "non-hispanic": drop the phrase and read the rest
                rest = re.sub(pattern, " ", rest)
                continue
            return standard
    return None


def sex_of(value: str) -> str | None:
    text = words(value)
    if text in SEX_CODES:
        return SEX_CODES[text]
    for pattern, standard in SEX_WORDS:
        if re.search(pattern, text):
            return standard
    return None


def role(name: str) -> tuple[str, str]:
    """('officer' | 'subject' | '', the rest of the squashed name): OffRace -> ('officer', 'race')."""
    camel = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    squashed = squash(camel)
    parts = [p for p in re.split(r"[^a-z0-9]+", camel.lower()) if p]
    for who, pattern in (("officer", OFFICER), ("subject", SUBJECT)):
        match = re.match(pattern, squashed)
        if match and (
            len(parts) > 1
            or any(squashed[match.end() :].startswith(p) for p in (*PERSON_PARTS, "gender", "ethnic"))
            or who == "subject"
        ):
            return who, squashed[match.end() :] or squashed
    return "", squashed


def header_rows(snapshot: Path) -> list[int]:
    """[1] when the first data row repeats the column labels (a second header row, e.g. Indianapolis'
    "occurredDate, officerForceType" under "INCIDENT_DATE, TYPE_OF_FORCE_USED"), else []. The row counts as
    a header when most of its values are labels (a column's own name, camelCase or snake_case words) and none
    of them occurs again further down its column."""
    con = connect_duckdb(QUERY_MEMORY)
    path = "'" + snapshot.as_posix().replace("'", "''") + "'"
    names = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet({path})").fetchall()]
    first = con.execute(f"SELECT * FROM read_parquet({path}) LIMIT 1").fetchone()
    if first is None or len(names) < 3:
        return []
    squashed = {squash(n) for n in names}
    labels = 0
    present = [(n, str(v).strip()) for n, v in zip(names, first, strict=True) if v is not None and str(v).strip()]
    for _, value in present:
        label = (
            squash(value) in squashed
            or re.fullmatch(r"[a-z]+([A-Z][a-z0-9]*)+", value)  # camelCase
            or re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", value)  # snake_case
        )
        labels += bool(label)
    if len(present) < 0.5 * len(names) or labels < 0.6 * len(present):
        return []
    for name, value in present:
        again = one_row(
            con,
            f"SELECT count(*) FROM read_parquet({path}) WHERE trim(CAST({quote_ident(name)} AS VARCHAR)) = ?", [value]
        )[0]
        if again > 1:
            return []  # a real value that recurs, not a label
    return [1]


class Profile:
    """Distinct values and their counts per raw column, from a sample of the snapshot (less the rows a
    `read: {skip_rows: ...}` would drop, counted from 1 after the header)."""

    def __init__(self, snapshot: Path, skip_rows: list[int] | None = None) -> None:
        self.con = connect_duckdb(QUERY_MEMORY)  # counts whole columns: a ceiling, and spilling past it
        path = "'" + snapshot.as_posix().replace("'", "''") + "'"
        skipped = ", ".join(str(int(i) - 1) for i in skip_rows or []) or "-1"
        self.con.execute(
            f"CREATE TEMP VIEW whole AS SELECT * EXCLUDE (file_row_number) "
            f"FROM read_parquet({path}, file_row_number = true) WHERE file_row_number NOT IN ({skipped})"
        )
        self.con.execute(f"CREATE TEMP TABLE raw AS SELECT * FROM whole USING SAMPLE {SAMPLE} ROWS (reservoir, 7)")
        self.names = [row[0] for row in self.con.execute("DESCRIBE raw").fetchall()]
        self.rows = one_row(self.con, "SELECT count(*) FROM raw")[0]
        self._counts: dict[str, list[tuple[str, int]]] = {}

    def counts(self, name: str) -> list[tuple[str, int]]:
        """(value, rows) of the present values, most frequent first; null tokens left out."""
        if name not in self._counts:
            ident = quote_ident(name)
            rows = self.con.execute(
                f"SELECT trim(CAST({ident} AS VARCHAR)) AS v, count(*) AS n FROM raw GROUP BY 1 ORDER BY n DESC, v"
            ).fetchall()
            self._counts[name] = [(v, n) for v, n in rows if not is_null(v)]
        return self._counts[name]

    def nulls(self, name: str) -> list[str]:
        """The null tokens this column uses (other than blank)."""
        ident = quote_ident(name)
        rows = self.con.execute(f"SELECT DISTINCT trim(CAST({ident} AS VARCHAR)) FROM raw").fetchall()
        return sorted(v for (v,) in rows if v is not None and v.strip() and is_null(v))

    def values(self, name: str) -> list[str]:
        return [v for v, _ in self.counts(name)]

    def all_values(self, name: str, limit: int = 60) -> list[str]:
        """The most frequent present values of the whole column, not only of the sample: a label used once
        in ten thousand rows ("Polynesian") still gets its entry in a value map."""
        rows = self.con.execute(
            f"SELECT trim(CAST({quote_ident(name)} AS VARCHAR)) AS v, count(*) AS n FROM whole "
            "WHERE v IS NOT NULL GROUP BY 1 ORDER BY n DESC, v"
        ).fetchall()
        return [v for v, _ in rows if not is_null(v)][:limit]

    def file_nulls(self) -> dict[str, dict[str, int]]:
        """Null token (other than blank) -> {column: rows} of the sample, for every column that uses one."""
        found: dict[str, dict[str, int]] = {}
        for name in self.names:
            ident = quote_ident(name)
            rows = self.con.execute(
                f"SELECT trim(CAST({ident} AS VARCHAR)) AS v, count(*) FROM raw GROUP BY 1"
            ).fetchall()
            for value, n in rows:
                if value is not None and value.strip() and is_null(value):
                    found.setdefault(value, {})[name] = n
        return found

    def present(self, name: str) -> int:
        return sum(n for _, n in self.counts(name))

    def distinct_share(self, name: str) -> float:
        present = self.present(name)
        return len(self.counts(name)) / present if present else 0.0

    def mean_length(self, name: str) -> float:
        present = self.present(name)
        return sum(len(v) * n for v, n in self.counts(name)) / present if present else 0.0

    def parses(self, name: str, formats: tuple[str, ...]) -> str | None:
        """The first format that reads at least 95% of the present rows with a plausible year."""
        counts = self.counts(name)[:500]
        if not counts:
            return None
        values, weights = [v for v, _ in counts], [n for _, n in counts]
        for fmt in formats:
            has_year = "%Y" in fmt or "%y" in fmt
            test = "year(try_strptime(v, ?)) BETWEEN 1950 AND 2100" if has_year else "try_strptime(v, ?) IS NOT NULL"
            ok = one_row(
                self.con,
                f"SELECT coalesce(sum(n) FILTER (WHERE {test}), 0) FROM (SELECT unnest(?) AS v, unnest(?) AS n)",
                [fmt, values, weights],
            )[0]
            if ok >= 0.95 * sum(weights):
                return fmt
        return None

    def all_midnight(self, name: str, fmt: str) -> bool:
        values = self.values(name)[:500]
        late = one_row(
            self.con,
            "SELECT count(*) FILTER (WHERE CAST(try_strptime(v, ?) AS TIME) <> TIME '00:00:00') FROM unnest(?) AS t(v)",
            [fmt, values],
        )[0]
        return bool(late == 0)

    def numbers(self, name: str) -> list[float] | None:
        """The values as numbers, or None unless at least 95% of the present rows hold a number."""
        out, bad = [], 0
        for value, n in self.counts(name)[:300]:
            try:
                out.append(float(value.replace(",", "")))
            except ValueError:
                bad += n
        return out if out and bad <= 0.05 * self.present(name) else None


def _covered(profile: Profile, name: str, lookup: dict[str, Any]) -> float:
    present = profile.present(name)
    return sum(n for v, n in profile.counts(name) if lookup.get(v) is not None) / present if present else 0.0


def _nulls_map(profile: Profile, name: str, to: Any) -> dict[str, Any]:
    return dict.fromkeys(profile.nulls(name), to)


def _confidence(coverage: float, strong_name: bool) -> str:
    if coverage >= 0.98 and strong_name:
        return "high"
    if coverage >= 0.9:
        return "medium"
    return "low"


class _Suggester:
    def __init__(self, schema: Schema, profile: Profile) -> None:
        self.schema, self.profile = schema, profile
        self.wanted = {c.name: c for c in schema.columns if not c.private or c.name in ("location",)}
        self.guesses: dict[str, Guess] = {}
        self.used: set[str] = set()
        self.notes: list[str] = []
        self.skip: set[str] = set()  # columns set aside (free text, bands, state plane), never guessed from

    def take(self, guess: Guess, sources: list[str]) -> None:
        if guess.standard in self.wanted and guess.standard not in self.guesses:
            self.guesses[guess.standard] = guess
            self.used.update(sources)

    # What kind of data each column holds, before any name is trusted.
    def is_free_text(self, name: str) -> bool:
        p = self.profile
        return p.mean_length(name) > FREE_TEXT_LENGTH or (p.mean_length(name) > 30 and p.distinct_share(name) > 0.5)

    def is_age_band(self, name: str) -> bool:
        values = self.profile.values(name)
        bands = [
            v
            for v in values
            if re.fullmatch(r"\s*(<|>|under|over)?\s*\d{1,3}\s*(-|to|\+|and over|or older)\s*(\d{1,3})?\s*", v.lower())
        ]
        return (
            bool(values) and len(bands) >= 0.8 * len(values) and any(re.search(r"\d\s*(-|to)\s*\d", b) for b in bands)
        )

    def flag_map(self, name: str) -> tuple[dict[str, Any], float] | None:
        values = self.profile.values(name)
        if not values or len(values) > 4:
            return None
        lookup: dict[str, Any] = {}
        for v in values:
            low = v.lower()
            if low in YES:
                lookup[v] = True
            elif low in NO:
                lookup[v] = False
        if not lookup:
            return None
        coverage = _covered(self.profile, name, lookup)
        if coverage < 0.9:
            return None
        return lookup | _nulls_map(self.profile, name, None), coverage

    # Detectors, most certain first.
    def run(self) -> Suggestion:
        p = self.profile
        for name in p.names:
            if not p.values(name):
                continue
            if self.is_age_band(name):
                self.skip.add(name)
                if "subject_age_group" in self.wanted and role(name)[0] != "officer":
                    self.take(
                        Guess(
                            "subject_age_group",
                            name,
                            f"{name!r} holds age bands ({', '.join(p.values(name)[:3])})",
                            "medium",
                        ),
                        [name],
                    )
                else:
                    self.notes.append(
                        f"{name!r} holds age bands ({', '.join(p.values(name)[:3])}), not ages: "
                        "not mapped to an age in years."
                    )
            elif all(re.fullmatch(r"[0-9a-f]{32,}", v) for v in p.values(name)[:20]):
                self.skip.add(name)
                self.notes.append(f"{name!r} holds hashed identifiers: not mapped.")
            elif self.is_free_text(name):
                self.skip.add(name)
                self.notes.append(
                    f"{name!r} is free text (about {p.mean_length(name):.0f} characters a value): "
                    "never used as a category."
                )
        self.one_hot_race()
        self.dates()
        self.same_names()
        self.people()
        self.coordinates()
        self.by_name()
        self.identifier()
        return Suggestion(self.guesses, self.notes)

    def one_hot_race(self) -> None:
        """Several yes/no columns, one per race or sex ("Suspect Race Caucasian, Non-Hispanic": X)."""
        p = self.profile
        for standard, word, read in (("subject_race", "race", race_of), ("subject_sex", "gender|sex", sex_of)):
            flags = {
                name: read(re.sub(rf"(?i).*?({word})", "", name))
                for name in p.names
                if re.search(word, name.lower())
                and role(name)[0] != "officer"
                and (not p.values(name) or self.flag_map(name))
            }
            if len(flags) > 1 and all(flags.values()):
                listing = ", ".join(repr(n) for n in flags)
                self.take(
                    Guess(standard, {"one_hot": flags}, f"yes/no columns {listing} each name a value", "medium"),
                    list(flags),
                )

    def dates(self) -> None:
        p = self.profile
        dated: list[tuple[int, str, str, bool]] = []
        for name in p.names:
            if name in self.skip:
                continue
            norm = squash(name)
            if role(name)[0] and re.search(r"birth|dob|appoint|hire", norm):
                continue
            fmt = p.parses(name, DATE_FORMATS)
            if fmt:
                timed = ("%H" in fmt or "%I" in fmt) and not p.all_midnight(name, fmt)
                rank = (
                    0
                    if re.search(r"birth|dob|dateofbirth", norm)
                    else (
                        3
                        if re.search(
                            r"^(date|datetime|time)$|occur|incident|stop|calldate|response|received|event|^date", norm
                        )
                        or (self.schema.topic == "arrests" and "arrest" in norm)
                        else 2
                        if re.search(r"date|time|dt$|created|reported", norm)
                        else 1
                    )
                )
                if rank:
                    dated.append((rank, name, fmt, timed))
            elif re.search(r"time|hour", norm):
                time_fmt = p.parses(name, TIME_FORMATS)
                if time_fmt and "time" in self.wanted and "time" not in self.guesses:
                    self.take(
                        Guess(
                            "time",
                            {"column": name, "format": time_fmt},
                            f"{name!r} holds clock times ({p.values(name)[0]})",
                            "high",
                        ),
                        [name],
                    )
                elif re.fullmatch(r"\d{1,4}", p.values(name)[0]) and self._hhmm(name):
                    first = p.values(name)[0]
                    self.take(
                        Guess(
                            "time",
                            {"column": name, "pad": 4, "format": "%H%M"},
                            f"{name!r} holds times written as digits without a colon "
                            f"({first!r} is {first.zfill(4)[:2]}:{first.zfill(4)[2:]})",
                            "medium",
                        ),
                        [name],
                    )
        if not dated and "date" in self.wanted and self.wanted["date"].required:
            self.take(Guess("date", None, "no column reads as a date: if one holds it, map it here", "ask"), [])
        if not dated or "date" not in self.wanted:
            return
        dated.sort(key=lambda d: -d[0])
        rank, name, fmt, timed = dated[0]
        others = [d[1] for d in dated[1:] if d[0] == rank]
        confidence = "ask" if others else ("high" if rank == 3 else "medium")
        self.take(
            Guess("date", {"column": name, "format": fmt}, f"{name!r} reads as dates ({fmt})", confidence, others),
            [name],
        )
        if timed and "time" not in self.guesses:
            self.take(
                Guess(
                    "time", {"column": name, "format": fmt}, f"{name!r} also holds the time of day", confidence, others
                ),
                [name],
            )
        elif not timed and ("%H" in fmt or "%I" in fmt):
            self.notes.append(
                f"{name!r} has a time part that is always midnight: it gives the date only, never a time."
            )

    def same_names(self) -> None:
        """Columns already named as the standard ones (the Open Policing Project's layout): checked by value."""
        p = self.profile
        by_squash = {squash(n): n for n in p.names}
        for standard, column in self.wanted.items():
            name = by_squash.get(squash(standard))
            if standard in self.guesses or name is None or name in self.used or not p.values(name):
                continue
            if standard.endswith(("_race", "_sex", "_age")):
                continue  # people() reads these, with the ethnicity column beside race
            found = self.spec_for(column, name)
            if found:
                spec, confidence, evidence = found
                if confidence == "medium" and column.type not in ("bool", "category"):
                    confidence = "high"  # the standard's own name, and values of the right kind
                self.take(Guess(standard, spec, evidence + " (the standard column's own name)", confidence), [name])

    def _hhmm(self, name: str) -> bool:
        numbers = self.profile.numbers(name)
        if not numbers:
            return False
        return all(0 <= n <= 2359 and n % 100 < 60 and n == int(n) for n in numbers)

    def people(self) -> None:
        """Race, sex, age and ethnicity of the subject and of the officer, told apart by name."""
        p = self.profile
        found: dict[str, list[tuple[float, str]]] = {}
        for name in p.names:
            if name in self.used or name in self.skip:
                continue
            who, rest = role(name)
            for part in ("race", "sex", "age", "ethnicity"):
                hints = NAME_HINTS[part]
                strong, weak = hints[0], (hints[1] if len(hints) > 1 else None)
                score: float = 3 if re.search(strong, rest) else 2 if weak and re.search(weak, rest) else 0
                if part == "race" and re.search(r"ethnic", rest) and not re.search(r"race", rest):
                    continue
                if part == "age" and re.search(r"group|band|range|stage|page|agency|image|damage|usage|average", rest):
                    continue
                if score:
                    prefix = "officer" if who == "officer" else "subject"
                    # A plain name ("race") in a file that also has unprefixed officer columns is the subject's.
                    found.setdefault(f"{prefix}_{part}", []).append((score + (0.5 if who == "subject" else 0), name))
        if "subject_ethnicity" in found:
            found.setdefault("subject_race", [])  # an "ethnicity" column may hold the races
        for standard in sorted(found):
            part = standard.split("_", 1)[1]
            if part == "ethnicity":
                continue
            candidates = sorted(found[standard], key=lambda c: (-c[0], len(c[1])))
            fits = [(score, name, fit) for score, name in candidates if (fit := self.person_spec(standard, name))]
            if not fits and standard == "subject_race":
                # "Subject Ethnicity" holding Black, White...: a race column under another name.
                named = sorted(found.get("subject_ethnicity", []), key=lambda c: -c[0])
                fits = [(s, n, fit) for s, n in named if (fit := self.person_spec(standard, n)) and fit[1] >= 0.9]
                fits = [
                    (s, n, (spec, cov, ev + " (named an ethnicity, but it holds races)"))
                    for s, n, (spec, cov, ev) in fits
                ]
                if fits:
                    score, name, (spec, coverage, evidence) = fits[0]
                    self.take(Guess(standard, spec, evidence, "medium", [f[1] for f in fits[1:]]), [name])
                    continue
            if not fits and candidates:
                shown = ", ".join(repr(v) for v in p.values(candidates[0][1])[:4])
                self.notes.append(
                    f"{candidates[0][1]!r} looks like {standard} by its name, but its values ({shown}) are codes "
                    "the toolkit cannot read: map them by hand from the publisher's codebook."
                )
                continue
            score, name, (spec, coverage, evidence) = fits[0]
            ties = [n for s, n, _ in fits[1:] if s == score]
            others = [n for _, n, _ in fits[1:]]
            confidence = "ask" if ties else _confidence(coverage, score >= 3)
            if part == "race" and standard == "subject_race":
                ethnicity = [n for _, n in sorted(found.get("subject_ethnicity", []), key=lambda c: -c[0])]
                spec, evidence, confidence = self.fold_ethnicity(name, ethnicity, spec, evidence, confidence)
            self.take(Guess(standard, spec, evidence, confidence, others), [name])

    def person_spec(self, standard: str, name: str) -> tuple[Any, float, str] | None:
        p = self.profile
        part = standard.split("_", 1)[1]
        if part == "age":
            numbers = p.numbers(name)
            if not numbers or not (sum(1 for n in numbers if 5 <= n <= 110) >= 0.9 * len(numbers)):
                return None
            return name, 1.0, f"{name!r} holds numbers that look like ages"
        read = race_of if part == "race" else sex_of
        lookup = {v: read(v) for v in p.all_values(name)}
        coverage = _covered(p, name, lookup)
        if coverage < 0.5:
            return None
        known = {v: s for v, s in lookup.items() if s}
        unread = [v for v, s in lookup.items() if not s]
        values = known | _nulls_map(p, name, "unknown")
        evidence = f"{name!r}: {coverage:.0%} of its values read as {part} words"
        if unread:
            evidence += f"; not understood: {', '.join(repr(v) for v in unread[:4])}"
            coverage = min(coverage, 0.97)  # a value left to "unknown" is a question for a person
        return {"column": name, "values": values}, coverage, evidence

    def fold_ethnicity(
        self, race: str, ethnicity: list[str], spec: dict[str, Any], evidence: str, confidence: str
    ) -> tuple[dict[str, Any], str, str]:
        """A separate Hispanic-ethnicity column: 'W' + 'H' is hispanic, 'W' + 'N' is white."""
        p = self.profile
        for name in ethnicity:
            if name in self.used or name == race:
                continue
            hispanic: dict[str, bool] = {}
            for value in p.values(name)[:20]:
                text = words(value)
                if re.search(r"\b(non|not)\b", text) or text in ("n", "nh"):
                    hispanic[value] = False
                elif race_of(value) == "hispanic" or text == "h":
                    hispanic[value] = True
                elif text in ("u", "unknown", "unk") or race_of(value) == "unknown":
                    hispanic[value] = False
            if not hispanic or _covered(p, name, hispanic) < 0.8:
                continue
            if race_of(p.values(name)[0]) not in (None, "hispanic") and any(
                race_of(v) in ("white", "black") for v in p.values(name)[:10]
            ):
                continue  # it holds races (New Orleans' "Subject Ethnicity"), not an ethnicity
            races = spec["values"]
            values: dict[str, Any] = {}
            for r, standard in races.items():
                values[r] = standard
                for e, is_hispanic in hispanic.items():
                    values[f"{r} {e}"] = "hispanic" if is_hispanic else standard
            for e, is_hispanic in hispanic.items():
                values[e] = "hispanic" if is_hispanic else "unknown"
            self.used.add(name)
            hisp = sum(n for v, n in p.counts(name) if hispanic.get(v))
            return (
                {"columns": [race, name], "values": values},
                evidence
                + f"; Hispanic ethnicity from {name!r} ({hisp:,} of {p.rows:,} sampled rows) counts as hispanic",
                "medium" if confidence == "high" else confidence,
            )
        return spec, evidence, confidence

    def coordinates(self) -> None:
        p = self.profile
        for standard, low, high in (("lat", -90, 90), ("lng", -180, 180)):
            if standard not in self.wanted or standard in self.guesses:
                continue
            degrees = []
            for name in p.names:
                named = re.search(
                    r"^(lat|latitude)" if standard == "lat" else r"^(lon|lng|long|longitude)", squash(name)
                )
                if name in self.used or not (named or any(re.search(h, squash(name)) for h in NAME_HINTS[standard])):
                    continue
                numbers = p.numbers(name)
                if not numbers:
                    continue
                inside = [n for n in numbers if low <= n <= high and n != 0]
                if len(inside) >= 0.9 * len(numbers):
                    degrees.append((0 if named else 1, name))
                elif max(abs(n) for n in numbers) > 1000:
                    self.skip.add(name)
                    self.notes.append(
                        f"{name!r} holds coordinates that are not degrees (a state plane?): not mapped to {standard}."
                    )
            if degrees:
                degrees.sort()
                name, others = degrees[0][1], [d[1] for d in degrees[1:]]
                evidence = f"{name!r} holds {standard} in degrees"
                self.take(Guess(standard, name, evidence, "ask" if others else "high", others), [name])
        for name in p.names:
            if "lat" in self.guesses or name in self.used:
                continue
            text = " ".join(p.values(name)[:5])
            if re.search(r"\(\s*-?\d+\.\d+\s*,\s*-?\d+\.\d+\s*\)|POINT\s*\(", text):
                self.take(
                    Guess("lat", {"column": name, "parse": "lat"}, f"{name!r} holds '(lat, lng)' points", "medium"),
                    [name],
                )
                self.take(
                    Guess("lng", {"column": name, "parse": "lng"}, f"{name!r} holds '(lat, lng)' points", "medium"),
                    [name],
                )

    def by_name(self) -> None:
        p = self.profile
        for standard, column in self.wanted.items():
            hint = standard
            if standard.startswith(("subject_", "officer_")):
                hint = standard.split("_", 1)[1]
                if hint in ("race", "sex", "age", "ethnicity", "id", "name", "dob"):
                    continue
            hint = standard if standard in NAME_HINTS else hint
            if standard in self.guesses or hint not in NAME_HINTS:
                continue
            want = "officer" if standard.startswith("officer_") else "subject"
            candidates = []
            for name in p.names:
                if name in self.used or not p.values(name):
                    continue
                if name in self.skip and not (standard in FREE_TEXT_OK and self.is_free_text(name)):
                    continue
                who, rest = role(name)
                if (who == "officer") != (want == "officer") and standard.startswith(("subject_", "officer_")):
                    continue
                if not standard.startswith(("subject_", "officer_")) and who == "officer":
                    continue
                target = rest if standard.startswith(("subject_", "officer_")) else squash(name)
                ranks = [i for i, h in enumerate(NAME_HINTS[hint]) if re.search(h, target)]
                if ranks:
                    candidates.append((ranks[0], len(name), name))
            fits = []
            for _, _, name in sorted(candidates):
                spec = self.spec_for(column, name)
                if spec is not None:
                    fits.append((name, *spec))
            if not fits:
                continue
            name, spec, confidence, evidence = fits[0]
            if standard.startswith(("subject_", "officer_")) and not role(name)[0] and confidence == "high":
                confidence = "medium"  # no "subject"/"officer" in the name: whose is it?
            others = [f[0] for f in fits[1:]]
            if others and confidence == "high":
                confidence = "ask"
            self.take(Guess(standard, spec, evidence, confidence, others), [name])

    def spec_for(self, column: Column, name: str) -> tuple[Any, str, str] | None:
        p = self.profile
        if column.type == "bool":
            flags = self.flag_map(name)
            if flags:
                lookup, coverage = flags
                conf = _confidence(coverage, True)
                only = {v for v, b in lookup.items() if b is not None}
                evidence = f"{name!r} holds yes/no values ({', '.join(repr(v) for v in only)})"
                if all(lookup[v] for v in only):
                    evidence += "; blanks may mean no: if so, add '': false"
                    conf = "low"
                return {"column": name, "values": lookup}, conf, evidence
            return None
        if column.type == "category":
            allowed = set(column.values)
            lookup = {v: (v.lower() if v.lower() in allowed else None) for v in p.values(name)[:60]}
            coverage = _covered(p, name, lookup)
            if coverage < 0.5:
                return None
            values = {v: s for v, s in lookup.items() if s} | _nulls_map(p, name, column.fallback)
            return (
                {"column": name, "values": values},
                _confidence(coverage, True),
                f"{name!r}: {coverage:.0%} of values are standard {column.name} values",
            )
        if column.type in ("float", "int"):
            numbers = p.numbers(name)
            if numbers is None:
                return None
            return name, "medium", f"{name!r} holds numbers"
        if column.type in ("date", "datetime", "time"):
            fmt = p.parses(name, DATE_FORMATS if column.type != "time" else TIME_FORMATS)
            if not fmt:
                return None
            return {"column": name, "format": fmt}, "medium", f"{name!r} reads as {column.type}s ({fmt})"
        if self.flag_map(name):
            return None  # yes/no flags ("notify_district_sergeant": Y) are not a district
        return name, "medium", f"the name {name!r}"

    def identifier(self) -> None:
        """The record's identifier. For an incident, a column named for the incident, case or report that
        repeats (one incident, several officers or persons) is preferred to a bare row id that never does."""
        p = self.profile
        id_columns = [c.name for c in self.schema.columns if c.name.endswith("_id") and not c.private]
        id_column = "raw_row_number" if "raw_row_number" in self.wanted else (id_columns[0] if id_columns else None)
        if not id_column or id_column in self.guesses:
            return
        unit = id_column.removesuffix("_id").replace("_", " ")  # "incident"
        candidates: list[tuple[int, str]] = []
        for name in p.names:
            if name in self.used or role(name)[0] == "officer" or not p.present(name):
                continue
            label = re.sub(r"[^a-z0-9]+", "_", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()).strip("_")
            if not re.search(
                r"(^|_)(id|key|number|num|nbr|no|identifier)$|^id|_id|idnum|case|rownumber|^rin$|filenumber|uniqueid"
                r"|^(ccn|cad|cfs)$",
                label,
            ):
                continue
            if re.search(r"(^|_)(subject|person|citizen|civilian|employee)", label):
                continue  # a person's id, not the record's
            # Best: named for the topic's own unit ("Call Number" for call_id); then for an incident or case.
            own = bool(re.search(rf"(^|_){unit.split()[0]}", label))
            named = own or bool(re.search(r"incident|case|report|event|complaint|^cad|^cfs|^ccn", label))
            unique = p.present(name) == p.rows and p.distinct_share(name) == 1.0
            if id_column == "raw_row_number":
                rank = 0 if unique else -1
            elif p.distinct_share(name) <= 0.3 and not unique:
                rank = -1  # repeats too much for an id: a category
            else:
                rank = 0 if own else 1 if named else 2 if unique else -1
            if rank >= 0:
                candidates.append((rank, name))
            elif p.distinct_share(name) > 0.3 and id_column == "raw_row_number":
                self.notes.append(
                    f"{name!r} looks like an identifier but repeats: one row may not be one record (a person of "
                    "a stop, an officer of an incident). If so, say what a row is with unit:, "
                    "e.g. unit: persons stopped."
                )
        if not candidates:
            self.notes.append("No column identifies each row: rows are counted as they are.")
            return
        candidates.sort(key=lambda c: (c[0], len(c[1])))
        name = candidates[0][1]
        others = [c[1] for c in candidates[1:]]
        hashed = name in self.skip
        if p.distinct_share(name) == 1.0 and p.present(name) == p.rows:
            evidence = f"{name!r} is named like an id and no value repeats in the sample"
            if id_column != "raw_row_number":
                evidence += f": each row will count as its own {unit}"
        else:
            share = p.distinct_share(name)
            evidence = (
                f"{name!r} is named for the {unit} and repeats ({len(p.counts(name)):,} distinct in "
                f"{p.present(name):,} sampled rows, {share:.0%}): several rows of one {unit} share it"
            )
        if hashed:
            evidence += "; its values are hashed by the publisher, which is fine for counting"
            self.notes = [n for n in self.notes if not n.startswith(f"{name!r} holds hashed identifiers")]
        self.take(Guess(id_column, name, evidence, "medium", others), [name])


def suggest(schema: Schema, snapshot: Path, read: dict[str, Any] | None = None) -> Suggestion:
    """The guesses for one snapshot, each with its evidence and confidence, and how the file should be read
    (`read:` of the source) when its first row repeats the header or it writes missing values as tokens.
    `read` is what the source already says; the snapshot was read with it."""
    read = read or {}
    skip = [] if "skip_rows" in read else header_rows(snapshot)
    profile = Profile(snapshot, skip)
    suggestion = _Suggester(schema, profile).run()
    if skip:
        first = profile.con.execute("SELECT * FROM read_parquet(?) LIMIT 1", [snapshot.as_posix()]).fetchone()
        shown = ", ".join(repr(str(v)) for v in (first or ())[:4] if v)
        suggestion.read["skip_rows"] = skip
        suggestion.read_notes.append(
            f"skip_rows: the first row under the header holds column labels ({shown}...), found nowhere else "
            "in the file: it is a second header, not a record."
        )
    tokens = profile.file_nulls()
    known = set(read.get("null_values", []))
    if tokens and not set(tokens) <= known:
        suggestion.read["null_values"] = sorted(set(tokens) | known)
        seen = "; ".join(
            f"{token!r} in " + ", ".join(f"{c!r} ({n:,})" for c, n in sorted(cols.items(), key=lambda i: -i[1])[:3])
            for token, cols in sorted(tokens.items())
        )
        suggestion.read_notes.append(
            f"null_values: these texts stand for a missing value, so every column counts them as missing "
            f"(rows that hold each, in a sample of {profile.rows:,}): {seen}. Take one out if it is a real value here."
        )
    return suggestion


def suggest_mapping(schema: Schema, snapshot: Path) -> dict[str, Any]:
    """Standard column -> mapping spec, for the columns the detectors recognise."""
    return suggest(schema, snapshot).mapping
