"""What every report page shares: loading its data, the 'no data yet' states, the data-quality
section and the provenance footer. Each section function returns HTML, or "" when it has nothing to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .. import charts, quality
from .. import report as r
from ..analysis import Dataset
from ..config import DEFAULT_CONFIG, Config, ConfigError, load_config
from ..schema import Schema, get_schema
from ..standardize import processed_path
from ..store import Snapshot, Store
from ..topics import TOPICS

State = Literal["no_source", "not_fetched", "not_mapped", "ready"]


@dataclass
class Page:
    config: Config
    topic: str
    state: State
    small: r.SmallCounts
    schema: Schema | None = None
    ds: Dataset | None = None
    report: dict[str, Any] | None = None
    snapshots: tuple[Snapshot, ...] = ()

    @property
    def ready(self) -> bool:
        return self.state == "ready"


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def find_config(start: Path | None = None) -> Path:
    """toolkit.yaml in this folder or the nearest one above it (notebooks run from their own folder)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / DEFAULT_CONFIG).is_file():
            return folder / DEFAULT_CONFIG
    raise ConfigError(f"no {DEFAULT_CONFIG} in {here} or above it; open the notebook inside the toolkit's folder.")


def load_page(
    topic: str | None = None, config_path: str | None = None, start_date: Any = None, end_date: Any = None
) -> Page:
    """Everything a report needs. Run by hand in Jupyter, the topic is the notebook's folder and the
    configuration the nearest toolkit.yaml; the dates given override those in toolkit.yaml."""
    topic = topic or Path.cwd().name
    if topic not in TOPICS:
        raise ValueError(f"unknown topic {topic!r}; pass one of: {', '.join(TOPICS)}")
    config = load_config(config_path or find_config())
    small = r.SmallCounts.of(config)
    sources = config.sources(topic)
    if not sources:
        return Page(config, topic, "no_source", small)
    store = Store(config.root)
    snaps = [store.current(topic, s.key, s.location) for s in sources]
    if not all(snaps):
        return Page(config, topic, "not_fetched", small)
    current = tuple(s for s in snaps if s)
    schema = get_schema(topic)
    report = r.load_report(config, topic)
    if schema is None or report is None or not all(s.mapping for s in sources):
        return Page(config, topic, "not_mapped", small, schema, snapshots=current)
    start = _date(start_date) or config.start_date
    end = _date(end_date) or config.end_date
    ds = Dataset(processed_path(config.root, topic), start, end)
    return Page(config, topic, "ready", small, schema, ds, report, current)


def status(page: Page) -> str:
    """The page's title, then, when the data is not ready, what to do about it."""
    title = r.title(page.config, page.topic)
    if page.state == "no_source":
        return title + r.no_source(page.config, page.topic)
    if page.state == "not_fetched":
        return title + r.block(
            '<div class="empty"><h2>The data has not been fetched yet</h2>'
            f"<p>Run <code>python -m safety_toolkit fetch --topic {r.esc(page.topic)}</code>, "
            "then <code>make reports</code>.</p></div>"
        )
    if page.state == "not_mapped":
        return title + r.block(
            '<div class="empty"><h2>Map these columns to see the analysis</h2>'
            "<p>The data is here, but the toolkit does not yet know which of its columns hold the date, "
            "the race of the person, the outcome and so on. Add a <code>mapping:</code> to this source in "
            "<code>toolkit.yaml</code> (the data dictionary in <code>references/data_dictionaries/</code> "
            "lists the standard columns). Until then, here is what the raw data holds.</p></div>"
        )
    return title


def raw_columns(page: Page) -> str:
    """For data without a mapping: each raw column, how often blank, and a few values."""
    if page.state != "not_mapped":
        return ""
    parts = []
    for i, snap in enumerate(page.snapshots):
        frame = quality.raw_profile(page.config.root / snap.file)
        parts.append(
            r.table(
                frame,
                f"raw-columns-{i}",
                f"Columns of source {i + 1} as published",
                page.small,
                counts=["blank", "distinct values (approx.)"],
                percents=["blank share"],
            )
        )
    return "".join(parts)


