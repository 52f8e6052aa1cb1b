"""Load toolkit.yaml, the one file that describes this city's toolkit, into the objects the toolkit uses.

The file is checked against its model (toolkit_model.py). Every error names the key (as a dotted path), the
line in toolkit.yaml, what is wrong and how to fix it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError

from . import toolkit_model as model
from .config_messages import messages
from .presets import load_preset
from .records_law import RecordsLaw
from .template_defaults import DefaultsError, Refresh, read_defaults, with_defaults
from .toolkit_model import AREA_COLUMNS, PLATFORMS, SOURCE_KEYS, ResidentsTable, is_web_address
from .topics import TOPICS
from .yaml_reader import YamlProblem, read_yaml

__all__ = [
    "AREA_COLUMNS", "DEFAULT_CONFIG", "SOURCE_KEYS", "BoundaryLayer", "Config", "ConfigError", "Population",
    "RelatedTable", "ResidentsTable", "Source", "load_config",
]  # fmt: skip

DEFAULT_CONFIG = "toolkit.yaml"


class ConfigError(ValueError):
    """A problem in toolkit.yaml; the message says where and how to fix it."""


class _Located:
    """Where a source or a boundary layer lives: a web address, or a file path in toolkit.yaml."""

    location: str

    @property
    def is_url(self) -> bool:
        return is_web_address(self.location)

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
    PLATFORMS: ClassVar[tuple[str, ...]] = PLATFORMS

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


@dataclass(frozen=True)
class Population:
    """Residents of the city, in all and by race (the standard race categories), for per-capita rates."""

    total: int
    by_race: dict[str, int]
    source: str = ""
    year: int | None = None


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
    if document.data is None:
        raise ConfigError(
            f"{path.name} is empty. Restore it from version control (git checkout {path.name}) or bake the "
            "toolkit again to get a fresh one."
        )
    problems = [
        (key, f"this key is written twice, on lines {first} and {second}; YAML would silently keep only the "
              "second. Keep one of them.")
        for key, first, second in document.duplicates
    ]  # fmt: skip
    data = document.data
    try:  # the template's defaults (toolkit.defaults.yaml), under the settings written here
        if isinstance(data, dict):
            data = with_defaults(read_defaults(path), data)
    except DefaultsError as err:
        raise ConfigError(str(err)) from None
    try:
        settings = model.toolkit_model().model_validate(data)
    except ValidationError as err:
        problems += messages(err)
    if problems:
        lines = []
        for key, message in problems:
            line = document.line_of(key)
            where = f"{path.name}, line {line}" if line else path.name
            lines.append(f"  - {key or '(top level)'} ({where}): {message}")
        count = len(lines)
        raise ConfigError(f"{path.name} has {count} problem{'s' if count > 1 else ''}:\n" + "\n".join(lines))
    return _config(path, settings)


def _config(path: Path, settings: Any) -> Config:
    """The checked settings as the toolkit uses them."""
    reports, population, center = settings.reports, settings.population, settings.center
    return Config(
        path=path,
        city=settings.city,
        state=settings.state,
        state_name=settings.state_name,
        timezone=settings.timezone,
        organization=settings.organization,
        contact_email=settings.contact_email,
        center=None if center.lat is None or center.lng is None else (center.lat, center.lng),
        boundaries=tuple(_layer(name, layer) for name, layer in settings.boundaries.items()),
        population=population and Population(population.total, population.by_race, population.source, population.year),
        small_count_threshold=reports.small_count_threshold,
        suppress_small_counts=reports.suppress_small_counts,
        start_date=reports.start_date,
        end_date=reports.end_date,
        topics={
            topic: tuple(_source(topic, i, entry) for i, entry in enumerate(getattr(settings.topics, topic).sources))
            for topic in TOPICS
        },
        records_law=settings.records_law,
        refresh=settings.refresh,
    )


def _layer(name: str, entry: model.LayerEntry) -> BoundaryLayer:
    return BoundaryLayer(
        name=name,
        location=entry.location,
        area_property=entry.area_property,
        column=entry.column,
        title=entry.title,
        population_property=entry.population_property,
        residents=entry.residents,
        platform=entry.platform,
        member=entry.member,
        notes=entry.notes,
    )


def _read(options: BaseModel) -> dict[str, Any]:
    return options.model_dump(exclude_unset=True)


def _source(topic: str, index: int, entry: model.SourceEntry) -> Source:
    """A source as written, with what its preset (if any) brings: the source's own keys win over the preset's."""
    mapping, read, notes = dict(entry.mapping), _read(entry.read), entry.notes
    title, date_field = entry.title, entry.date_field
    optional: tuple[str, ...] = ()
    if entry.preset is not None:
        preset = load_preset(entry.preset)
        if preset.layout:
            optional = tuple(k for k in preset.mapping if k not in mapping)
        mapping = {**preset.mapping, **mapping}
        read = {**preset.source.get("read", {}), **read}
        notes = (*preset.source.get("notes", []), *notes)
        title = title if "title" in entry.model_fields_set else preset.title
        date_field = date_field if "date_field" in entry.model_fields_set else preset.source.get("date_field")
    key = f"topics.{topic}.sources[{index}]"
    return Source(
        topic=topic,
        index=index,
        location=entry.location,
        title=title,
        date_field=date_field or None,
        read=read,
        mapping=mapping,
        notes=tuple(notes),
        platform=entry.platform,
        where=entry.where,
        page_size=entry.page_size,
        review=entry.review == "needed",
        preset=entry.preset,
        optional=optional,
        related=tuple(
            RelatedTable(
                topic=topic,
                index=index,
                location=table.location,
                title=table.title,
                read=_read(table.read),
                parent_key=key,
                name=name,
                on=table.on if isinstance(table.on, dict) else {table.on: table.on},
                many=table.many,
                rows=dict(table.where),
            )
            for name, table in entry.related.items()
        ),
        unit=entry.unit,
    )
