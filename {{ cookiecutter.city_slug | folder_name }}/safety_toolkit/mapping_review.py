"""What a report must say about its mapping: which columns were guessed, and for each standard column
whether the data does not record it, holds it in a column nobody mapped yet, or has it mapped.

    review = topic_review(config, "police_stops")
    review.needs_review            -> True while a source still says `review: needed`
    review.unit, review.id_column  -> what one row is ("persons stopped") and the column whose distinct values
                                      count the topic's own unit (stops), when a source declares `unit:`
    review.banner                  -> one plain sentence for the top of the report, or "" when nothing is guessed
    review.guessed                 -> {standard column: evidence} of the entries still marked as guesses
    review.status("frisk_performed").sentence
        -> "The data has a column that looks like this ('FriskFlag'), but it is not mapped yet."
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .config import Config
from .schema import get_schema
from .store import Store
from .topics import TOPICS

State = Literal["mapped", "guessed", "not_mapped", "not_recorded"]


@dataclass(frozen=True)
class ColumnStatus:
    column: str  # the standard column
    state: State
    raw: tuple[str, ...] = ()  # the raw columns it comes from, or that look like it
    evidence: str = ""  # why it was guessed, or why a raw column looks like it

    @property
    def sentence(self) -> str:
        names = ", ".join(repr(r) for r in self.raw)
        if self.state == "mapped":
            return f"Mapped from {names}." if names else "Mapped."
        if self.state == "guessed":
            return f"Guessed from {names}, not yet checked by a person: {self.evidence}."
        if self.state == "not_mapped":
            return f"The data has a column that looks like this ({names}), but it is not mapped yet."
        return "This data does not record it."


@dataclass
class TopicReview:
    topic: str
    needs_review: bool
    guessed: dict[str, str] = field(default_factory=dict)
    columns: dict[str, ColumnStatus] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)  # titles of the sources still marked for review
    unit: str = ""  # what one row is: the topic's unit ("stops"), or what a source declares ("persons stopped")
    id_column: str | None = None  # count distinct values of this column for the topic's own unit, when declared

    def status(self, column: str) -> ColumnStatus:
        return self.columns.get(column, ColumnStatus(column, "not_recorded"))

    @property
    def banner(self) -> str:
        if not self.needs_review:
            return ""
        listed = ", ".join(self.guessed) or "all of its columns"
        return (
            f"The mapping of {', '.join(self.sources)} was guessed by the toolkit and nobody has checked it yet: "
            f"{listed}. Numbers built on a guessed column may be wrong. Check each guess in toolkit.yaml "
            "(the comment beside it says what it rests on), then delete the line 'review: needed'."
        )


def topic_review(config: Config, topic: str, look_at_data: bool = True) -> TopicReview:
    """The review of a topic's mapping; `look_at_data` also names raw columns that look like unmapped ones."""
    from .toolkit_yaml import guess_comments

    schema = get_schema(topic)
    review = TopicReview(topic, needs_review=False)
    if schema is None:
        return review
    store = Store(config.root)
    review.unit = next((s.unit for s in config.sources(topic) if s.unit), TOPICS[topic].unit)
    if review.unit != TOPICS[topic].unit:
        ids = [
            c.output_name
            for c in schema.columns
            if c.name in ("raw_row_number", "incident_id") or c.name.endswith("_id")
        ]
        review.id_column = next((i for i in ids if any(i in s.mapping or i.removesuffix("_hash") in s.mapping
                                                       for s in config.sources(topic))), None)  # fmt: skip
    for source in config.sources(topic):
        guessed = guess_comments(config.path, topic, source.index) if source.review else {}
        if source.review:
            review.needs_review = True
            review.sources.append(source.title or source.location)
            review.guessed.update(guessed)
        looks_like: dict[str, tuple[str, str]] = {}
        snap = store.current(topic, source.key, source.location) if look_at_data else None
        if snap is not None and store.path(snap).is_file():
            from .suggest import suggest

            for name, guess in suggest(schema, store.path(snap)).guesses.items():
                candidates = _raw_columns(guess.spec)
                if candidates:
                    looks_like[name] = (candidates[0], guess.evidence)
        for column in schema.columns:
            name = column.name
            spec = source.mapping.get(name, "absent")
            before = review.columns.get(name)
            if before is not None and before.state in ("mapped", "guessed"):
                continue
            if spec is None:
                status = ColumnStatus(name, "not_recorded")
            elif spec != "absent":
                raw = tuple(_raw_columns(spec))
                state: State = "guessed" if source.review and name in guessed else "mapped"
                status = ColumnStatus(name, state, raw, guessed.get(name, ""))
            elif name in looks_like:
                status = ColumnStatus(name, "not_mapped", (looks_like[name][0],), looks_like[name][1])
            else:
                status = ColumnStatus(name, "not_recorded")
            if before is None or status.state != "not_recorded":
                review.columns[name] = status
    return review


def _raw_columns(spec: object) -> list[str]:
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict):
        if isinstance(spec.get("column"), str):
            return [spec["column"]]
        if isinstance(spec.get("columns"), list):
            return [str(c) for c in spec["columns"]]
        if isinstance(spec.get("one_hot"), dict):
            return [str(c) for c in spec["one_hot"]]
    return []