def data_quality(page: Page) -> str:
    """Section 1 of every report: how much data there is and what is wrong with it."""
    if not page.ready or page.ds is None or page.schema is None or page.report is None:
        return ""
    profile = quality.profile(page.ds, page.schema, page.report)
    parts = [r.heading("1. What the data holds, and its gaps")]
    unit = TOPICS[page.topic].unit
    span = f"from {profile.first:%B %-d, %Y} to {profile.last:%B %-d, %Y}" if profile.first else "with no dates"
    parts.append(
        r.paragraph(
            f"{profile.rows:,} {unit} {span}. Check this section before trusting any number below: "
            "trends mean little across months with missing data."
        )
    )
    if page.ds.start or page.ds.end:
        parts.append(
            r.caveat(f"This report is limited to {page.ds.start or 'the start'} – {page.ds.end or 'the end'}.")
        )
    if profile.first is None:
        parts.append(r.caveat("This data has no dates, so nothing here can be shown over time or limited to a period."))
    else:
        parts.append(
            r.figure(
                charts.monthly(
                    profile.months[["month", "rows"]],
                    f"{unit.capitalize()} per month",
                    unit,
                    f"Each bar counts the {unit} of one calendar month. Orange bars are months with none, under "
                    "half the usual number, or partial months at the edges of the data: gaps in recording, not "
                    "necessarily in events.",
                    profile.months["flag"] != "",
                )
            )
        )
    if len(profile.flagged_months):
        parts.append(
            r.table(profile.flagged_months, "flagged-months", "Months to read with care", page.small, counts=["rows"])
        )
    parts.append(
        r.table(
            profile.missing,
            "missing-values",
            "Missing or unknown values, per standard column",
            page.small,
            counts=["missing"],
            percents=["share"],
        )
    )
    if len(profile.outside_mapping):
        parts.append(
            r.table(
                profile.outside_mapping,
                "outside-mapping",
                "Source values not covered by the mapping in toolkit.yaml (counted as shown in 'became')",
                page.small,
                counts=["rows"],
            )
        )
    if len(profile.unreadable):
        parts.append(
            r.table(
                profile.unreadable,
                "unreadable-values",
                "Dates and numbers that could not be read, or fell outside the valid range (now missing)",
                page.small,
                counts=["values present", "could not be read", "outside the valid range"],
            )
        )
    if len(profile.date_problems):
        parts.append(
            r.table(profile.date_problems, "date-problems", "Dates that cannot be right", page.small, counts=["rows"])
        )
    parts.append(r.paragraph(f"Duplicates: {profile.duplicates:,} rows repeat another row's {profile.duplicate_key}."))
    notes = [note for source in page.report["sources"] for note in source.get("notes", [])]
    if notes:
        parts.append(r.heading("Notes on this data", 3) + r.bullets(notes))
    return "".join(parts)


def footer(page: Page) -> str:
    """Source, retrieval date, rows and checksums of every snapshot behind the page."""
    if not page.snapshots:
        return ""
    titles = {s.key: s.title for s in page.config.sources(page.topic)}
    return r.provenance([(titles.get(snap.source, ""), snap) for snap in page.snapshots])


def closing(page: Page, caveats: Iterable[str], questions: Iterable[str]) -> str:
    """The last section of every report: what its numbers cannot say, and what to ask next."""
    if not page.ready:
        return ""
    return (
        r.heading("What these numbers cannot tell you")
        + r.bullets(caveats)
        + r.heading("Questions to ask next")
        + r.bullets(questions)
    )


def has_rows(page: Page) -> bool:
    """Data to analyse: mapped, and with rows left after the report's dates (and any other narrowing)."""
    return page.ready and page.ds is not None and page.ds.rows > 0


def chart_rows(page: Page, frame: pd.DataFrame, count: str) -> pd.DataFrame:
    """Rows a chart may show: when small counts are suppressed, charts leave them out as tables do."""
    return frame[frame[count] >= page.small.threshold] if page.small.suppress else frame


def not_recorded(what: str, ask: str = "") -> str:
    """A section's honest answer when the data lacks what it needs, and what to ask for."""
    return r.paragraph(f"This data does not record {what}." + (f" {ask}" if ask else ""))


def cannot_show(question: str, ask: str = "") -> str:
    return r.paragraph(f"This data cannot show {question}." + (f" {ask}" if ask else ""))
