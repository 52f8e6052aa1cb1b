"""toolkit.yaml, described: every key it may hold, what each one means and what it accepts.

This model is the one description of the file. config.py validates toolkit.yaml with it (and turns the result
into the objects the toolkit uses); toolkit_schema.py publishes it as toolkit.schema.json, so that an editor
completes and checks toolkit.yaml as it is typed. The docstring under each key is the help shown on hover:
write it for a volunteer, in plain words.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from functools import cache
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field, Strict, create_model, model_validator

from .mapping import KEY_HELP, read_spec
from .presets import PresetError, load_preset
from .records_law import RecordsLaw
from .schema import Column, get_schema
from .schema.common import RACES
from .template_defaults import Refresh
from .topics import TOPICS
from .yaml_types import (
    Block,
    Date,
    Flag,
    MaybeText,
    RequiredText,
    Sentences,
    Text,
    expect,
    lines,
    problem,
    raise_problems,
    unknown_key,
)

AreaColumn = Literal["precinct", "district", "beat", "neighborhood"]
AREA_COLUMNS: tuple[str, ...] = get_args(AreaColumn)  # the standard columns a boundary layer's areas join to
Platform = Literal["socrata", "arcgis", "ckan", "opendatasoft", "carto", "file"]
PLATFORMS: tuple[str, ...] = get_args(Platform)  # sources/detect.py knows how each one's addresses look
BoundaryPlatform = Literal["file", "arcgis", "socrata"]


def is_web_address(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _empty_dict(value: Any) -> Any:
    return {} if value is None else value


def _names(value: Any) -> Any:
    """A block whose keys are names: a key YAML reads as a number (`2020:`) is the name as written."""
    return {str(key): item for key, item in lines(value).items()}


def _location(value: str) -> str:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value) and not is_web_address(value):
        raise problem(f"{value!r}: only http(s) addresses and file paths are supported.")
    return value


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise problem(f"{value!r} is not an IANA time zone name, such as America/Chicago.") from None
    return value


# A dataset or a layer: a web address or a file path (relative to the folder of toolkit.yaml).
Location = Annotated[RequiredText, AfterValidator(_location)]


# Reports, centre, population --------------------------------------------------------------------------------


class Reports(Block):
    """Report settings. The template's defaults are in toolkit.defaults.yaml: write a setting here to change it
    (this file wins, key by key)."""

    small_count_threshold: Annotated[
        int, Strict(), Field(ge=0), expect("expected a whole number such as 10, found {found}.")
    ] = 10
    """Counts below this are flagged as too small to read much into."""
    suppress_small_counts: Flag = False
    """true hides the counts below small_count_threshold: do this before publishing reports."""
    start_date: Date = None
    """Limit every report to dates from this day, written YYYY-MM-DD, e.g. 2018-01-01."""
    end_date: Date = None
    """Limit every report to dates up to this day, written YYYY-MM-DD."""

    @model_validator(mode="after")
    def _in_order(self) -> Reports:
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise problem(f"the end date {self.end_date} is before the start date {self.start_date}.", at=".end_date")
        return self


class Center(Block):
    """The city's centre, in decimal degrees, for sunset times (e.g. lat: 44.98, lng: -93.27)."""

    lat: Annotated[
        float | None,
        Strict(),
        Field(ge=-90, le=90),
        expect("expected a latitude from -90 to 90, e.g. 44.98, found {found}."),
    ] = None
    """Latitude, -90 to 90 (north is positive)."""
    lng: Annotated[
        float | None,
        Strict(),
        Field(ge=-180, le=180),
        expect("expected a longitude from -180 to 180, e.g. -93.27, found {found}."),
    ] = None
    """Longitude, -180 to 180 (west of Greenwich is negative)."""

    @model_validator(mode="after")
    def _both(self) -> Center:
        if (self.lat is None) != (self.lng is None):
            raise problem(f"give both lat and lng, or neither; found lat={self.lat!r}, lng={self.lng!r}.")
        return self


