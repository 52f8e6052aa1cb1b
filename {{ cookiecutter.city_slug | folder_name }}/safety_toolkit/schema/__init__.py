"""Standard schemas: the columns every city's data is mapped onto, one schema per topic.

The schema is the one source of truth for column names, types, allowed values and privacy: the
standardizer validates against it and the data dictionaries are generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["string", "category", "bool", "date", "time", "datetime", "float", "int"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    values: tuple[str, ...] = ()
    private: bool = False  # names, dates of birth, addresses, plates, raw officer ids: never in a report

    @property
    def fallback(self) -> str | None:
        """The value an unmapped or missing category becomes."""
        return "unknown" if self.type == "category" and "unknown" in self.values else None


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


def get_schema(topic: str) -> Schema | None:
    """The standard schema of a topic, or None where the toolkit has none yet."""
    from .police_stops import SCHEMA as POLICE_STOPS

    return {"police_stops": POLICE_STOPS}.get(topic)
