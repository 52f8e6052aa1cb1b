"""Standard schemas: the columns every city's data is mapped onto, one schema per topic.

The schema is the one source of truth for column names, types, allowed values and privacy: the
standardizer validates against it and the data dictionaries are generated from it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Literal, cast

ColumnType = Literal["string", "category", "bool", "date", "time", "datetime", "float", "int"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    values: tuple[str, ...] = ()
    private: bool = False  # names, dates of birth, addresses, plates, raw ids: never in a report
    valid_range: tuple[float, float] | None = None  # numbers outside it are set to missing and counted
    requestable: bool = True  # worth asking an agency for (False: derived by the toolkit, e.g. first_seen)
    required: bool = False  # every mapping must fill it, or say "<name>: null" when the data does not record it

    @property
    def fallback(self) -> str | None:
        """The value an unmapped or missing category becomes."""
        return "unknown" if self.type == "category" and "unknown" in self.values else None

    @property
    def hashed(self) -> bool:
        """Private identifiers are kept as a salted hash (so repeats can be counted); other private
        columns are dropped."""
        return self.private and self.name.endswith("_id")

    @property
    def output_name(self) -> str:
        return f"{self.name}_hash" if self.hashed else self.name


@dataclass(frozen=True)
class Schema:
    topic: str
    description: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def published(self) -> list[Column]:
        """The columns that reach processed data and reports (private ones dropped, ids hashed)."""
        return [c for c in self.columns if not c.private or c.hashed]


def get_schema(topic: str) -> Schema | None:
    """The standard schema of a topic, or None for an unknown topic."""
    from ..topics import TOPICS

    if topic not in TOPICS:
        return None
    return cast("Schema", importlib.import_module(f"{__name__}.{topic}").SCHEMA)