def _race(value: Any) -> Any:
    if value not in RACES:
        raise problem(f"{value!r} is not a standard race; use: {', '.join(RACES)}.")
    return value


Residents = Annotated[int, Strict(), Field(ge=0), expect("expected a whole number of residents, found {found}.")]


class PopulationEntry(Block):
    """Residents of the city, in all and by race (the standard race categories), for rates per resident."""

    total: Annotated[
        int, Strict(), Field(gt=0), expect("expected the number of residents, a whole number, found {found}.")
    ]
    """The number of residents."""
    by_race: Annotated[
        dict[Annotated[str, BeforeValidator(_race)], Residents],
        BeforeValidator(lines),
        Field(
            description=f"Residents of each race, by the standard categories: {', '.join(RACES)}.",
            json_schema_extra={"propertyNames": {"enum": list(RACES)}},
        ),
    ] = Field(default_factory=dict)
    source: Text = ""
    """Where the figures come from, e.g. "2020 Decennial Census (P2)"; shown beside every rate."""
    year: Annotated[
        int | None, Strict(), Field(gt=1900, lt=2100), expect("expected a year such as 2022, found {found}.")
    ] = None
    """The year the figures describe."""

    @model_validator(mode="after")
    def _adds_up(self) -> PopulationEntry:
        if sum(self.by_race.values()) > self.total:
            raise problem(
                f"the groups add up to {sum(self.by_race.values()):,}, more than {self.total:,}.", at=".by_race"
            )
        return self


class NoFigures(Block):
    """No figures yet: a new toolkit has "population: {}" when none were found for the city."""


def _no_population(value: Any) -> Any:
    """`population: {}` (as a new toolkit has it, when no figures were found) is no population."""
    return None if value == {} else value


# Boundary layers --------------------------------------------------------------------------------------------


def _from_a_file(value: str) -> str:
    if is_web_address(value):
        raise problem("a residents table is read from a file: download it and give its path.")
    return value


class ResidentsTable(Block):
    """A CSV file giving the residents of each area by name, for layers whose file has no population."""

    location: Annotated[RequiredText, AfterValidator(_from_a_file)]
    """The file's path, relative to the folder of toolkit.yaml."""
    area_column: RequiredText
    """The column naming the area, matched to the layer's names."""
    count_column: RequiredText
    """The column giving its residents."""
    source: Text = ""
    """Where the figures come from (survey, year): shown beside every rate per resident."""


