"""Load and validate toolkit.yaml, the one file that describes this city's toolkit.

Every error names the key (as a dotted path), the line in toolkit.yaml, what is wrong and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .mapping import read_spec
from .records_law import RecordsLaw, read_records_law
from .schema import get_schema
from .template_defaults import DefaultsError, Refresh, read_defaults, read_refresh, with_defaults
from .topics import TOPICS
from .yaml_reader import Document, YamlProblem, read_yaml

DEFAULT_CONFIG = "toolkit.yaml"
TOP_KEYS = {
    "city",
    "state",
    "state_name",
    "timezone",
    "organization",
    "contact_email",
    "center",
    "boundaries",
    "reports",
    "topics",
    "records_law",
    "population",
    "refresh",
}
REPORT_KEYS = {"small_count_threshold", "suppress_small_counts", "start_date", "end_date"}
SOURCE_KEYS = {
    "location", "title", "date_field", "read", "mapping", "notes", "platform", "where", "page_size",
    "review", "preset", "related", "unit",
}  # fmt: skip
READ_KEYS = {"format", "sheet", "skip_rows", "encoding", "delimiter", "null_values", "member"}
FORMATS = {"csv", "excel"}


class ConfigError(ValueError):
    """A problem in toolkit.yaml; the message says where and how to fix it."""


class _Located:
    """Where a source or a boundary layer lives: a web address, or a file path in toolkit.yaml."""

    location: str

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))

    def path(self, root: Path) -> Path:
        """A local file; relative paths are relative to the folder of toolkit.yaml."""
        path = Path(self.location).expanduser()
        return path if path.is_absolute() else root / path


@dataclass(frozen=True)
class Source(_Located):
    """One dataset feeding a topic."""

    topic: str
    index: int
    location: str
    title: str = ""
    date_field: str | None = None
    read: dict[str, Any] = field(default_factory=dict)
    mapping: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    platform: str | None = None  # settles which portal a web address belongs to, when it is not clear
    where: str | dict[str, Any] = ""  # a filter in the portal's own language, or {column: value} pairs
    page_size: int | None = None  # rows per request, for portals that time out on big pages
    review: bool = False  # "review: needed": the mapping was guessed and nobody has checked it yet
    preset: str | None = None  # the mapping preset (safety_toolkit/presets/<name>.yaml) it starts from
    optional: tuple[str, ...] = ()  # mapping keys from a layout preset: skipped when the data lacks the column
    related: tuple[RelatedTable, ...] = ()  # linked tables, joined onto each row; "<name>.<column>" in a mapping
    unit: str = ""  # what one row is, when not the topic's own unit (e.g. "persons stopped")

    # The platforms 'platform:' may name (sources/detect.py knows how each one's addresses look).
    PLATFORMS: ClassVar[tuple[str, ...]] = ("socrata", "arcgis", "ckan", "opendatasoft", "carto", "file")

    @property
    def key(self) -> str:
        """Where this source sits in toolkit.yaml, for messages."""
        return f"topics.{self.topic}.sources[{self.index}]"



@dataclass(frozen=True)
class Config:
    path: Path
    city: str
    state: str
    state_name: str
    timezone: str
    organization: str
    contact_email: str
    center: tuple[float, float] | None
    boundaries: tuple[BoundaryLayer, ...]  # the map layers of precincts, beats... (see boundaries.py, maps.py)
    population: Population | None
    small_count_threshold: int
    suppress_small_counts: bool
    start_date: dt.date | None
    end_date: dt.date | None
    topics: dict[str, tuple[Source, ...]]
    records_law: RecordsLaw | None = None  # the laws a records request cites (see records_law.py)
    refresh: Refresh = field(default_factory=Refresh)  # the scheduled refresh (see template_defaults.py)

    @property
    def root(self) -> Path:
        """The project folder: the one that holds toolkit.yaml."""
        return self.path.parent

    def sources(self, topic: str) -> tuple[Source, ...]:
        return self.topics.get(topic, ())


class _Checker:
    def __init__(self, path: Path, document: Document) -> None:
        self.path = path
        self.document = document
        self.errors: list[str] = []

    def fail(self, key: str, message: str) -> None:
        line = self.document.line_of(key)
        where = f"{self.path.name}, line {line}" if line else self.path.name
        self.errors.append(f"{key} ({where}): {message}")

    def keys(self, data: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f" Did you mean '{close[0]}'?" if close else f" Known keys: {', '.join(sorted(allowed))}."
                self.fail(f"{where}.{key}" if where else str(key), f"unknown key '{key}'.{hint}")

    def mapping(self, data: Any, key: str) -> dict[str, Any]:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.fail(key, f"expected a set of 'name: value' lines, found {type(data).__name__} {data!r}.")
            return {}
        return data

    def text(self, data: dict[str, Any], name: str, where: str, required: bool = False) -> str:
        value = data.get(name)
        key = f"{where}.{name}" if where else name
        if value is None or value == "":
            if required and name not in data:
                self.fail(key, f"this key is missing: add a line '{name}: ...' to {where or 'the top level'}.")
            elif required:
                self.fail(key, "this value is required.")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.fail(key, f"expected text, found {value!r}.")
            return ""
        return str(value)

    def date(self, data: dict[str, Any], name: str, where: str) -> dt.date | None:
        value = data.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{where}.{name}", f"{value!r} is not a date. Write it as YYYY-MM-DD, e.g. 2021-01-31.")
            return None


def load_config(path: str | Path = DEFAULT_CONFIG) -> Config:
    """Read and check toolkit.yaml; raise ConfigError listing every problem found."""
    path = Path(path).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist. Run the command from the toolkit's folder.") from None
    except UnicodeDecodeError as err:
        raise ConfigError(
            f"{path.name} is not UTF-8 text ({err.reason} at byte {err.start}). Save it as UTF-8."
        ) from None
    try:
        document = read_yaml(text, path.name)
    except YamlProblem as err:
        raise ConfigError(str(err)) from None
    check = _Checker(path, document)
    for key, first, second in document.duplicates:
        check.fail(
            key,
            f"this key is written twice, on lines {first} and {second}; YAML would silently keep only the second. "
            "Keep one of them.",
        )
    if document.data is None:
        raise ConfigError(
            f"{path.name} is empty. Restore it from version control (git checkout {path.name}) or bake the "
            "toolkit again to get a fresh one."
        )
    data = check.mapping(document.data, "(top level)")
    check.keys(data, TOP_KEYS, "")
    try:  # the template's defaults (toolkit.defaults.yaml), under the settings written here
        data = with_defaults(read_defaults(path), data)
    except DefaultsError as err:
        raise ConfigError(str(err)) from None

    timezone = check.text(data, "timezone", "", required=True)
    if timezone:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            check.fail("timezone", f"{timezone!r} is not an IANA time zone name, such as America/Chicago.")

    reports = check.mapping(data.get("reports"), "reports")
    check.keys(reports, REPORT_KEYS, "reports")
    threshold = reports.get("small_count_threshold", 10)
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 0:
        check.fail("reports.small_count_threshold", f"expected a whole number such as 10, found {threshold!r}.")
        threshold = 10
    suppress = reports.get("suppress_small_counts", False)
    if not isinstance(suppress, bool):
        check.fail("reports.suppress_small_counts", f"expected true or false, found {suppress!r}.")
        suppress = False
    start, end = check.date(reports, "start_date", "reports"), check.date(reports, "end_date", "reports")
    if start and end and start > end:
        check.fail("reports.end_date", f"the end date {end} is before the start date {start}.")

    config = Config(
        path=path,
        city=check.text(data, "city", "", required=True),
        state=check.text(data, "state", "", required=True),
        state_name=check.text(data, "state_name", ""),
        timezone=timezone,
        organization=check.text(data, "organization", ""),
        contact_email=check.text(data, "contact_email", ""),
        center=_center(check, data.get("center")),
        boundaries=_boundaries(check, data.get("boundaries")),
        population=_population(check, data.get("population")),
        small_count_threshold=threshold,
        suppress_small_counts=suppress,
        start_date=start,
        end_date=end,
        topics=_topics(check, data.get("topics")),
        records_law=read_records_law(check, data.get("records_law")),
        refresh=read_refresh(check, data.get("refresh")),
    )
    if check.errors:
        count = len(check.errors)
        raise ConfigError(
            f"{path.name} has {count} problem{'s' if count > 1 else ''}:\n"
            + "\n".join(f"  - {e}" for e in check.errors)
        )
    return config


@dataclass(frozen=True)
class Population:
    """Residents of the city, in all and by race (the standard race categories), for per-capita rates."""

    total: int
    by_race: dict[str, int]
    source: str = ""
    year: int | None = None


POPULATION_KEYS = {"total", "by_race", "source", "year"}


def _population(check: _Checker, value: Any) -> Population | None:
    data = check.mapping(value, "population")
    if not data:
        return None
    check.keys(data, POPULATION_KEYS, "population")
    total = data.get("total")
    if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
        check.fail("population.total", f"expected the number of residents, a whole number, found {total!r}.")
        return None
    by_race: dict[str, int] = {}
    from .schema.common import RACES

    for race, count in check.mapping(data.get("by_race"), "population.by_race").items():
        if race not in RACES:
            check.fail(f"population.by_race.{race}", f"{race!r} is not a standard race; use: {', '.join(RACES)}.")
        elif not isinstance(count, int) or isinstance(count, bool) or count < 0:
            check.fail(f"population.by_race.{race}", f"expected a whole number of residents, found {count!r}.")
        else:
            by_race[race] = count
    if sum(by_race.values()) > total:
        check.fail("population.by_race", f"the groups add up to {sum(by_race.values()):,}, more than {total:,}.")
    year = data.get("year")
    if year is not None and not (isinstance(year, int) and 1900 < year < 2100):
        check.fail("population.year", f"expected a year such as 2022, found {year!r}.")
    return Population(total, by_race, str(data.get("source") or ""), year)


def _center(check: _Checker, value: Any) -> tuple[float, float] | None:
    center = check.mapping(value, "center")
    check.keys(center, {"lat", "lng"}, "center")
    lat, lng = center.get("lat"), center.get("lng")
    if lat is None and lng is None:
        return None
    try:
        lat_f, lng_f = float(lat), float(lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        check.fail("center", f"lat and lng must both be numbers, found lat={lat!r}, lng={lng!r}.")
        return None
    if not (-90 <= lat_f <= 90 and -180 <= lng_f <= 180):
        check.fail("center", f"({lat_f}, {lng_f}) is not a point on Earth: lat is -90..90, lng -180..180.")
        return None
    return lat_f, lng_f


# Boundary layers ------------------------------------------------------------------------------------------------

AREA_COLUMNS = ("precinct", "district", "beat", "neighborhood")  # the standard columns a layer's areas join to
BOUNDARY_KEYS = {
    "location", "title", "area_property", "column", "population_property", "residents", "platform", "member", "notes",
}  # fmt: skip
RESIDENTS_KEYS = {"location", "area_column", "count_column", "source"}
BOUNDARY_PLATFORMS = ("file", "arcgis", "socrata")


@dataclass(frozen=True)
class ResidentsTable:
    """A CSV file giving the residents of each area by name, for layers whose file has no population."""

    location: str  # a file path, relative to the folder of toolkit.yaml
    area_column: str  # the column naming the area, matched to the layer's names
    count_column: str  # the column giving its residents
    source: str = ""  # where the figures come from (survey, year), shown beside every rate per resident


@dataclass(frozen=True)
class BoundaryLayer(_Located):
    """A map of areas (precincts, beats, districts, neighborhoods) whose names join to a standard column."""

    name: str  # its key under boundaries: in toolkit.yaml
    location: str  # a GeoJSON or zipped shapefile: a file path, or a web address (file, ArcGIS layer, Socrata)
    area_property: str  # the property holding each area's name, as the data's column writes it
    column: str  # the standard column the names match: precinct, district, beat or neighborhood
    title: str = ""
    population_property: str | None = None  # residents of each area, when the file gives them
    residents: ResidentsTable | None = None  # or residents of each area from a table
    platform: str | None = None  # settles how a web address is downloaded, when it is not clear
    member: str | None = None  # the file to read inside a zip holding several
    notes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"boundaries.{self.name}"


def _boundaries(check: _Checker, value: Any) -> tuple[BoundaryLayer, ...]:
    layers = check.mapping(value, "boundaries")
    result: list[BoundaryLayer] = []
    joined: dict[str, str] = {}
    for name, raw in layers.items():
        where = f"boundaries.{name}"
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", str(name)):
            check.fail(where, f"name the layer with letters, digits and _ only, e.g. precincts (not {name!r}).")
            continue
        data = check.mapping(raw, where)
        check.keys(data, BOUNDARY_KEYS, where)
        location = check.text(data, "location", where, required=True).strip()
        is_url = location.startswith(("http://", "https://"))
        if location and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", location) and not is_url:
            check.fail(f"{where}.location", f"{location!r}: only http(s) addresses and file paths are supported.")
        area_property = check.text(data, "area_property", where, required=True)
        column = check.text(data, "column", where, required=True)
        if column and column not in AREA_COLUMNS:
            close = difflib.get_close_matches(column, AREA_COLUMNS, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            check.fail(f"{where}.column", f"{column!r} is not one of {', '.join(AREA_COLUMNS)}.{hint}")
            column = ""
        elif column in joined:
            check.fail(
                f"{where}.column",
                f"boundaries.{joined[column]} already joins to {column}; keep one layer per column.",
            )
            column = ""
        platform = data.get("platform")
        if platform is not None and platform not in BOUNDARY_PLATFORMS:
            check.fail(f"{where}.platform", f"{platform!r} is not one of {', '.join(BOUNDARY_PLATFORMS)}.")
            platform = None
        elif platform is not None and location and not is_url:
            check.fail(f"{where}.platform", "only web addresses have a platform; remove it for a file path.")
            platform = None
        notes = data.get("notes") or []
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            check.fail(f"{where}.notes", "expected a list of sentences, each on a line starting with '- '.")
            notes = []
        residents = _residents(check, data.get("residents"), f"{where}.residents")
        if residents and data.get("population_property"):
            check.fail(f"{where}.residents", "give residents either by population_property or by a table, not both.")
        if location and area_property and column:
            joined[column] = str(name)
            result.append(
                BoundaryLayer(
                    name=str(name),
                    location=location,
                    area_property=area_property,
                    column=column,
                    title=check.text(data, "title", where),
                    population_property=check.text(data, "population_property", where) or None,
                    residents=residents,
                    platform=platform,
                    member=check.text(data, "member", where) or None,
                    notes=tuple(notes),
                )
            )
    return tuple(result)


def _residents(check: _Checker, value: Any, where: str) -> ResidentsTable | None:
    data = check.mapping(value, where)
    if not data:
        return None
    check.keys(data, RESIDENTS_KEYS, where)
    location = check.text(data, "location", where, required=True).strip()
    if location.startswith(("http://", "https://")):
        check.fail(f"{where}.location", "a residents table is read from a file: download it and give its path.")
        location = ""
    area = check.text(data, "area_column", where, required=True)
    count = check.text(data, "count_column", where, required=True)
    if not (location and area and count):
        return None
    return ResidentsTable(location, area, count, check.text(data, "source", where))


def _topics(check: _Checker, value: Any) -> dict[str, tuple[Source, ...]]:
    topics = check.mapping(value, "topics")
    check.keys(topics, set(TOPICS), "topics")
    result: dict[str, tuple[Source, ...]] = {}
    for topic in TOPICS:
        block = check.mapping(topics.get(topic), f"topics.{topic}")
        check.keys(block, {"sources"}, f"topics.{topic}")
        raw_sources = block.get("sources") or []
        if not isinstance(raw_sources, list):
            check.fail(f"topics.{topic}.sources", "expected a list of sources, each starting with '- location:'.")
            raw_sources = []
        result[topic] = tuple(
            source for i, raw in enumerate(raw_sources) if (source := _source(check, topic, i, raw)) is not None
        )
    return result


def _source(check: _Checker, topic: str, index: int, raw: Any) -> Source | None:
    where = f"topics.{topic}.sources[{index}]"
    data = check.mapping(raw, where)
    check.keys(data, SOURCE_KEYS, where)
    location = check.text(data, "location", where, required=True).strip()
    if (
        location
        and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", location)
        and not location.startswith(("http://", "https://"))
    ):
        check.fail(f"{where}.location", f"{location!r}: only http(s) addresses and file paths are supported.")
    read = check.mapping(data.get("read"), f"{where}.read")
    check.keys(read, READ_KEYS, f"{where}.read")
    if "format" in read and read["format"] not in FORMATS:
        check.fail(f"{where}.read.format", f"{read['format']!r} is not one of {', '.join(sorted(FORMATS))}.")
    if "skip_rows" in read and not (
        isinstance(read["skip_rows"], list) and all(isinstance(i, int) and i > 0 for i in read["skip_rows"])
    ):
        check.fail(f"{where}.read.skip_rows", "expected a list of line numbers after the header, e.g. [1].")
    if "null_values" in read and not (
        isinstance(read["null_values"], list) and all(isinstance(v, str) for v in read["null_values"])
    ):
        check.fail(f"{where}.read.null_values", 'expected a list of texts, e.g. ["NULL", "(null)", "-"].')
    notes = data.get("notes") or []
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        check.fail(f"{where}.notes", "expected a list of sentences, each on a line starting with '- '.")
        notes = []
    if "member" in read and not (isinstance(read["member"], str) and read["member"].strip()):
        check.fail(f"{where}.read.member", "expected the name of a file inside the zip, e.g. stops_2020.csv.")
    # How to download from a portal: platform, where (a filter), page_size.
    is_url = location.startswith(("http://", "https://"))
    platform = data.get("platform")
    if platform is not None:
        if platform not in Source.PLATFORMS:
            check.fail(f"{where}.platform", f"{platform!r} is not one of {', '.join(Source.PLATFORMS)}.")
            platform = None
        elif location and not is_url:
            check.fail(f"{where}.platform", "only web addresses have a platform; remove it for a file path.")
    filters = data.get("where")
    if filters is None or filters == "":
        filters = ""
    elif isinstance(filters, dict):
        for name, value in filters.items():
            scalars = value if isinstance(value, list) else [value]
            if not scalars or not all(isinstance(v, (str, int, float, bool)) for v in scalars):
                check.fail(
                    f"{where}.where.{name}",
                    f"expected the value the column must equal (or a list of values, for files), found {value!r}.",
                )
    elif not isinstance(filters, str):
        check.fail(
            f"{where}.where",
            "expected a filter in the portal's query language, e.g. \"year >= 2015\", or 'column: value' lines.",
        )
        filters = ""
    if filters and location and not is_url and not isinstance(filters, dict):
        check.fail(f"{where}.where", "a file has no query language: write 'column: value' lines, e.g. State: MN.")
    page_size = data.get("page_size")
    if page_size is not None and (
        not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= 1_000_000
    ):
        check.fail(f"{where}.page_size", f"expected a whole number of rows per request, e.g. 1000, not {page_size!r}.")
        page_size = None
    mapping = check.mapping(data.get("mapping"), f"{where}.mapping")
    review = data.get("review")
    if review is not None and review != "needed":
        check.fail(
            f"{where}.review", "the only setting is 'review: needed'; delete the line once the mapping is checked."
        )
    preset_name = data.get("preset")
    optional: tuple[str, ...] = ()
    if preset_name is not None:
        from .presets import PresetError, load_preset

        try:
            preset = load_preset(str(preset_name))
        except PresetError as err:
            check.fail(f"{where}.preset", str(err))
        else:
            if preset.layout:
                optional = tuple(k for k in preset.mapping if k not in mapping)
            mapping = {**preset.mapping, **mapping}  # the source's own keys override the preset's
            read = {**preset.source.get("read", {}), **read}
            notes = [*preset.source.get("notes", []), *notes]
            data = {"date_field": preset.source.get("date_field"), "title": preset.title, **data}
    _check_mapping(check, topic, mapping, f"{where}.mapping")
    related = _related(check, topic, index, data.get("related"), where)
    unit = data.get("unit") or ""
    if not isinstance(unit, str):
        check.fail(f"{where}.unit", 'expected what one row is, in the plural, e.g. unit: "persons stopped".')
        unit = ""
    if not location:
        return None
    return Source(
        topic=topic,
        index=index,
        location=location,
        title=check.text(data, "title", where),
        date_field=check.text(data, "date_field", where) or None,
        read=read,
        mapping=mapping,
        notes=tuple(notes),
        platform=platform,
        where=filters,
        page_size=page_size,
        review=review == "needed",
        preset=str(preset_name) if preset_name is not None else None,
        optional=optional,
        related=related,
        unit=unit,
    )


def _check_mapping(check: _Checker, topic: str, mapping: dict[str, Any], where: str) -> None:
    if not mapping:
        return
    schema = get_schema(topic)
    if schema is None:
        check.fail(where, f"the toolkit has no standard columns for {topic}; remove this mapping.")
        return
    check.keys(mapping, set(schema.names), where)
    for name, raw in mapping.items():
        if name in schema.names and raw is not None:  # "date: null": the data does not record it
            for key, problem in read_spec(schema.column(name), raw, f"{where}.{name}")[1]:
                check.fail(key, problem)


@dataclass(frozen=True)
class RelatedTable(Source):
    """A table linked to a source (persons of a stop, actions of an incident): fetched and snapshotted like a
    source, and joined onto the source's rows by keys. Its columns are named "<name>.<column>" in the mapping."""

    parent_key: str = ""
    name: str = ""
    on: dict[str, str] = field(default_factory=dict)  # the source's column -> the linked table's column
    many: bool = False  # several linked rows per source row: their values are joined with "; " in one cell
    rows: dict[str, Any] = field(default_factory=dict)  # only the linked rows with these values ("where:")

    @property
    def key(self) -> str:
        return f"{self.parent_key}.related.{self.name}"