def _area_column(value: Any) -> Any:
    if isinstance(value, str) and value not in AREA_COLUMNS:
        close = difflib.get_close_matches(value, AREA_COLUMNS, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise problem(f"{value!r} is not one of {', '.join(AREA_COLUMNS)}.{hint}")
    return value


class LayerEntry(Block):
    """A map of areas (precincts, beats, districts, neighborhoods) whose names join to a standard column."""

    location: Location
    """A GeoJSON file or zipped shapefile (a path, or a web address), or an ArcGIS layer or Socrata dataset."""
    area_property: RequiredText
    """The property holding each area's name, as the data's column writes it, e.g. PRECINCT."""
    column: Annotated[
        AreaColumn, BeforeValidator(_area_column), expect("{found} is not one of " + ", ".join(AREA_COLUMNS) + ".")
    ]
    """The standard column the names match: precinct, district, beat or neighborhood."""
    title: Text = ""
    """The layer's name on the maps."""
    population_property: MaybeText = None
    """The property giving the residents of each area, when the file has one."""
    residents: ResidentsTable | None = None
    """Or the residents of each area from a table (location, area_column, count_column, source)."""
    platform: Annotated[BoundaryPlatform | None, expect("{found} is not one of file, arcgis, socrata.")] = None
    """How a web address is downloaded, when its address does not say: file, arcgis or socrata."""
    member: MaybeText = None
    """The file to read inside a zip holding several."""
    notes: Sentences = ()
    """Sentences shown beside the maps, e.g. when the boundaries were last redrawn."""

    @model_validator(mode="after")
    def _consistent(self) -> LayerEntry:
        found = []
        if self.platform is not None and not is_web_address(self.location):
            found.append((".platform", "only web addresses have a platform; remove it for a file path."))
        if self.residents and self.population_property:
            found.append((".residents", "give residents either by population_property or by a table, not both."))
        raise_problems(found)
        return self


def _one_layer_per_column(layers: dict[str, LayerEntry]) -> dict[str, LayerEntry]:
    joined: dict[str, str] = {}
    found = []
    for name, layer in layers.items():
        if layer.column in joined:
            found.append((f".{name}.column", f"boundaries.{joined[layer.column]} already joins to {layer.column}; "
                          "keep one layer per column."))  # fmt: skip
        else:
            joined[layer.column] = name
    raise_problems(found)
    return layers


LayerName = Annotated[
    str,
    Strict(),
    Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$"),
    expect("name the layer with letters, digits and _ only, e.g. precincts (not {found})."),
]


# Sources ----------------------------------------------------------------------------------------------------


def _a_list(message: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        if value is None:
            return []
        if not isinstance(value, list):
            raise problem(message)
        return value

    return BeforeValidator(check)


class ReadOptions(Block):
    """How to read a file whose layout the toolkit cannot guess."""

    format: Annotated[Literal["csv", "excel"] | None, expect("{found} is not one of csv, excel.")] = None
    """csv or excel, when the file's name does not say."""
    sheet: Annotated[
        Annotated[str, Strict()] | Annotated[int, Strict()] | None,
        expect("expected the sheet's name, or its number counted from 0, found {found}."),
    ] = None
    """The sheet of a spreadsheet to read: its name, or its number counted from 0."""
    skip_rows: Annotated[
        list[Annotated[int, Strict(), Field(gt=0)]],
        _a_list("expected a list of line numbers after the header, e.g. [1]."),
        expect("expected a list of line numbers after the header, e.g. [1]."),
    ] = Field(default_factory=list)
    """Lines after the header that are not data (a second header, a line of units), e.g. [1]."""
    encoding: MaybeText = None
    """The file's text encoding when it is not UTF-8, e.g. latin-1."""
    delimiter: MaybeText = None
    """The character between columns, when it is not guessed right, e.g. ";"."""
    null_values: Annotated[
        list[Annotated[str, Strict()]],
        _a_list('expected a list of texts, e.g. ["NULL", "(null)", "-"].'),
        expect('expected a list of texts, e.g. ["NULL", "(null)", "-"].'),
    ] = Field(default_factory=list)
    """Texts that mean "no value" in this file, e.g. ["NULL", "(null)", "-"]."""
    member: Annotated[
        str | None,
        Strict(),
        Field(min_length=1, pattern=r"\S"),
        expect("expected the name of a file inside the zip, e.g. stops_2020.csv."),
    ] = None
    """The file to read inside a zip holding several, e.g. stops_2020.csv."""


Scalar = str | int | float | bool


def _where(value: Any) -> Any:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise problem(
            "expected a filter in the portal's query language, e.g. \"year >= 2015\", or 'column: value' lines."
        )
    found = []
    for name, wanted in value.items():
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values or not all(isinstance(v, Scalar) for v in values):
            message = f"expected the value the column must equal (or a list of values, for files), found {wanted!r}."
            found.append((f".{name}", message))
    raise_problems(found)
    return {str(name): wanted for name, wanted in value.items()}


def _on(value: Any) -> Any:
    pairs = {value: value} if isinstance(value, str) else value
    if not (
        isinstance(pairs, dict) and pairs and all(isinstance(a, str) and isinstance(b, str) for a, b in pairs.items())
    ):
        raise problem("expected the column both tables share, e.g. on: row_id (or on: {stop_id: id}).")
    return value


class RelatedEntry(Block):
    """A table linked to a source (persons of a stop, actions of an incident): fetched like a source and joined
    onto its rows. Its columns are named `<name>.<column>` in the mapping."""

    location: RequiredText
    """The linked table's web address or file path."""
    on: Annotated[str | dict[str, str], BeforeValidator(_on)]
    """The column both tables share, e.g. row_id; or {source's column: linked table's column}."""
    read: ReadOptions = ReadOptions()
    """How to read the file, as for a source."""
    many: Annotated[
        bool, Strict(), expect("expected true (several linked rows per row, e.g. one per action) or false.")
    ] = False
    """true when several linked rows belong to one row: their values are joined with "; " in one cell."""
    title: Text = ""
    """The linked table's name."""
    where: Annotated[
        dict[str, Scalar],
        BeforeValidator(_empty_dict),
        expect("expected 'column: value' lines, e.g. person: Member Action."),
    ] = Field(default_factory=dict)
    """Only the linked rows with these values, as 'column: value' lines."""

    @model_validator(mode="before")
    @classmethod
    def _on_as_written(cls, value: Any) -> Any:
        """YAML 1.1 reads the key `on:` as true; here it can only mean on."""
        if isinstance(value, dict) and True in value and "on" not in value:
            return {("on" if key is True else key): item for key, item in value.items()}
        return value


RelatedName = Annotated[
    str,
    Strict(),
    Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$"),
    expect("name a linked table with letters, digits and _ only, e.g. subjects."),
]


_PRESET = "expected the name of a preset (a file in safety_toolkit/presets), found {found}."


def _preset(value: str) -> str:
    try:
        load_preset(value)
    except PresetError as err:
        raise problem(str(err)) from None
    return value


class SourceEntry(Block):
    """One dataset feeding a topic: where it is ("location") and how its columns map onto the standard ones."""

    location: Location
    """The web address of the dataset (a portal's page or API) or a file path, relative to this file's folder."""
    title: Text = ""
    """The dataset's name, shown on the reports."""
    date_field: MaybeText = None
    """The column holding each row's date, for fetching only new rows."""
    read: ReadOptions = ReadOptions()
    """How to read a file whose layout is not guessed right (format, sheet, skip_rows, encoding, ...)."""
    mapping: dict[str, Any] = Field(default_factory=dict)
    """From the data's columns to the standard columns (references/mapping.md explains each key)."""
    notes: Sentences = ()
    """Sentences about the data, shown on its reports."""
    platform: Annotated[
        Platform | None, expect("{found} is not one of socrata, arcgis, ckan, opendatasoft, carto, file.")
    ] = None
    """Which portal serves the web address, when its address does not say."""
    where: Annotated[str | dict[str, Scalar | list[Scalar]], BeforeValidator(_where)] = ""
    """Only the rows that match: a filter in the portal's own language (e.g. "year >= 2015"), or 'column:
    value' lines (for files too)."""
    page_size: Annotated[
        int | None,
        Strict(),
        Field(ge=1, le=1_000_000),
        expect("expected a whole number of rows per request, e.g. 1000, not {found}."),
    ] = None
    """Rows per request, for portals that time out on big pages."""
    review: Annotated[
        Literal["needed"] | None,
        expect("the only setting is 'review: needed'; delete the line once the mapping is checked."),
    ] = None
    """"needed" while the mapping is a guess nobody has checked: delete the line once it is checked."""
    preset: Annotated[str | None, Strict(), AfterValidator(_preset), expect(_PRESET)] = None
    """The mapping preset (`safety_toolkit/presets/<name>.yaml`) this source starts from; its own mapping wins."""
    related: Annotated[dict[RelatedName, RelatedEntry], BeforeValidator(lines)] = Field(default_factory=dict)
    """Linked tables, joined onto each row by a shared column."""
    unit: Annotated[
        str,
        Strict(),
        BeforeValidator(lambda value: "" if value is None else value),
        expect('expected what one row is, in the plural, e.g. unit: "persons stopped".'),
    ] = ""
    """What one row is, in the plural, when not the topic's own unit, e.g. "persons stopped"."""

    @model_validator(mode="after")
    def _for_its_location(self) -> SourceEntry:
        found = []
        if self.platform is not None and not is_web_address(self.location):
            found.append((".platform", "only web addresses have a platform; remove it for a file path."))
        if isinstance(self.where, str) and self.where and not is_web_address(self.location):
            found.append((".where", "a file has no query language: write 'column: value' lines, e.g. State: MN."))
        raise_problems(found)
        return self


SOURCE_KEYS = frozenset(SourceEntry.model_fields)


# Mappings, one model per topic: its standard columns are the keys a mapping may hold ---------------------------

# What each key of a mapping entry accepts, for the JSON Schema (mapping.py checks them and says what each does).
Texts = str | list[str]
ENTRY_TYPES: dict[str, Any] = {
    "column": str,
    "columns": Texts,
    "one_hot": dict[str, Any],
    "several": Any,
    "value": Any,
    "python": str,
    "values": dict[str, Any],
    "contains": Texts,
    "equals": Texts,
    "format": Texts,
    "parse": Literal["lat", "lng"],
    "split": str,
    "two_digit_years": Literal["past"],
    "pad": Annotated[int, Field(ge=1, le=19)],
}
_ENTRY_FIELDS: dict[str, Any] = {
    key: (kind, Field(default=None, description=KEY_HELP[key])) for key, kind in ENTRY_TYPES.items()
}
MappingEntry = create_model(
    "MappingEntry",
    __base__=Block,
    __doc__="Where a standard column's values come from (exactly one of column, columns, one_hot, value, python) and "
    "how they become standard values (at most one of values, contains, equals, format, parse).",
    **_ENTRY_FIELDS,
)  # fmt: skip


def mapping_problems(topic: str, mapping: dict[str, Any]) -> list[tuple[str, str]]:
    """(where under the mapping, problem) for each mistake: an unknown standard column, a wrong entry."""
    schema = get_schema(topic)
    if schema is None:
        return [("", f"the toolkit has no standard columns for {topic}; remove this mapping.")] if mapping else []
    found = []
    for name, raw in mapping.items():
        if name not in schema.names:
            found.append((f".{name}", unknown_key(name, schema.names)))
        elif raw is not None:  # "date: null": the data does not record it
            found += [(f".{key}", message) for key, message in read_spec(schema.column(name), raw, str(name))[1]]
    return found


def _column_help(column: Column) -> str:
    text = column.description.rstrip(".") + "."
    if column.values:
        text += f" One of: {', '.join(column.values)}."
    if column.required:
        text += " Required: map it, or write null when the data does not record it."
    return text


def _mapping_model(topic: str) -> type[Block]:
    """The keys a mapping of this topic may hold, with the help of each: for the JSON Schema only (the values
    are checked by mapping_problems, which knows the standard categories)."""
    schema = get_schema(topic)
    columns = schema.columns if schema else ()
    entry: Any = str | MappingEntry | None
    fields: dict[str, Any] = {c.name: (entry, Field(default=None, description=_column_help(c))) for c in columns}
    return create_model(
        f"{_camel(topic)}Mapping",
        __base__=Block,
        __doc__=f"From the data's columns to the standard columns of {topic.replace('_', ' ')}: '<standard column>: "
        "<the data's column>', or an entry with column: and values:, format:... (references/mapping.md).",
        **fields,
    )


def _topic_source(topic: str) -> type[SourceEntry]:
    def checked(mapping: dict[str, Any]) -> dict[str, Any]:
        raise_problems(mapping_problems(topic, mapping))
        return mapping

    def fits(name: str | None) -> str | None:
        if name is not None and (found := mapping_problems(topic, load_preset(name).mapping)):
            raise problem(f"the preset '{name}' does not fit {topic}: mapping{found[0][0]}: {found[0][1]}")
        return name

    mapping = Annotated[
        dict[str, Any],
        BeforeValidator(_names, json_schema_input_type=_mapping_model(topic)),
        AfterValidator(checked),
    ]
    preset = Annotated[str | None, Strict(), AfterValidator(_preset), AfterValidator(fits), expect(_PRESET)]
    return create_model(
        f"{_camel(topic)}Source",
        __base__=SourceEntry,
        __doc__=SourceEntry.__doc__,
        mapping=(mapping, Field(default_factory=dict, description=SourceEntry.model_fields["mapping"].description)),
        preset=(preset, Field(default=None, description=SourceEntry.model_fields["preset"].description)),
    )


def _camel(topic: str) -> str:
    return "".join(part.title() for part in topic.split("_"))


SOURCES_HELP = "Each source starts with '- location:'. An empty list, [], is no data yet: the topic's report says so."


@cache
def topics_model() -> type[Block]:
    """The topics: block, one key per topic, each a list of sources whose mappings know the topic's columns."""
    fields: dict[str, Any] = {}
    for topic in TOPICS:
        source: Any = _topic_source(topic)
        sources: Any = Annotated[
            list[source],
            _a_list("expected a list of sources, each starting with '- location:'."),
        ]
        block = create_model(
            f"{_camel(topic)}Topic",
            __base__=Block,
            __doc__=f"The sources of {topic.replace('_', ' ')} data.",
            sources=(sources, Field(default_factory=list, description=SOURCES_HELP)),
        )  # fmt: skip
        fields[topic] = (block, Field(default=block(), description=f"The sources of {topic.replace('_', ' ')} data."))
    return create_model("Topics", __base__=Block, __doc__="Each topic lists its sources.", **fields)


# The whole file ---------------------------------------------------------------------------------------------


class Settings(Block):
    """toolkit.yaml: the one file that describes this city's toolkit."""

    city: RequiredText
    """The city's name, as the reports write it, e.g. Minneapolis."""
    state: RequiredText
    """The state's two-letter code, e.g. MN."""
    state_name: Text = ""
    """The state's name, e.g. Minnesota."""
    timezone: Annotated[RequiredText, AfterValidator(_timezone)]
    """The city's IANA time zone, e.g. America/Chicago: times in the data are read in it."""
    organization: Text = ""
    """Who publishes these reports: shown on every page."""
    contact_email: Text = ""
    """Where readers can write about the reports."""
    center: Center = Center()
    """The city's centre, in decimal degrees (e.g. lat: 44.98, lng: -93.27), for sunset times."""
    boundaries: Annotated[
        dict[LayerName, LayerEntry], BeforeValidator(lines), AfterValidator(_one_layer_per_column)
    ] = Field(default_factory=dict)
    """Map layers of the city's areas (precincts, beats...), each under a name of its own, e.g. precincts."""
    reports: Reports = Reports()
    """Report settings (defaults in toolkit.defaults.yaml; a setting here wins)."""
    population: Annotated[
        PopulationEntry | None,
        BeforeValidator(_no_population, json_schema_input_type=PopulationEntry | NoFigures | None),
    ] = None
    """Residents of the city, for rates per resident: total and by_race, with the source and year of the figures
    ("python -m safety_toolkit population" fills it in from the Census Bureau)."""
    records_law: RecordsLaw | None = None
    """The public records laws that the request guide explains and the letters cite. null means "not
    verified"; if you correct a fact, add its source."""
    refresh: Refresh = Refresh()
    """How often the scheduled workflow fetches the data again (defaults in toolkit.defaults.yaml)."""


@cache
def toolkit_model() -> type[Settings]:
    """The model of the whole of toolkit.yaml: the settings and the topics."""
    topics = topics_model()
    return create_model(
        "ToolkitYaml",
        __base__=Settings,
        __doc__=Settings.__doc__,
        topics=(topics, Field(default=topics(), description=(
            "Each topic lists its sources: a web address or a file path (location) and a mapping from its "
            "columns to the standard columns. With no sources, the topic's report says so and points to a "
            "records-request letter for the data."))),
    )  # fmt: skip