RELATED_KEYS = {"location", "on", "read", "many", "title", "where"}


def _related(check: _Checker, topic: str, index: int, value: Any, where: str) -> tuple[RelatedTable, ...]:
    block = check.mapping(value, f"{where}.related")
    tables = []
    for name, raw in block.items():
        key = f"{where}.related.{name}"
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(name)):
            check.fail(key, "name a linked table with letters, digits and _ only, e.g. subjects.")
            continue
        item = check.mapping(raw, key)
        check.keys(item, RELATED_KEYS, key)
        location = check.text(item, "location", key, required=True)
        on = item.get("on")
        if isinstance(on, str):
            on = {on: on}
        pairs = on.items() if isinstance(on, dict) else []
        if not pairs or not all(isinstance(a, str) and isinstance(b, str) for a, b in pairs):
            check.fail(f"{key}.on", "expected the column both tables share, e.g. on: row_id (or on: {stop_id: id}).")
            continue
        many = item.get("many", False)
        if not isinstance(many, bool):
            check.fail(f"{key}.many", "expected true (several linked rows per row, e.g. one per action) or false.")
            many = False
        read = check.mapping(item.get("read"), f"{key}.read")
        check.keys(read, READ_KEYS, f"{key}.read")
        rows = check.mapping(item.get("where"), f"{key}.where")  # only the linked rows whose columns say so
        if not all(isinstance(v, (str, int, float)) for v in rows.values()):
            check.fail(f"{key}.where", "expected 'column: value' lines, e.g. person: Member Action.")
            rows = {}
        if location:
            tables.append(
                RelatedTable(
                    topic=topic,
                    index=index,
                    location=location,
                    title=check.text(item, "title", key),
                    read=read,
                    parent_key=where,
                    name=str(name),
                    on=on,
                    many=many,
                    rows=rows,
                )  # fmt: skip
            )
    return tuple(tables)
